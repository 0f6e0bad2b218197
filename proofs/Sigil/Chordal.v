(** * Chordal graphs and perfect elimination orderings, checked by computation

    A fibre whose resources are coupled (one variable loads several resources) carries the
    resource dependence graph, and the compiler claims it is chordal with a perfect elimination
    ordering (PEO) as witness. This file gives a boolean checker [peo_check] that a fibre's file
    runs by [vm_compute], and proves it sound against the classical definition:

      a graph is chordal when every cycle of length at least 4 has a chord.

    [peo_check_sound] shows the checker accepts only genuine PEOs (every vertex's later
    neighbourhood is a clique; [peo_check_correct] is the converse too), and [peo_chordal]
    shows that a graph with a PEO is chordal. [cliques_check_sound] and [cover_check_sound]
    certify the maximal cliques the compiler lists: each is a clique and together they cover
    every edge.

    Vertices are natural numbers, a graph is its list of edges (undirected; a pair may be given
    in either orientation). The checker is quadratic in the ordering times the edge list, which
    is ample for resource graphs of a few dozen nodes. *)

From Coq Require Import List Arith Lia Bool.

(* The arithmetic tactics keep no cache files beside the sources. *)
Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.
Import ListNotations.

(** ** Graphs *)

Definition graph := list (nat * nat).

(** [u] and [v] are joined by an edge. *)
Definition adj (g : graph) (u v : nat) : Prop := In (u, v) g \/ In (v, u) g.

Lemma adj_sym : forall g u v, adj g u v -> adj g v u.
Proof. unfold adj. tauto. Qed.

Definition adjb (g : graph) (u v : nat) : bool :=
  existsb (fun e => (Nat.eqb (fst e) u && Nat.eqb (snd e) v)
                    || (Nat.eqb (fst e) v && Nat.eqb (snd e) u)) g.

Lemma adjb_spec : forall g u v, adjb g u v = true <-> adj g u v.
Proof.
  intros g u v. unfold adjb, adj. rewrite existsb_exists. split.
  - intros [[a b] [Hin Hab]]. simpl in Hab.
    apply orb_true_iff in Hab.
    destruct Hab as [Hab | Hab]; apply andb_true_iff in Hab; destruct Hab as [H1 H2];
      apply Nat.eqb_eq in H1; apply Nat.eqb_eq in H2; subst; auto.
  - intros [H | H]; eexists; split; try exact H; simpl;
      rewrite !Nat.eqb_refl; simpl; auto using orb_true_r.
Qed.

(** ** Perfect elimination orderings *)

(** The position of [v] in the ordering [o] (its length when absent). *)
Fixpoint pos (o : list nat) (v : nat) : nat :=
  match o with
  | [] => 0
  | x :: r => if Nat.eqb x v then 0 else S (pos r v)
  end.

Lemma pos_nth : forall o v, In v o -> nth (pos o v) o 0 = v.
Proof.
  induction o as [|x r IH]; intros v H; simpl in *; [contradiction |].
  destruct (Nat.eqb_spec x v); [assumption |].
  destruct H as [H | H]; [contradiction | apply IH; exact H].
Qed.

Lemma pos_inj : forall o a b, In a o -> In b o -> pos o a = pos o b -> a = b.
Proof.
  intros o a b Ha Hb H. rewrite <- (pos_nth o a Ha), <- (pos_nth o b Hb), H. reflexivity.
Qed.

(** The neighbours of [v] that come after it in [o]. *)
Definition later_neighbours (g : graph) (o : list nat) (v : nat) : list nat :=
  filter (fun a => adjb g v a && Nat.ltb (pos o v) (pos o a)) o.

(** A set of vertices is a clique when any two distinct members are adjacent. *)
Definition clique (g : graph) (l : list nat) : Prop :=
  forall a b, In a l -> In b l -> a <> b -> adj g a b.

(** A perfect elimination ordering: a duplicate-free ordering of every vertex that has an edge,
    in which each vertex's later neighbourhood is a clique (each vertex is simplicial in the
    graph that remains when the vertices before it are eliminated). *)
Definition is_peo (g : graph) (o : list nat) : Prop :=
  NoDup o
  /\ (forall u v, adj g u v -> In u o)
  /\ (forall v, In v o -> clique g (later_neighbours g o v)).

(** ** The checker *)

