(** * The forms a fibre's file instantiates

    A generated fibre file ([coq/<fibre>.v]) proves its guarantees by applying the lemmas below
    to its own numbers. Each lemma takes the numbers as arguments and its side conditions as
    hypotheses that the fibre's file discharges by [lra] (real arithmetic on exact fractions)
    or by [vm_compute] (boolean checks over Z); counts of updates are integers ([Z]) so that
    large counts cost nothing to check. *)

From Coq Require Import Rbase Rfunctions Lra Lia ZArith Bool List.
From Sigil Require Import PriceUpdate FixedPoint Kernel.

Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.

Open Scope R_scope.

(** ** The real-valued update *)

Lemma detection_updates_eq : forall g delta T N, 0 < g -> 0 < delta ->
  IZR N - 1 < T / (g * delta) -> T / (g * delta) <= IZR N ->
  detection_updates g delta T = Z.to_nat N.
Proof.
  intros. unfold detection_updates. rewrite (Rceil_unique _ N); [reflexivity | split; assumption].
Qed.

(** Detection within [N] updates, [N] being [ceil (T / (g delta))]. *)
Theorem detection_within : forall g c delta T N,
  0 < g -> 0 < delta -> IZR N - 1 < T / (g * delta) -> T / (g * delta) <= IZR N ->
  forall load p0, 0 <= p0 -> (forall k, c + delta <= load k) ->
  forall n, (N <= Z.of_nat n)%Z -> T <= price g c load p0 n.
Proof.
  intros g c delta T N Hg Hd HN1 HN2 load p0 Hp0 Hl n Hn.
  apply (detection g c delta T load p0 Hg Hd Hp0 Hl).
  rewrite (detection_updates_eq g delta T N Hg Hd HN1 HN2). lia.
Qed.

(** ... and not one update sooner, for a load of exactly [c + delta] from price 0. *)
Theorem detection_exact : forall g c delta T N,
  0 < g -> 0 < delta -> 0 < T -> IZR N - 1 < T / (g * delta) -> T / (g * delta) <= IZR N ->
  forall n, (Z.of_nat n < N)%Z -> price g c (fun _ => c + delta) 0 n < T.
Proof.
  intros g c delta T N Hg Hd HT HN1 HN2 n Hn.
  apply (detection_tight g c delta T Hg Hd HT).
  rewrite (detection_updates_eq g delta T N Hg Hd HN1 HN2). lia.
Qed.

(** Recovery to 0 within [N] updates, [N] being [ceil (p0 / (g delta))]. *)
Theorem recovery_within : forall g c delta p0 N,
  0 < g -> 0 < delta -> 0 <= p0 -> IZR N - 1 < p0 / (g * delta) -> p0 / (g * delta) <= IZR N ->
  forall load, (forall k, load k <= c - delta) ->
  forall n, (N <= Z.of_nat n)%Z -> price g c load p0 n = 0.
Proof.
  intros g c delta p0 N Hg Hd Hp0 HN1 HN2 load Hl n Hn.
  apply (recovery g c delta load p0 Hg Hd Hp0 Hl).
  unfold recovery_updates. rewrite (Rceil_unique _ N) by (split; assumption). lia.
Qed.

(** ... and not one update sooner, for a load of exactly [c - delta]. *)
Theorem recovery_exact : forall g c delta p0 N,
  0 < g -> 0 < delta -> 0 < p0 -> IZR N - 1 < p0 / (g * delta) -> p0 / (g * delta) <= IZR N ->
  forall n, (Z.of_nat n < N)%Z -> 0 < price g c (fun _ => c - delta) p0 n.
Proof.
  intros g c delta p0 N Hg Hd Hp0 HN1 HN2 n Hn.
  apply (recovery_tight g c delta p0 Hg Hd Hp0).
  unfold recovery_updates. rewrite (Rceil_unique _ N) by (split; assumption). lia.
Qed.

(** Descent for a step below [2/L], with its rate [g (2/L - g) > 0]. *)
Theorem descent_within : forall g L, 0 < g -> 0 < L -> g * L < 2 ->
  0 < g * (2 / L - g) /\
  forall c load p q, nonincreasing load -> lipschitz load L ->
    (update g c (load p) p - update g c (load q) q) ^ 2
      <= (p - q) ^ 2 - g * (2 / L - g) * (load p - load q) ^ 2.
Proof.
  intros g L Hg HL HgL. split.
  - apply Rmult_lt_0_compat; [exact Hg |].
    apply Rlt_Rminus. apply Rmult_lt_reg_r with L; [exact HL |].
    unfold Rdiv. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. lra.
  - intros c load p q Hmono Hlip. apply step_descent; auto. lra.
