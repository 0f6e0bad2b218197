(** * The projected price update over the reals

    A fibre's price of a resource moves by the dual (sub)gradient step, projected on [0, +oo):

      p' = max(0, p + g (l - c))

    with step [g > 0], budget [c] and measured (or computed) load [l]. This file proves what a
    fibre's certificates rely on:

    - the price is never negative and is monotone in the load ([update_nonneg],
      [price_mono_load]);
    - detection: a load at least [delta] above budget drives the price to any threshold [T]
      within [detection_updates g delta T = ceil (T / (g delta))] updates, and that number is
      exact ([detection], [detection_tight]);
    - recovery: a load at least [delta] below budget drives any price [p0] to 0 within
      [recovery_updates g delta p0 = ceil (p0 / (g delta))] updates, where it stays
      ([recovery], [recovery_tight]);
    - bounded Lyapunov drift of V(p) = (p - pstar)^2 ([drift], [drift_at_equilibrium]): a
      one-step bound, which over n updates allows V to grow by n g^2 G^2;
    - the band: along the closed loop at an equilibrium, |p_n - pstar| <= max(|p_0 - pstar|, g G)
      for every n ([band_step], [band]);
    - descent for steps below 2/L ([step_descent], [descent_n_updates]), and contraction under
      strong monotonicity ([contraction]). Contraction needs a load that keeps falling at a rate
      m > 0 at every price, which no bounded load does (over prices far apart its fall would
      exceed its range); no fibre file instantiates it.

    Only Coq's standard library is used. *)

From Coq Require Import Rbase Rfunctions Lra Lia ZArith.

(* The arithmetic tactics keep no cache files beside the sources. *)
Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.
Open Scope R_scope.

(** ** The update and its iterates *)

(** One update: [max(0, p + g (l - c))]. *)
Definition update (g c l p : R) : R := Rmax 0 (p + g * (l - c)).

(** The price after [n] updates from [p0], the [k]-th update seeing [load k]. *)
Fixpoint price (g c : R) (load : nat -> R) (p0 : R) (n : nat) : R :=
  match n with
  | O => p0
  | S k => update g c (load k) (price g c load p0 k)
  end.

(** ** Small facts about [Rmax 0] *)

Lemma Rmax0_ge : forall x, x <= Rmax 0 x.
Proof. intro x. apply Rmax_r. Qed.

Lemma Rmax0_nonneg : forall x, 0 <= Rmax 0 x.
Proof. intro x. apply Rmax_l. Qed.

Lemma Rmax0_of_nonneg : forall x, 0 <= x -> Rmax 0 x = x.
Proof. intros x H. apply Rmax_right. exact H. Qed.

Lemma Rmax0_of_nonpos : forall x, x <= 0 -> Rmax 0 x = 0.
Proof. intros x H. apply Rmax_left. exact H. Qed.

Lemma Rmax0_mono : forall x y, x <= y -> Rmax 0 x <= Rmax 0 y.
Proof.
  intros x y H. unfold Rmax.
  destruct (Rle_dec 0 x); destruct (Rle_dec 0 y); lra.
Qed.

(** The projection on [0, +oo) is 1-Lipschitz. *)
Lemma Rmax0_lipschitz : forall x y, Rabs (Rmax 0 x - Rmax 0 y) <= Rabs (x - y).
Proof.
  intros x y. unfold Rmax.
  destruct (Rle_dec 0 x); destruct (Rle_dec 0 y);
    unfold Rabs; repeat destruct Rcase_abs; lra.
Qed.

Lemma sq_nonneg : forall x, 0 <= x ^ 2.
Proof. intro x. replace (x ^ 2) with (x * x) by ring. apply Rle_0_sqr. Qed.

Lemma Rabs_sq : forall x, Rabs x ^ 2 = x ^ 2.
Proof. intro x. unfold Rabs. destruct (Rcase_abs x); ring. Qed.

(** The projection moves no point farther from a non-negative point. *)
Lemma Rmax0_toward : forall q y, 0 <= q -> (Rmax 0 y - q) ^ 2 <= (y - q) ^ 2.
Proof.
  intros q y Hq. unfold Rmax. destruct (Rle_dec 0 y).
  - lra.
  - nra.
Qed.

(** ** Non-negativity and monotonicity *)

(** The updated price is never negative. *)
Theorem update_nonneg : forall g c l p, 0 <= update g c l p.
Proof. intros. apply Rmax0_nonneg. Qed.

(** Started at a non-negative price, the price stays non-negative. *)
Theorem price_nonneg : forall g c load p0 n, 0 <= p0 -> 0 <= price g c load p0 n.
Proof. intros g c load p0 [|n] H; [exact H | apply update_nonneg]. Qed.

(** A larger load never gives a smaller price (for a non-negative step). *)
Theorem update_mono_load : forall g c l1 l2 p,
  0 <= g -> l1 <= l2 -> update g c l1 p <= update g c l2 p.
Proof.
  intros g c l1 l2 p Hg Hl. unfold update. apply Rmax0_mono.
  apply Rplus_le_compat_l. apply Rmult_le_compat_l; lra.
Qed.

(** A larger price before the update gives a larger price after it. *)
Theorem update_mono_price : forall g c l p1 p2,
  p1 <= p2 -> update g c l p1 <= update g c l p2.
Proof. intros. unfold update. apply Rmax0_mono. lra. Qed.

(** Monotonicity along a whole trajectory: pointwise larger loads and a larger start give
    pointwise larger prices. *)
Theorem price_mono_load : forall g c load1 load2 p1 p2,
  0 <= g -> (forall k, load1 k <= load2 k) -> p1 <= p2 ->
  forall n, price g c load1 p1 n <= price g c load2 p2 n.
Proof.
  intros g c load1 load2 p1 p2 Hg Hl Hp n. induction n as [|n IH]; cbn [price].
  - exact Hp.
  - apply Rle_trans with (update g c (load1 n) (price g c load2 p2 n)).
    + apply update_mono_price. exact IH.
    + apply update_mono_load; auto.
Qed.

(** ** Ceiling over the reals

    The standard library's [up x] is the integer with [x < up x <= x + 1]; the ceiling is
    [1 - up (-x)]. *)

Definition Rceil (x : R) : Z := (1 - up (- x))%Z.

Lemma Rceil_ge : forall x, x <= IZR (Rceil x).
Proof.
  intro x. unfold Rceil. destruct (archimed (- x)) as [H1 H2].
  rewrite minus_IZR. lra.
Qed.

Lemma Rceil_lt : forall x, IZR (Rceil x) < x + 1.
Proof.
  intro x. unfold Rceil. destruct (archimed (- x)) as [H1 H2].
  rewrite minus_IZR. lra.
Qed.

(** The ceiling is the integer [z] with [z - 1 < x <= z]: this is how a fibre's file computes
    a concrete number of updates. *)
Lemma Rceil_unique : forall x z, IZR z - 1 < x <= IZR z -> Rceil x = z.
Proof.
  intros x z [H1 H2]. unfold Rceil.
  rewrite <- (tech_up (- x) (1 - z)).
  - lia.
  - rewrite minus_IZR. lra.
  - rewrite minus_IZR. lra.
Qed.

Lemma INR_Z_to_nat : forall z, (0 <= z)%Z -> INR (Z.to_nat z) = IZR z.
Proof. intros z Hz. rewrite INR_IZR_INZ, Z2Nat.id; auto. Qed.

Lemma INR_Z_to_nat_ge : forall z, IZR z <= INR (Z.to_nat z).
Proof.
  intro z. destruct (Z_lt_le_dec z 0) as [Hz | Hz].
  - destruct z as [|q|q]; try lia. rewrite Z2Nat.inj_neg. simpl.
    pose proof (IZR_lt _ _ Hz). lra.
  - rewrite INR_Z_to_nat by exact Hz. lra.
Qed.

(** ** Detection

    A load that stays at least [delta] above budget raises the price by at least [g delta] per
    update, so the price reaches a threshold [T] within [ceil (T / (g delta))] updates. *)

Definition detection_updates (g delta T : R) : nat := Z.to_nat (Rceil (T / (g * delta))).

Lemma price_lower_linear : forall g c delta load p0,
  0 <= g -> 0 <= p0 -> (forall k, c + delta <= load k) ->
  forall n, p0 + INR n * (g * delta) <= price g c load p0 n.
Proof.
  intros g c delta load p0 Hg Hp0 Hl n. induction n as [|n IH]; cbn [price].
  - simpl. lra.
  - unfold update. rewrite S_INR.
    apply Rle_trans with (price g c load p0 n + g * (load n - c)); [| apply Rmax0_ge].
    specialize (Hl n). assert (g * delta <= g * (load n - c)) by (apply Rmult_le_compat_l; lra).
    lra.
Qed.

Lemma detection_updates_enough : forall g delta T,
  0 < g -> 0 < delta -> T <= INR (detection_updates g delta T) * (g * delta).
Proof.
  intros g delta T Hg Hd. unfold detection_updates.
  assert (Hgd : 0 < g * delta) by (apply Rmult_lt_0_compat; lra).
  pose proof (Rceil_ge (T / (g * delta))) as Hc.
  pose proof (INR_Z_to_nat_ge (Rceil (T / (g * delta)))) as Hn.
  assert (T / (g * delta) <= INR (Z.to_nat (Rceil (T / (g * delta))))) by lra.
  apply Rmult_le_compat_r with (r := g * delta) in H; [| lra].
  unfold Rdiv in H. rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. exact H.
Qed.

(** Detection: whatever the starting price [p0 >= 0], a load at least [delta] above the budget
    on every update keeps the price at or above [T] from update
    [detection_updates g delta T] on. *)
Theorem detection : forall g c delta T load p0,
  0 < g -> 0 < delta -> 0 <= p0 -> (forall k, c + delta <= load k) ->
  forall n, (detection_updates g delta T <= n)%nat -> T <= price g c load p0 n.
Proof.
  intros g c delta T load p0 Hg Hd Hp0 Hl n Hn.
  pose proof (price_lower_linear g c delta load p0 ltac:(lra) Hp0 Hl n) as H.
  pose proof (detection_updates_enough g delta T Hg Hd) as HN.
  apply le_INR in Hn.
  assert (0 < g * delta) by (apply Rmult_lt_0_compat; lra).
  assert (INR (detection_updates g delta T) * (g * delta) <= INR n * (g * delta))
    by (apply Rmult_le_compat_r; lra).
  lra.
Qed.

(** The price from 0 under a load of exactly [c + delta]: [n g delta]. *)
Lemma price_constant_above : forall g c delta n,
  0 <= g -> 0 <= delta ->
  price g c (fun _ => c + delta) 0 n = INR n * (g * delta).
Proof.
  intros g c delta n Hg Hd. induction n as [|n IH]; cbn [price].
  - simpl. lra.
  - unfold update. rewrite IH, S_INR.
    rewrite Rmax0_of_nonneg.
    + ring.
    + assert (0 <= INR n) by apply pos_INR.
      assert (0 <= g * delta) by (apply Rmult_le_pos; lra). nra.
Qed.

(** The detection bound is exact: from price 0 under a load of exactly [c + delta], the price
    is still below [T > 0] one update before [detection_updates g delta T]. *)
Theorem detection_tight : forall g c delta T,
  0 < g -> 0 < delta -> 0 < T ->
  forall n, (n < detection_updates g delta T)%nat -> price g c (fun _ => c + delta) 0 n < T.
Proof.
  intros g c delta T Hg Hd HT n Hn.
  rewrite price_constant_above by lra.
  assert (Hgd : 0 < g * delta) by (apply Rmult_lt_0_compat; lra).
  unfold detection_updates in Hn.
  set (x := T / (g * delta)) in *.
  pose proof (Rceil_lt x) as Hc.
  assert (Hle : (S n <= Z.to_nat (Rceil x))%nat) by lia.
  assert (Hz : (0 <= Rceil x)%Z) by lia.
  apply le_INR in Hle. rewrite S_INR, INR_Z_to_nat in Hle by exact Hz.
  assert (Hx : INR n < x) by lra.
  apply Rmult_lt_compat_r with (r := g * delta) in Hx; [| exact Hgd].
  unfold x, Rdiv in Hx. rewrite Rmult_assoc, Rinv_l, Rmult_1_r in Hx by lra. exact Hx.
Qed.

(** ** Recovery

    A load that stays at least [delta] below budget lowers a positive price by at least
    [g delta] per update; once at 0 it stays there. *)

Definition recovery_updates (g delta p0 : R) : nat := Z.to_nat (Rceil (p0 / (g * delta))).

Lemma price_upper_linear : forall g c delta load p0,
  0 <= g -> 0 <= delta -> (forall k, load k <= c - delta) ->
  forall n, price g c load p0 n <= Rmax 0 (p0 - INR n * (g * delta)).
Proof.
  intros g c delta load p0 Hg Hd Hl n.
  assert (Hgd : 0 <= g * delta) by (apply Rmult_le_pos; lra).
  induction n as [|n IH]; cbn [price].
  - simpl. rewrite Rmult_0_l, Rminus_0_r. apply Rmax0_ge.
  - unfold update. rewrite S_INR.
    specialize (Hl n). assert (g * (load n - c) <= - (g * delta)).
    { replace (- (g * delta)) with (g * (- delta)) by ring.
      apply Rmult_le_compat_l; lra. }
    apply Rle_trans with (Rmax 0 (Rmax 0 (p0 - INR n * (g * delta)) - g * delta)).
    + apply Rmax0_mono. lra.
    + destruct (Rle_dec 0 (p0 - INR n * (g * delta))).
      * rewrite (Rmax0_of_nonneg (p0 - INR n * (g * delta))) by assumption.
        apply Rmax0_mono. lra.
      * rewrite (Rmax0_of_nonpos (p0 - INR n * (g * delta))) by lra.
        rewrite Rmax0_of_nonpos by lra. apply Rmax0_nonneg.
Qed.

Lemma recovery_updates_enough : forall g delta p0,
  0 < g -> 0 < delta -> p0 <= INR (recovery_updates g delta p0) * (g * delta).
Proof. intros. apply detection_updates_enough; assumption. Qed.

(** Recovery: from any price [p0 >= 0], a load at least [delta] below the budget on every
    update brings the price to 0 by update [recovery_updates g delta p0], and it stays 0. *)
Theorem recovery : forall g c delta load p0,
  0 < g -> 0 < delta -> 0 <= p0 -> (forall k, load k <= c - delta) ->
  forall n, (recovery_updates g delta p0 <= n)%nat -> price g c load p0 n = 0.
Proof.
  intros g c delta load p0 Hg Hd Hp0 Hl n Hn.
  pose proof (price_upper_linear g c delta load p0 ltac:(lra) ltac:(lra) Hl n) as Hup.
  pose proof (price_nonneg g c load p0 n Hp0) as Hlo.
  pose proof (recovery_updates_enough g delta p0 Hg Hd) as HN.
  apply le_INR in Hn.
  assert (0 < g * delta) by (apply Rmult_lt_0_compat; lra).
  assert (INR (recovery_updates g delta p0) * (g * delta) <= INR n * (g * delta))
    by (apply Rmult_le_compat_r; lra).
  rewrite Rmax0_of_nonpos in Hup by lra. lra.
Qed.

(** The price from [p0 >= 0] under a load of exactly [c - delta]: [max(0, p0 - n g delta)]. *)
Lemma price_constant_below : forall g c delta p0 n,
  0 <= g -> 0 <= delta -> 0 <= p0 ->
  price g c (fun _ => c - delta) p0 n = Rmax 0 (p0 - INR n * (g * delta)).
Proof.
  intros g c delta p0 n Hg Hd Hp0.
  assert (Hgd : 0 <= g * delta) by (apply Rmult_le_pos; lra).
  induction n as [|n IH]; cbn [price].
  - simpl. rewrite Rmax0_of_nonneg; lra.
  - unfold update. rewrite IH, S_INR.
    replace (g * (c - delta - c)) with (- (g * delta)) by ring.
    destruct (Rle_dec 0 (p0 - INR n * (g * delta))).
    + rewrite (Rmax0_of_nonneg (p0 - INR n * (g * delta))) by assumption.
      f_equal. ring.
    + rewrite (Rmax0_of_nonpos (p0 - INR n * (g * delta))) by lra.
      rewrite !Rmax0_of_nonpos by lra. reflexivity.
Qed.

(** The recovery bound is exact: from [p0 > 0] under a load of exactly [c - delta], the price
    is still positive one update before [recovery_updates g delta p0]. *)
Theorem recovery_tight : forall g c delta p0,
  0 < g -> 0 < delta -> 0 < p0 ->
  forall n, (n < recovery_updates g delta p0)%nat -> 0 < price g c (fun _ => c - delta) p0 n.
Proof.
  intros g c delta p0 Hg Hd Hp0 n Hn.
  assert (Hgd : 0 < g * delta) by (apply Rmult_lt_0_compat; lra).
  rewrite price_constant_below by lra.
  unfold recovery_updates in Hn.
  set (x := p0 / (g * delta)) in *.
  pose proof (Rceil_lt x) as Hc.
  assert (Hle : (S n <= Z.to_nat (Rceil x))%nat) by lia.
  assert (Hz : (0 <= Rceil x)%Z) by lia.
  apply le_INR in Hle. rewrite S_INR, INR_Z_to_nat in Hle by exact Hz.
  assert (Hx : INR n < x) by lra.
  apply Rmult_lt_compat_r with (r := g * delta) in Hx; [| exact Hgd].
  unfold x, Rdiv in Hx. rewrite Rmult_assoc, Rinv_l, Rmult_1_r in Hx by lra.
  rewrite Rmax0_of_nonneg; lra.
Qed.

(** ** Bounded Lyapunov drift

    V(p) = (p - pstar)^2 for a non-negative reference price [pstar]. When the load error is
    bounded, [|l - c| <= G], one update changes V by at most
    [2 g (p - pstar) (l - c) + g^2 G^2]. *)

Definition lyapunov (pstar p : R) : R := (p - pstar) ^ 2.

Theorem drift : forall g c l p pstar G,
  0 <= pstar -> Rabs (l - c) <= G ->
  lyapunov pstar (update g c l p) - lyapunov pstar p
    <= 2 * g * (p - pstar) * (l - c) + g ^ 2 * G ^ 2.
Proof.
  intros g c l p pstar G Hs HG. unfold lyapunov, update.
  pose proof (Rmax0_toward pstar (p + g * (l - c)) Hs) as H.
  assert ((l - c) ^ 2 <= G ^ 2).
  { assert (0 <= Rabs (l - c)) by apply Rabs_pos.
    rewrite <- (Rabs_sq (l - c)). apply pow_incr. lra. }
  assert (g ^ 2 * (l - c) ^ 2 <= g ^ 2 * G ^ 2).
  { apply Rmult_le_compat_l; [apply sq_nonneg | exact H0]. }
  nra.
Qed.

(** At an equilibrium of a load that falls as the price rises, the drift is at most
    [g^2 G^2]: [load] is the load the agents answer a price with (non-increasing), [pstar]
    satisfies the complementarity conditions [pstar >= 0], [load pstar <= c] and
    [pstar (load pstar - c) = 0], and the load error is at most [G]. *)
Theorem drift_at_equilibrium : forall g c (load : R -> R) pstar G p,
  0 <= g -> 0 <= p ->
  (forall p1 p2, (p1 - p2) * (load p1 - load p2) <= 0) ->
  0 <= pstar -> load pstar <= c -> pstar * (load pstar - c) = 0 ->
  Rabs (load p - c) <= G ->
  lyapunov pstar (update g c (load p) p) - lyapunov pstar p <= g ^ 2 * G ^ 2.
Proof.
  intros g c load pstar G p Hg Hp Hmono Hs Hfeas Hcompl HG.
  pose proof (drift g c (load p) p pstar G Hs HG) as H.
  assert ((p - pstar) * (load p - c) <= 0).
  { specialize (Hmono p pstar).
    replace ((p - pstar) * (load p - c))
      with ((p - pstar) * (load p - load pstar) + p * (load pstar - c)
            - pstar * (load pstar - c)) by ring.
    rewrite Hcompl. assert (p * (load pstar - c) <= 0) by nra. lra. }
  assert (2 * g * (p - pstar) * (load p - c) <= 0).
  { replace (2 * g * (p - pstar) * (load p - c)) with (2 * g * ((p - pstar) * (load p - c)))
      by ring. nra. }
  lra.
Qed.

(** ** The closed loop

    In a solved (or well-modelled online) fibre the agents answer each price [p] with the load
    [load p]; the price then follows [p_(k+1) = update g c (load p_k) p_k]. *)

Fixpoint closed_loop (g c : R) (load : R -> R) (p0 : R) (n : nat) : R :=
  match n with
  | O => p0
  | S k => let p := closed_loop g c load p0 k in update g c (load p) p
  end.

Lemma closed_loop_nonneg : forall g c load p0 n, 0 <= p0 -> 0 <= closed_loop g c load p0 n.
Proof. intros g c load p0 [|n] H; [exact H | apply update_nonneg]. Qed.

(** The load the agents answer with does not increase with the price (the dual function is
    convex). *)
Definition nonincreasing (load : R -> R) : Prop :=
  forall p q, (p - q) * (load p - load q) <= 0.

(** The load is [L]-Lipschitz in the price (the dual gradient is L-Lipschitz; for utilities of
    curvature at least mu, L = ||A||^2 / mu). *)
Definition lipschitz (load : R -> R) (L : R) : Prop :=
  forall p q, Rabs (load p - load q) <= L * Rabs (p - q).

(** The load falls at rate at least [m] (the dual function is m-strongly convex). *)
Definition strongly_decreasing (load : R -> R) (m : R) : Prop :=
  forall p q, m * (p - q) ^ 2 <= (p - q) * (load q - load p).

(** A price at which the update rests: [update g c (load pstar) pstar = pstar], equivalently
    [pstar >= 0], [load pstar <= c] and [pstar (load pstar - c) = 0] for [g > 0]. *)
Definition equilibrium (g c : R) (load : R -> R) (pstar : R) : Prop :=
  update g c (load pstar) pstar = pstar.

Lemma equilibrium_kkt : forall g c load pstar,
  0 < g -> equilibrium g c load pstar ->
  0 <= pstar /\ load pstar <= c /\ pstar * (load pstar - c) = 0.
Proof.
  intros g c load pstar Hg H. unfold equilibrium, update in H.
  assert (Hs : 0 <= pstar) by (rewrite <- H; apply Rmax0_nonneg).
  unfold Rmax in H. destruct (Rle_dec 0 (pstar + g * (load pstar - c))) as [Hle | Hlt].
  - assert (g * (load pstar - c) = 0) by lra.
    apply Rmult_integral in H0. destruct H0 as [H0 | H0]; [lra |].
    repeat split; try lra. rewrite H0. ring.
  - subst pstar. repeat split; try lra.
    assert (g * (load 0 - c) < 0) by lra.
    destruct (Rle_dec (load 0) c); [lra |].
    assert (0 < g * (load 0 - c)) by (apply Rmult_lt_0_compat; lra). lra.
Qed.

(** Over [n] updates of the closed loop at an equilibrium, V grows by at most [n g^2 G^2]. *)
Theorem drift_n_updates : forall g c (load : R -> R) pstar G p0,
  0 < g -> 0 <= p0 -> nonincreasing load -> equilibrium g c load pstar ->
  (forall p, 0 <= p -> Rabs (load p - c) <= G) ->
  forall n, lyapunov pstar (closed_loop g c load p0 n)
              <= lyapunov pstar p0 + INR n * (g ^ 2 * G ^ 2).
Proof.
  intros g c load pstar G p0 Hg Hp0 Hmono Heq HG n.
  destruct (equilibrium_kkt g c load pstar Hg Heq) as [Hs [Hfeas Hcompl]].
  induction n as [|n IH]; cbn [closed_loop].
  - simpl. lra.
  - rewrite S_INR.
    pose proof (closed_loop_nonneg g c load p0 n Hp0) as Hp.
    pose proof (drift_at_equilibrium g c load pstar G (closed_loop g c load p0 n)
                  ltac:(lra) Hp Hmono Hs Hfeas Hcompl (HG _ Hp)) as H.
    lra.
Qed.

(** ** Steps below 2/L: descent and contraction *)

Lemma Rmax0_lipschitz_sq : forall x y, (Rmax 0 x - Rmax 0 y) ^ 2 <= (x - y) ^ 2.
Proof.
  intros x y. rewrite <- (Rabs_sq (Rmax 0 x - Rmax 0 y)), <- (Rabs_sq (x - y)).
  apply pow_incr. split; [apply Rabs_pos | apply Rmax0_lipschitz].
Qed.

Lemma Rabs_le_0 : forall x, Rabs x <= 0 -> x = 0.
Proof. intros x H. unfold Rabs in H. destruct (Rcase_abs x); lra. Qed.

(** In one dimension a non-increasing L-Lipschitz load is co-coercive. *)
Lemma cocoercive : forall load L p q,
  nonincreasing load -> lipschitz load L ->
  (load p - load q) ^ 2 <= L * ((p - q) * (load q - load p)).
Proof.
  intros load L p q Hmono Hlip.
  specialize (Hmono p q). specialize (Hlip q p).
  set (a := p - q) in *. set (b := load q - load p) in *.
  replace (load p - load q) with (- b) in * by (unfold b; ring).
  replace (q - p) with (- a) in Hlip by (unfold a; ring).
  rewrite Rabs_Ropp in Hlip.
  assert (Hab : 0 <= a * b) by lra.
  replace ((- b) ^ 2) with (b * b) by ring.
  destruct (Rtotal_order a 0) as [Ha | [Ha | Ha]].
  - assert (b <= 0) by nra.
    rewrite (Rabs_left a) in Hlip by exact Ha. rewrite (Rabs_left1 b) in Hlip by exact H.
    assert (- b * - b <= - b * (L * - a)) by (apply Rmult_le_compat_l; lra). nra.
  - rewrite Ha, Rabs_R0, Rmult_0_r in Hlip.
    assert (b = 0) by (apply Rabs_le_0; lra).
    rewrite H. lra.
  - assert (0 <= b) by nra.
    rewrite (Rabs_right a) in Hlip by lra. rewrite (Rabs_right b) in Hlip by lra.
    assert (b * b <= b * (L * a)) by (apply Rmult_le_compat_l; lra). nra.
Qed.

(** Descent: for [0 <= g], one update brings two prices closer by at least
    [g (2/L - g) (load p - load q)^2] in square distance; with [g < 2/L] the update is
    non-expansive, and strictly contracting whenever the loads differ. *)
Theorem step_descent : forall g c load L p q,
  0 <= g -> 0 < L -> nonincreasing load -> lipschitz load L ->
  (update g c (load p) p - update g c (load q) q) ^ 2
    <= (p - q) ^ 2 - g * (2 / L - g) * (load p - load q) ^ 2.
Proof.
  intros g c load L p q Hg HL Hmono Hlip. unfold update.
  eapply Rle_trans; [apply Rmax0_lipschitz_sq |].
  pose proof (cocoercive load L p q Hmono Hlip) as Hc.
  set (a := p - q) in *. set (b := load q - load p) in *.
  replace (load p - load q) with (- b) in * by (unfold b; ring).
  replace (p + g * (load p - c) - (q + g * (load q - c))) with (a - g * b)
    by (unfold a, b; ring).
  replace ((- b) ^ 2) with (b ^ 2) in * by ring.
  assert (Hab : 2 / L * b ^ 2 <= 2 * (a * b)).
  { apply Rmult_le_reg_l with L; [exact HL |].
    unfold Rdiv. replace (L * (2 * / L * b ^ 2)) with (2 * b ^ 2) by (field; lra). nra. }
  assert (g * (2 / L * b ^ 2) <= g * (2 * (a * b))) by (apply Rmult_le_compat_l; lra).
  unfold Rdiv in *. nra.
Qed.

(** The distance to an equilibrium never grows along the closed loop when [0 <= g <= 2/L]. *)
Theorem descent_n_updates : forall g c load L pstar p0,
  0 <= g -> 0 < L -> g <= 2 / L -> nonincreasing load -> lipschitz load L ->
  equilibrium g c load pstar ->
  forall n, (closed_loop g c load p0 (S n) - pstar) ^ 2 <= (closed_loop g c load p0 n - pstar) ^ 2.
Proof.
  intros g c load L pstar p0 Hg HL Hstep Hmono Hlip Heq n. cbn [closed_loop].
  set (p := closed_loop g c load p0 n).
  pattern pstar at 1. rewrite <- Heq.
  pose proof (step_descent g c load L p pstar Hg HL Hmono Hlip) as H.
  assert (0 <= g * (2 / L - g) * (load p - load pstar) ^ 2).
  { apply Rmult_le_pos; [apply Rmult_le_pos; lra | apply sq_nonneg]. }
  lra.
Qed.

(** The contraction factor [max(|1 - g m|, |1 - g L|)]. *)
Definition contraction_factor (g m L : R) : R := Rmax (Rabs (1 - g * m)) (Rabs (1 - g * L)).

(** It is below 1 exactly in the stable range: [0 < m <= L] and [0 < g < 2/L]. *)
Lemma contraction_factor_lt_1 : forall g m L,
  0 < m <= L -> 0 < g -> g * L < 2 -> contraction_factor g m L < 1.
Proof.
  intros g m L Hm Hg HgL. unfold contraction_factor.
  assert (g * m <= g * L) by (apply Rmult_le_compat_l; lra).
  assert (0 < g * m) by (apply Rmult_lt_0_compat; lra).
  apply Rmax_lub_lt; unfold Rabs; destruct Rcase_abs; lra.
Qed.

Lemma Rabs_between : forall lo x hi, lo <= x <= hi -> Rabs x <= Rmax (Rabs lo) (Rabs hi).
Proof.
  intros lo x hi [H1 H2]. unfold Rmax.
  destruct (Rle_dec (Rabs lo) (Rabs hi)); unfold Rabs in *;
    repeat destruct Rcase_abs; lra.
Qed.

Lemma contraction_ordered : forall g c load m L p q,
  0 < m <= L -> 0 <= g -> strongly_decreasing load m -> lipschitz load L -> q <= p ->
  Rabs (update g c (load p) p - update g c (load q) q) <= contraction_factor g m L * Rabs (p - q).
Proof.
  intros g c load m L p q Hm Hg Hsd Hlip Hqp. unfold update.
  eapply Rle_trans; [apply Rmax0_lipschitz |].
  specialize (Hsd p q). specialize (Hlip q p).
  set (a := p - q) in *. set (b := load q - load p) in *.
  replace (p + g * (load p - c) - (q + g * (load q - c))) with (a - g * b)
    by (unfold a, b; ring).
  replace (q - p) with (- a) in Hlip by (unfold a; ring).
  rewrite Rabs_Ropp in Hlip. rewrite (Rabs_pos_eq a) in * by (unfold a; lra).
  destruct (Req_dec a 0) as [Ha | Ha].
  - rewrite Ha in *. rewrite Rmult_0_r in Hlip.
    assert (b = 0) by (apply Rabs_le_0; lra).
    rewrite H. rewrite Rmult_0_r, Rminus_0_r, Rabs_R0, Rmult_0_r. lra.
  - assert (Hapos : 0 < a) by (unfold a in *; lra).
    assert (Hlo : m * a <= b).
    { apply Rmult_le_reg_l with a; [exact Hapos |]. nra. }
    assert (Hhi : b <= L * a) by (pose proof (Rle_abs b); lra).
    assert (a * (1 - g * L) <= a - g * b <= a * (1 - g * m)).
    { split.
      - assert (g * b <= g * (L * a)) by (apply Rmult_le_compat_l; lra). lra.
      - assert (g * (m * a) <= g * b) by (apply Rmult_le_compat_l; lra). lra. }
    eapply Rle_trans; [apply (Rabs_between _ _ _ H) |].
    rewrite !Rabs_mult, (Rabs_pos_eq a) by lra.
    unfold contraction_factor. rewrite RmaxRmult by lra.
    rewrite (Rmax_comm (Rabs (1 - g * L))). lra.
Qed.

(** Contraction: if the load falls at rate at least [m] and at most [L] (strongly convex,
    L-smooth dual), one update shrinks the distance between any two prices by the factor
    [contraction_factor g m L], which is below 1 for [0 < g < 2/L]. The hypothesis holds of no
    bounded load on all prices (see the file's header); it is kept for unbounded models. *)
Theorem contraction : forall g c load m L p q,
  0 < m <= L -> 0 <= g -> strongly_decreasing load m -> lipschitz load L ->
  Rabs (update g c (load p) p - update g c (load q) q) <= contraction_factor g m L * Rabs (p - q).
Proof.
  intros g c load m L p q Hm Hg Hsd Hlip.
  destruct (Rle_dec q p) as [H | H].
  - apply contraction_ordered; auto.
  - rewrite Rabs_minus_sym, (Rabs_minus_sym p q).
    apply contraction_ordered; auto; lra.
Qed.

(** Along the closed loop the distance to an equilibrium shrinks geometrically:
    [|p_n - pstar| <= rho^n |p_0 - pstar|] with [rho = contraction_factor g m L]. *)
Theorem contraction_n_updates : forall g c load m L pstar p0,
  0 < m <= L -> 0 <= g -> strongly_decreasing load m -> lipschitz load L ->
  equilibrium g c load pstar ->
  forall n, Rabs (closed_loop g c load p0 n - pstar)
              <= contraction_factor g m L ^ n * Rabs (p0 - pstar).
Proof.
  intros g c load m L pstar p0 Hm Hg Hsd Hlip Heq n.
  assert (Hrho : 0 <= contraction_factor g m L).
  { unfold contraction_factor. eapply Rle_trans; [apply Rabs_pos | apply Rmax_l]. }
  induction n as [|n IH]; cbn [closed_loop pow].
  - lra.
  - set (p := closed_loop g c load p0 n) in *.
    pattern pstar at 1. rewrite <- Heq.
    eapply Rle_trans; [apply (contraction g c load m L p pstar Hm Hg Hsd Hlip) |].
    rewrite Rmult_assoc. apply Rmult_le_compat_l; assumption.
Qed.

(** ** The band around an equilibrium

    At an equilibrium [pstar] of a load that does not increase with the price and stays within
    [G] of the budget, one update never leaves the band [|p - pstar| <= max(|p0 - pstar|, g G)]:
    above [pstar] the load is at most the budget, so the price does not rise and falls by at
    most [g G]; below [pstar] (where the load at [pstar] meets the budget) it does not fall and
    rises by at most [g G]. *)
Theorem band_step : forall g c (load : R -> R) pstar G p,
  0 <= g -> 0 <= p -> nonincreasing load ->
  0 <= pstar -> load pstar <= c -> pstar * (load pstar - c) = 0 ->
  Rabs (load p - c) <= G ->
  Rabs (update g c (load p) p - pstar) <= Rmax (Rabs (p - pstar)) (g * G).
Proof.
  intros g c load pstar G p Hg Hp Hmono Hs Hfeas Hcompl HG.
  specialize (Hmono p pstar).
  assert (HG2 : - G <= load p - c <= G) by (unfold Rabs in HG; destruct Rcase_abs; lra).
  assert (HgG1 : g * (load p - c) <= g * G) by (apply Rmult_le_compat_l; lra).
  assert (HgG2 : - (g * G) <= g * (load p - c)).
  { replace (- (g * G)) with (g * (- G)) by ring. apply Rmult_le_compat_l; lra. }
  unfold update.
  destruct (Rle_dec pstar p) as [Hup | Hdown].
  - (* above the equilibrium: the load is at most the budget *)
    assert (Hl : load p <= c).
    { destruct (Req_dec p pstar) as [He | Hne].
      - subst p. exact Hfeas.
      - assert (load p <= load pstar).
        { destruct (Rle_dec (load p) (load pstar)) as [H | H]; [exact H |].
          assert (0 < (p - pstar) * (load p - load pstar)) by (apply Rmult_lt_0_compat; lra). lra. }
        lra. }
    assert (Hneg : g * (load p - c) <= 0).
    { replace 0 with (g * 0) by ring. apply Rmult_le_compat_l; lra. }
    unfold Rmax at 1. destruct (Rle_dec 0 (p + g * (load p - c))).
    + apply Rle_trans with (Rmax (Rabs (p - pstar)) (g * G)); [| lra].
      unfold Rabs at 1. destruct Rcase_abs.
      * apply Rle_trans with (g * G); [lra | apply Rmax_r].
      * apply Rle_trans with (Rabs (p - pstar)); [| apply Rmax_l].
        rewrite Rabs_right by lra. lra.
    + (* projected to 0: |0 - pstar| = pstar, and pstar <= p < - g (l - c) <= g G *)
      rewrite Rminus_0_l, Rabs_Ropp, Rabs_right by lra.
      apply Rle_trans with (g * G); [lra | apply Rmax_r].
  - (* below the equilibrium: pstar > 0, so the load at pstar is the budget *)
    assert (Hc : load pstar = c).
    { assert (pstar <> 0) by lra.
      apply Rmult_integral in Hcompl. destruct Hcompl; [contradiction | lra]. }
    assert (Hl : c <= load p).
    { destruct (Rle_dec (load pstar) (load p)) as [H | H]; [lra |].
      assert (0 < (p - pstar) * (load p - load pstar)).
      { replace ((p - pstar) * (load p - load pstar)) with ((pstar - p) * (load pstar - load p)) by ring.
        apply Rmult_lt_0_compat; lra. }
      lra. }
    assert (Hpos : 0 <= g * (load p - c)) by (apply Rmult_le_pos; lra).
    rewrite Rmax0_of_nonneg by lra.
    unfold Rabs at 1. destruct Rcase_abs.
    + apply Rle_trans with (Rabs (p - pstar)); [| apply Rmax_l].
      rewrite Rabs_left by lra. lra.
    + apply Rle_trans with (g * G); [lra | apply Rmax_r].
Qed.

(** The band along the closed loop: from any [p0 >= 0], every price stays within
    [max(|p0 - pstar|, g G)] of the equilibrium [pstar]. This bounds the price itself (the
    drift bound [drift_n_updates] lets V grow by [n g^2 G^2]); it does not say the price
    converges, which needs more of the load ([descent_n_updates]: the distance never grows for
    [g <= 2/L]). *)
Theorem band : forall g c (load : R -> R) pstar G p0,
  0 < g -> 0 <= p0 -> nonincreasing load -> equilibrium g c load pstar ->
  (forall p, 0 <= p -> Rabs (load p - c) <= G) ->
  forall n, Rabs (closed_loop g c load p0 n - pstar) <= Rmax (Rabs (p0 - pstar)) (g * G).
Proof.
  intros g c load pstar G p0 Hg Hp0 Hmono Heq HG n.
  destruct (equilibrium_kkt g c load pstar Hg Heq) as [Hs [Hfeas Hcompl]].
  induction n as [|n IH]; cbn [closed_loop].
  - apply Rmax_l.
  - set (p := closed_loop g c load p0 n) in *.
    pose proof (closed_loop_nonneg g c load p0 n Hp0) as Hp.
    eapply Rle_trans.
    + apply (band_step g c load pstar G p); try assumption; lra || exact (HG p Hp).
    + apply Rmax_lub; [exact IH | apply Rmax_r].
Qed.