Fixpoint nodupb (l : list nat) : bool :=
  match l with
  | [] => true
  | x :: r => negb (existsb (Nat.eqb x) r) && nodupb r
  end.

Definition cliqueb (g : graph) (l : list nat) : bool :=
  forallb (fun a => forallb (fun b => Nat.eqb a b || adjb g a b) l) l.

Definition coversb (g : graph) (o : list nat) : bool :=
  forallb (fun e => existsb (Nat.eqb (fst e)) o && existsb (Nat.eqb (snd e)) o) g.

Definition peo_check (g : graph) (o : list nat) : bool :=
  nodupb o && coversb g o && forallb (fun v => cliqueb g (later_neighbours g o v)) o.

Lemma in_existsb_eqb : forall x l, existsb (Nat.eqb x) l = true <-> In x l.
Proof.
  intros x l. rewrite existsb_exists. split.
  - intros [y [Hy Hxy]]. apply Nat.eqb_eq in Hxy. subst. exact Hy.
  - intro H. exists x. split; [exact H | apply Nat.eqb_refl].
Qed.

Lemma nodupb_spec : forall l, nodupb l = true <-> NoDup l.
Proof.
  induction l as [|x r IH]; simpl.
  - split; [constructor | reflexivity].
  - rewrite andb_true_iff, negb_true_iff, IH. split.
    + intros [H1 H2]. constructor; [| exact H2].
      intro Hin. apply in_existsb_eqb in Hin. congruence.
    + intro H. inversion H as [| ? ? Hn Hd]; subst. split; [| exact Hd].
      destruct (existsb (Nat.eqb x) r) eqn:E; [| reflexivity].
      apply in_existsb_eqb in E. contradiction.
Qed.

Lemma cliqueb_spec : forall g l, cliqueb g l = true <-> clique g l.
Proof.
  intros g l. unfold cliqueb, clique. rewrite forallb_forall. split.
  - intros H a b Ha Hb Hab. specialize (H a Ha). rewrite forallb_forall in H.
    specialize (H b Hb). apply orb_true_iff in H. destruct H as [H | H].
    + apply Nat.eqb_eq in H. contradiction.
    + apply adjb_spec. exact H.
  - intros H a Ha. rewrite forallb_forall. intros b Hb.
    destruct (Nat.eqb_spec a b); [reflexivity |].
    apply orb_true_iff. right. apply adjb_spec. auto.
Qed.

Lemma coversb_spec : forall g o, coversb g o = true <-> (forall u v, adj g u v -> In u o).
Proof.
  intros g o. unfold coversb. rewrite forallb_forall. split.
  - intros H u v [Hin | Hin].
    + specialize (H _ Hin). simpl in H. apply andb_true_iff in H. apply in_existsb_eqb. tauto.
    + specialize (H _ Hin). simpl in H. apply andb_true_iff in H. apply in_existsb_eqb. tauto.
  - intros H [a b] Hin. simpl. apply andb_true_iff. split; apply in_existsb_eqb.
    + apply (H a b). left. exact Hin.
    + apply (H b a). right. exact Hin.
Qed.

(** The checker decides the definition. *)
Theorem peo_check_correct : forall g o, peo_check g o = true <-> is_peo g o.
Proof.
  intros g o. unfold peo_check, is_peo.
  rewrite !andb_true_iff, nodupb_spec, coversb_spec, forallb_forall.
  split.
  - intros [[H1 H2] H3]. repeat split; auto.
    intros v Hv. apply cliqueb_spec. auto.
  - intros [H1 [H2 H3]]. repeat split; auto.
    intros v Hv. apply cliqueb_spec. auto.
Qed.

(** Soundness: an ordering the checker accepts is a PEO, so every vertex's later neighbourhood
    is a clique. *)
Theorem peo_check_sound : forall g o, peo_check g o = true ->
  forall v, In v o -> clique g (later_neighbours g o v).
Proof. intros g o H. apply peo_check_correct in H. apply H. Qed.

(** ** Cycles and chords *)

(** Successor and predecessor of an index around a cycle of length [k]. *)
Definition next (k i : nat) : nat := if Nat.eqb (S i) k then 0 else S i.
Definition prev (k i : nat) : nat := if Nat.eqb i 0 then k - 1 else i - 1.

(** A cycle: at least three distinct vertices, each adjacent to the next and the last to the
    first. *)