Qed.

(** Contraction for a step below [2/L], for any rate [m] in [(0, L]]. *)
Theorem contraction_within : forall g L, 0 < g -> g * L < 2 ->
  forall m, 0 < m <= L ->
  contraction_factor g m L < 1 /\
  forall c load p q, strongly_decreasing load m -> lipschitz load L ->
    Rabs (update g c (load p) p - update g c (load q) q) <= contraction_factor g m L * Rabs (p - q).
Proof.
  intros g L Hg HgL m Hm. split.
  - apply contraction_factor_lt_1; assumption.
  - intros c load p q Hsd Hlip. apply contraction; auto. lra.
Qed.

(** A real number and its rounding to the scale: [|z / s - x| <= 1 / (2 s)]. *)
Lemma Rabs_le_half : forall a b e, - e <= a - b <= e -> Rabs (a - b) <= e.
Proof. intros a b e H. unfold Rabs. destruct Rcase_abs; lra. Qed.

(** ** The kernel's fixed-point update: boolean checks run by [vm_compute] *)

Open Scope Z_scope.

Definition fx_wfb (P : fixed_point) : bool :=
  (0 <=? fx_bits P) && (fx_bits P <=? 62) && (0 <=? fx_step P) && (0 <=? fx_budget P)
  && (0 <=? fx_load_max P) && (0 <=? fx_price_max P).

Lemma fx_wfb_sound : forall P, fx_wfb P = true -> fx_wf P.
Proof.
  intros P H. unfold fx_wfb in H. rewrite !andb_true_iff, !Z.leb_le in H.
  unfold fx_wf. lia.
Qed.

(** The overflow condition with StepMax = the fibre's step. *)
Definition fx_fitsb (P : fixed_point) : bool :=
  fx_wfb P && (fx_price_max P + (fx_step P + 1) * (fx_load_max P + fx_budget P + 1) <=? int64_max).

Theorem fx_no_overflow_checked : forall P, fx_fitsb P = true ->
  forall l p, in_int64 l -> 0 <= p <= fx_price_max P ->
  in_int64 (clamp_load P l) /\ in_int64 (excess P l) /\ in_int64 (product P l)
  /\ in_int64 (increment P l) /\ in_int64 (raw_sum P l p) /\ in_int64 (fx_update P l p).
Proof.
  intros P H l p Hl Hp. unfold fx_fitsb in H. rewrite andb_true_iff, Z.leb_le in H.
  destruct H as [Hwf Hfit].
  apply (fx_no_overflow P (fx_step P)); auto using fx_wfb_sound; lia.
Qed.

Theorem fx_range_checked : forall P, fx_wfb P = true ->
  forall l p, 0 <= fx_update P l p <= fx_price_max P.
Proof. intros P H l p. apply fx_update_range. apply fx_wfb_sound. exact H. Qed.

Theorem fx_saturates_checked : forall P, fx_wfb P = true ->
  forall l p, fx_price_max P <= raw_sum P l p -> fx_update P l p = fx_price_max P.
Proof. intros P H l p. apply fx_saturates. apply fx_wfb_sound. exact H. Qed.

(** The side conditions of fixed-point detection, and the count [N = ceil (T / q)]. *)
Definition fx_detection_checkb (P : fixed_point) (delta T N : Z) : bool :=
  fx_wfb P && (0 <? delta) && (fx_budget P + delta <=? fx_load_max P) && (0 <? fx_gain P delta)
  && (T <=? fx_price_max P) && (0 <=? N)
  && Z.eqb ((T + fx_gain P delta - 1) / fx_gain P delta) N.

Theorem fx_detection_checked : forall P delta T N, fx_detection_checkb P delta T N = true ->
  forall load p0, 0 <= p0 -> (forall k, fx_budget P + delta <= load k) ->
  forall n, N <= Z.of_nat n -> T <= fx_price P load p0 n.
Proof.
  intros P delta T N H load p0 Hp0 Hl n Hn. unfold fx_detection_checkb in H.
  rewrite !andb_true_iff, !Z.leb_le, !Z.ltb_lt, Z.eqb_eq in H.
  destruct H as [[[[[[Hwf Hd] Hfit] Hq] HT] HN0] HN].
  apply (fx_detection P delta T load p0); auto using fx_wfb_sound.
  unfold fx_updates. rewrite HN. lia.
Qed.

Definition fx_recovery_checkb (P : fixed_point) (delta p0 N : Z) : bool :=
  fx_wfb P && (0 <? delta) && (delta <=? fx_budget P) && (0 <? fx_gain P delta)
  && (0 <=? p0) && (0 <=? N)
  && Z.eqb ((p0 + fx_gain P delta - 1) / fx_gain P delta) N.

Theorem fx_recovery_checked : forall P delta p0 N, fx_recovery_checkb P delta p0 N = true ->
  forall load, (forall k, load k <= fx_budget P - delta) ->
  forall n, N <= Z.of_nat n -> fx_price P load p0 n = 0.
Proof.
  intros P delta p0 N H load Hl n Hn. unfold fx_recovery_checkb in H.
  rewrite !andb_true_iff, !Z.leb_le, !Z.ltb_lt, Z.eqb_eq in H.
  destruct H as [[[[[[Hwf Hd] Hdb] Hq] Hp0] HN0] HN].
  apply (fx_recovery P delta load p0); auto using fx_wfb_sound.
  unfold fx_updates. rewrite HN. lia.
Qed.

Theorem fx_error_checked : forall P, fx_wfb P = true ->
  forall load p0 n,
    (0 <= real_price P load (to_real P p0) n - to_real P (fx_price P load p0 n)
       <= INR n / scale P)%R.
Proof. intros P H load p0 n. apply fx_accumulated_error. apply fx_wfb_sound. exact H. Qed.

Theorem fx_tracks_price_checked : forall P, fx_wfb P = true ->
  forall load p0 n,
    (forall k, (k <= n)%nat -> (real_of P load p0 k <= to_real P (fx_price_max P))%R) ->
    (0 <= real_of P load p0 n - to_real P (fx_price P load p0 n) <= INR n / scale P)%R.
Proof. intros P H load p0 n Hk. apply fx_tracks_price; auto using fx_wfb_sound. Qed.

(** ** The kernel's C code *)

(** Under the overflow condition the C update (bpf/sigil_fixed.h) is the exact-integer update,
    one step and along a run. *)
Theorem kernel_exact_checked : forall P, fx_fitsb P = true ->
  (forall l p, in_int64 l -> 0 <= p <= fx_price_max P -> kernel_update P l p = fx_update P l p)
  /\ (forall load p0, (forall k, in_int64 (load k)) -> 0 <= p0 <= fx_price_max P ->
        forall n, kernel_price P load p0 n = fx_price P load p0 n).
Proof.
  intros P H. unfold fx_fitsb in H. rewrite andb_true_iff, Z.leb_le in H.
  destruct H as [Hwf Hfit]. apply fx_wfb_sound in Hwf.
  assert (HPM : fx_price_max P <= int64_max) by (destruct Hwf as (? & ? & ? & ? & ?); nia).
  split.
  - intros l p Hl Hp. rewrite kernel_update_exact by (try assumption; unfold in_int64, int64_min, int64_max in *; lia).
    f_equal. lia.
  - intros load p0 Hl Hp0 n. apply kernel_price_exact; assumption.
Qed.

Definition c_from_ns_checkb (npu bits load_max : Z) : bool :=
  (0 <=? bits) && (bits <=? 32) && (1 <=? npu) && (npu <=? 2 ^ 32)
  && (0 <? load_max) && (load_max <=? int64_max).

(** The C conversion of nanoseconds is floor(ns 2^bits / npu) clamped to the load bound, with no
    unsigned wrap. *)
Theorem c_from_ns_checked : forall npu bits load_max, c_from_ns_checkb npu bits load_max = true ->
  forall ns, 0 <= ns < 2 ^ 64 ->
  c_from_ns ns npu bits load_max = Z.min (ns * 2 ^ bits / npu) load_max
  /\ 0 <= ns / npu * npu <= ns
  /\ 0 <= Z.shiftl (ns - ns / npu * npu) bits < 2 ^ 64
  /\ (ns / npu <= Z.shiftr load_max bits ->
      0 <= Z.shiftl (ns / npu) bits + Z.shiftl (ns - ns / npu * npu) bits / npu < 2 ^ 64).
Proof.
  intros npu bits load_max H ns Hns. unfold c_from_ns_checkb in H.
  rewrite !andb_true_iff, !Z.leb_le, !Z.ltb_lt in H.
  apply c_from_ns_spec; lia.
Qed.

(** ** The fibre's instance: a point within the bounds that meets every row

    A fibre's coupling is [A x <= c] with [x] in a box. The file lists the instance the
    compiler built from the fibre (the same expansion its analysis reads): one entry per
    column (a variable's member; a dynamic index set is one representative member) with its
    bounds, [None] for an unbounded side; one entry per row with its terms and right-hand side.
    A term [(k, a, j)] is [k] members at coefficient [a] on column [j]: a sum over a dynamic
    index set counts its capacity (and a cluster row its node count), as the analysis does.
    [feasible_point lower upper rows x] says the point [x] is within the bounds and meets every
    row: so the rows are feasible. *)

Open Scope R_scope.

Definition term_load (x : list R) (t : R * R * nat) : R :=
  let '(k, a, j) := t in k * a * nth j x 0.

Fixpoint row_load (x : list R) (terms : list (R * R * nat)) : R :=
  match terms with
  | nil => 0
  | t :: rest => term_load x t + row_load x rest
  end.

Definition above (bound : option R) (v : R) : Prop :=
  match bound with Some b => b <= v | None => True end.

Definition below (bound : option R) (v : R) : Prop :=
  match bound with Some b => v <= b | None => True end.

(** Each value within its column's bounds; the three lists have the same length. *)
Fixpoint within_bounds (lower upper : list (option R)) (x : list R) : Prop :=
  match lower, upper, x with
  | nil, nil, nil => True
  | l :: lower', u :: upper', v :: x' => (above l v /\ below u v) /\ within_bounds lower' upper' x'
  | _, _, _ => False
  end.

(** Every row [sum terms <= c] holds at [x]. *)
Fixpoint rows_hold (x : list R) (rows : list (list (R * R * nat) * R)) : Prop :=
  match rows with
  | nil => True
  | (terms, c) :: rest => row_load x terms <= c /\ rows_hold x rest
  end.

Definition feasible_point (lower upper : list (option R)) (rows : list (list (R * R * nat) * R)) (x : list R) : Prop :=
  within_bounds lower upper x /\ rows_hold x rows.

(** Proves [feasible_point] for a concrete instance: the lists unfold, each inequality is [lra]'s. *)
Ltac feasible_point_holds numbers :=
  unfold feasible_point; numbers;
  cbn [within_bounds rows_hold row_load term_load above below nth];
  repeat split; lra.

(** ** Witnesses: no theorem of a fibre is vacuous

    A generated file follows each theorem that has hypotheses by an [Example] that applies the
    theorem to witnesses (a load, a price, a count) taken from the fibre's own numbers and
    proves every hypothesis at those witnesses with [hypothesis_holds]: a theorem whose
    hypotheses no such point satisfies (as a contraction that assumes a strongly decreasing
    load of a bounded load would) fails its file. [premises T numbers] proves the hypotheses
    at the head of [T]'s statement; [witness T w numbers] proves them and then fixes the next
    universally bound variable of [T] to [w]. [numbers] unfolds the fibre's numbers. *)

Open Scope R_scope.

(** The real-valued price with the kernel's numbers stays at its start for the first update
    count, 0: the hypothesis of [fx_tracks_price] holds at [n = 0]. *)
Lemma real_of_at_start : forall P load p0, (0 <= fx_bits P)%Z -> (p0 <= fx_price_max P)%Z ->
  forall k, (k <= 0)%nat -> real_of P load p0 k <= to_real P (fx_price_max P).
Proof.
  intros P load p0 Hb Hp k Hk. inversion Hk. unfold real_of, to_real. cbn [price].
  apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat, scale_pos; exact Hb | apply IZR_le; exact Hp].
Qed.

Ltac hypothesis_holds numbers :=
  numbers; cbv beta in *;
  unfold nonincreasing, lipschitz, equilibrium, update, in_int64, int64_min, int64_max in *;
  repeat (intros; cbv beta in *; split); intros; cbv beta in *;
  repeat match goal with
         | |- context [Rabs ?x] =>
             let H := fresh "H" in
             destruct (Rle_dec 0 x) as [H | H]; [rewrite (Rabs_pos_eq x H) | rewrite (Rabs_left1 x) by lra]
         end;
  repeat match goal with |- context [Rmax ?a ?b] => unfold Rmax; destruct (Rle_dec a b) end;
  first [ exact I | lra | nra | lia
        | (apply real_of_at_start; [vm_compute; intro; discriminate | vm_compute; intro; discriminate | lia])
        | (vm_compute; first [reflexivity | intro; discriminate])
        | (cbn; intuition (auto || congruence)) ].

Ltac premises T numbers :=
  lazymatch type of T with
  | ?A -> ?B =>
      let H := fresh "H" in
      assert (H : A) by (hypothesis_holds numbers || fail "this hypothesis does not hold at the witnesses:" A);
      specialize (T H); clear H; premises T numbers
  | _ => idtac
  end.

Ltac witness T w numbers := premises T numbers; specialize (T w).

(** [fact P numbers] proves a fact [P] about the witnesses (that a load lies in the fibre's
    range, say), or fails saying which. *)
Ltac fact P numbers :=
  let H := fresh "H" in
  assert (H : P) by (hypothesis_holds numbers || fail "this fact does not hold at the witnesses:" P).