Definition cycle (g : graph) (c : list nat) : Prop :=
  3 <= length c /\ NoDup c
  /\ forall i, i < length c -> adj g (nth i c 0) (nth (next (length c) i) c 0).

(** A chord: an edge between two vertices of the cycle that are not consecutive on it. *)
Definition chord (g : graph) (c : list nat) : Prop :=
  exists i j, i < length c /\ j < length c /\ i <> j
    /\ j <> next (length c) i /\ i <> next (length c) j
    /\ adj g (nth i c 0) (nth j c 0).

(** The classical definition: every cycle of length at least 4 has a chord. *)
Definition chordal (g : graph) : Prop :=
  forall c, cycle g c -> 4 <= length c -> chord g c.

Lemma next_lt : forall k i, i < k -> next k i < k.
Proof. intros k i H. unfold next. destruct (Nat.eqb_spec (S i) k); lia. Qed.

Lemma prev_lt : forall k i, i < k -> prev k i < k.
Proof. intros k i H. unfold prev. destruct (Nat.eqb_spec i 0); lia. Qed.

Lemma next_prev : forall k i, i < k -> next k (prev k i) = i.
Proof.
  intros k i H. unfold next, prev.
  destruct (Nat.eqb_spec i 0); destruct (Nat.eqb_spec (S (k - 1)) k);
    destruct (Nat.eqb_spec (S (i - 1)) k); lia.
Qed.

Lemma next_ne : forall k i, 2 <= k -> i < k -> next k i <> i.
Proof. intros k i Hk H. unfold next. destruct (Nat.eqb_spec (S i) k); lia. Qed.

Lemma prev_ne_next : forall k i, 3 <= k -> i < k -> prev k i <> next k i.
Proof.
  intros k i Hk H. unfold next, prev.
  destruct (Nat.eqb_spec i 0); destruct (Nat.eqb_spec (S i) k); lia.
Qed.

Lemma next_next_ne_prev : forall k i, 4 <= k -> i < k -> next k (next k i) <> prev k i.
Proof.
  intros k i Hk H. unfold next, prev.
  destruct (Nat.eqb_spec (S i) k); destruct (Nat.eqb_spec i 0);
    try destruct (Nat.eqb_spec 1 k); try destruct (Nat.eqb_spec (S (S i)) k); lia.
Qed.

Lemma nth_inj : forall (c : list nat) i j, NoDup c -> i < length c -> j < length c ->
  nth i c 0 = nth j c 0 -> i = j.
Proof. intros c i j Hd Hi Hj H. apply (proj1 (NoDup_nth c 0) Hd i j Hi Hj H). Qed.

(** Some index minimises [f] below [k > 0]. *)
Lemma argmin_exists : forall (f : nat -> nat) k, 0 < k ->
  exists j, j < k /\ forall i, i < k -> f j <= f i.
Proof.
  intros f k Hk. induction k as [|k IH]; [lia |].
  destruct (Nat.eq_dec k 0) as [Hk0 | Hk0].
  - subst. exists 0. split; [lia |]. intros i Hi. replace i with 0 by lia. lia.
  - destruct (IH ltac:(lia)) as [j [Hj Hmin]].
    destruct (le_lt_dec (f j) (f k)) as [Hle | Hlt].
    + exists j. split; [lia |]. intros i Hi.
      destruct (Nat.eq_dec i k); [subst; exact Hle | apply Hmin; lia].
    + exists k. split; [lia |]. intros i Hi.
      destruct (Nat.eq_dec i k); [subst; lia |]. specialize (Hmin i ltac:(lia)). lia.
Qed.

Lemma in_later : forall g o v a, In a o -> adj g v a -> pos o v < pos o a ->
  In a (later_neighbours g o v).
Proof.
  intros g o v a Ha Hadj Hlt. unfold later_neighbours. apply filter_In. split; [exact Ha |].
  apply andb_true_iff. split; [apply adjb_spec; exact Hadj | apply Nat.ltb_lt; exact Hlt].
Qed.

(** A graph with a perfect elimination ordering is chordal. The vertex of a long cycle that
    comes first in the ordering has its two cycle neighbours in its later neighbourhood, so
    they are adjacent; on a cycle of length at least 4 they are not consecutive, so that edge
    is a chord. *)
Theorem peo_chordal : forall g o, is_peo g o -> chordal g.
Proof.
  intros g o [Hnd [Hcov Hpeo]] c [H3 [Hnodup Hadj]] H4.
  set (k := length c) in *.
  assert (Hin : forall i, i < k -> In (nth i c 0) o).
  { intros i Hi. apply (Hcov _ _ (Hadj i Hi)). }
  destruct (argmin_exists (fun i => pos o (nth i c 0)) k ltac:(lia)) as [j [Hj Hmin]].
  set (u := prev k j). set (w := next k j).
  assert (Hu : u < k) by (apply prev_lt; exact Hj).
  assert (Hw : w < k) by (apply next_lt; exact Hj).
  assert (Huj : u <> j) by (unfold u; intro E; pose proof (next_prev k j Hj);
                            rewrite E in H; apply (next_ne k j); lia).
  assert (Hwj : w <> j) by (apply next_ne; lia).
  assert (Huw : u <> w) by (apply prev_ne_next; lia).
  (* The first vertex of the cycle in the ordering comes strictly before its neighbours. *)
  assert (Hlt : forall i, i < k -> i <> j -> pos o (nth j c 0) < pos o (nth i c 0)).
  { intros i Hi Hij. specialize (Hmin i Hi). simpl in Hmin.
    destruct (Nat.eq_dec (pos o (nth j c 0)) (pos o (nth i c 0))) as [E | E]; [| lia].
    apply pos_inj in E; try (apply Hin; assumption).
    apply nth_inj in E; auto. lia. }
  assert (Hvw : adj g (nth j c 0) (nth w c 0)) by (apply Hadj; exact Hj).
  assert (Hvu : adj g (nth j c 0) (nth u c 0)).
  { apply adj_sym. pose proof (Hadj u Hu) as H. unfold u in H. rewrite next_prev in H by exact Hj.
    exact H. }
  assert (Huw_adj : adj g (nth u c 0) (nth w c 0)).
  { apply (Hpeo (nth j c 0) (Hin j Hj)).
    - apply in_later; auto.
    - apply in_later; auto.
    - intro E. apply nth_inj in E; auto. }
  exists u, w. repeat split; auto.
  - unfold u. rewrite next_prev by exact Hj. exact Hwj.
  - unfold u, w. apply not_eq_sym. apply next_next_ne_prev; lia.
Qed.

(** What a fibre's file uses: an ordering the checker accepts proves the graph chordal. *)
Theorem peo_check_chordal : forall g o, peo_check g o = true -> chordal g.
Proof. intros g o H. apply (peo_chordal g o). apply peo_check_correct. exact H. Qed.

(** ** Cliques *)

Definition cliques_check (g : graph) (cs : list (list nat)) : bool := forallb (cliqueb g) cs.

(** Every listed set is a clique. *)
Theorem cliques_check_sound : forall g cs, cliques_check g cs = true ->
  forall l, In l cs -> clique g l.
Proof.
  intros g cs H l Hl. unfold cliques_check in H. rewrite forallb_forall in H.
  apply cliqueb_spec. auto.
Qed.

Definition cover_check (g : graph) (cs : list (list nat)) : bool :=
  forallb (fun e => existsb (fun l => existsb (Nat.eqb (fst e)) l && existsb (Nat.eqb (snd e)) l) cs) g.

(** The listed cliques cover every edge: the coupling decomposes over them. *)
Theorem cover_check_sound : forall g cs, cover_check g cs = true ->
  forall u v, adj g u v -> exists l, In l cs /\ In u l /\ In v l.
Proof.
  intros g cs H u v Hadj. unfold cover_check in H. rewrite forallb_forall in H.
  destruct Hadj as [Hin | Hin]; specialize (H _ Hin); simpl in H;
    apply existsb_exists in H; destruct H as [l [Hl Hb]];
    apply andb_true_iff in Hb; destruct Hb as [H1 H2];
    apply in_existsb_eqb in H1; apply in_existsb_eqb in H2; eauto.
Qed.

(** A sanity check on a non-chordal graph: the 4-cycle 0-1-2-3 has no PEO the checker accepts,
    for instance the identity ordering. *)
Example square_rejected : peo_check [(0, 1); (1, 2); (2, 3); (3, 0)] [0; 1; 2; 3] = false.
Proof. vm_compute. reflexivity. Qed.
