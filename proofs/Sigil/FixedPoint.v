(** * The kernel's fixed-point price update over Z

    The kernel has no floating point. It keeps a price as an integer scaled by [2^bits] and
    updates it with the same rule as [PriceUpdate.update], in integers:

      l'  = max(0, min(l, LoadMax))                  input clamp
      e   = l' - Budget                              excess of the load over the budget
      m   = Step * e                                 scaled twice
      i   = m >> bits                                arithmetic shift: floor(m / 2^bits)
      s   = p + i
      p'  = min(PriceMax, max(0, s))                 projection and saturation

    This file proves that no intermediate leaves the signed 64-bit range under the clamps
    ([fx_no_overflow]), that the price saturates at PriceMax ([fx_update_range],
    [fx_saturates]), that one update is less than one unit of the scale below the real-valued
    update ([fx_one_step_error]) and [n] updates at most [n] units ([fx_accumulated_error],
    [fx_tracks_price]), and the fixed-point detection and recovery bounds ([fx_detection],
    [fx_recovery]). Kernel.v shows that the C code (bpf/sigil_fixed.h) computes exactly this
    update, and covers its conversion of nanoseconds to scaled loads. *)

From Coq Require Import ZArith Lia Rbase Rfunctions Lra.

(* The arithmetic tactics keep no cache files beside the sources. *)
Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.
From Sigil Require Import PriceUpdate.

(** ** The update *)

(** The kernel's numbers, all scaled by [2^fx_bits] (a value v is stored as v * 2^bits). *)
Record fixed_point := {
  fx_bits : Z;
  fx_step : Z;
  fx_budget : Z;
  fx_load_max : Z;
  fx_price_max : Z
}.

(** The numbers make sense: non-negative, and the shift is at most 62 binary digits. *)
Definition fx_wf (P : fixed_point) : Prop :=
  (0 <= fx_bits P <= 62 /\ 0 <= fx_step P /\ 0 <= fx_budget P /\ 0 <= fx_load_max P
   /\ 0 <= fx_price_max P)%Z.

Definition int64_min : Z := (- 2 ^ 63)%Z.
Definition int64_max : Z := (2 ^ 63 - 1)%Z.
Definition in_int64 (z : Z) : Prop := (int64_min <= z <= int64_max)%Z.

Open Scope Z_scope.

Definition clamp_load (P : fixed_point) (l : Z) : Z := Z.max 0 (Z.min l (fx_load_max P)).
Definition excess (P : fixed_point) (l : Z) : Z := clamp_load P l - fx_budget P.
Definition product (P : fixed_point) (l : Z) : Z := fx_step P * excess P l.
Definition increment (P : fixed_point) (l : Z) : Z := Z.shiftr (product P l) (fx_bits P).
Definition raw_sum (P : fixed_point) (l p : Z) : Z := p + increment P l.
Definition fx_update (P : fixed_point) (l p : Z) : Z :=
  Z.min (fx_price_max P) (Z.max 0 (raw_sum P l p)).

(** The price after [n] updates from [p0], the [k]-th update seeing the raw load [load k]. *)
Fixpoint fx_price (P : fixed_point) (load : nat -> Z) (p0 : Z) (n : nat) : Z :=
  match n with
  | O => p0
  | S k => fx_update P (load k) (fx_price P load p0 k)
  end.

(** ** Arithmetic facts *)

Lemma pow2_pos : forall b, 0 <= b -> 0 < 2 ^ b.
Proof. intros b Hb. apply Z.pow_pos_nonneg; lia. Qed.

Lemma increment_div : forall P l, 0 <= fx_bits P -> increment P l = product P l / 2 ^ fx_bits P.
Proof. intros P l Hb. unfold increment. apply Z.shiftr_div_pow2. exact Hb. Qed.

(** Floor division by [d >= 1] stays between [z] and 0. *)
Lemma div_between : forall z d, 1 <= d ->
  (0 <= z -> 0 <= z / d <= z) /\ (z <= 0 -> z <= z / d <= 0).
Proof.
  intros z d Hd. split; intro Hz.
  - split; [apply Z.div_pos; lia |].
    apply Z.div_le_upper_bound; nia.
  - split.
    + apply Z.div_le_lower_bound; nia.
    + apply Z.div_le_upper_bound; nia.
Qed.

Lemma clamp_load_range : forall P l, 0 <= fx_load_max P ->
  0 <= clamp_load P l <= fx_load_max P.
Proof. intros P l H. unfold clamp_load. lia. Qed.

(** ** No overflow *)

(** Every intermediate of the update stays within the signed 64-bit range, for any raw load
    that is itself a 64-bit integer and any price within [0, PriceMax], provided
    [PriceMax + (StepMax + 1) (LoadMax + Budget + 1)] fits, with the step at most [StepMax]. *)
Theorem fx_no_overflow : forall P step_max l p,
  fx_wf P -> fx_step P <= step_max ->
  fx_price_max P + (step_max + 1) * (fx_load_max P + fx_budget P + 1) <= int64_max ->
  in_int64 l -> 0 <= p <= fx_price_max P ->
  in_int64 (clamp_load P l) /\ in_int64 (excess P l) /\ in_int64 (product P l)
  /\ in_int64 (increment P l) /\ in_int64 (raw_sum P l p) /\ in_int64 (fx_update P l p).
Proof.
  intros P step_max l p (Hb & Hs & Hc & Hm & Hpm) Hsm Hfit Hl Hp.
  unfold in_int64, int64_min, int64_max in *.
  pose proof (clamp_load_range P l Hm) as Hcl.
  assert (Hex : - fx_budget P <= excess P l <= fx_load_max P) by (unfold excess; lia).
  assert (Hprod : - (step_max * fx_budget P) <= product P l <= step_max * fx_load_max P).
  { unfold product. split; nia. }
  assert (H2 : 1 <= 2 ^ fx_bits P) by (pose proof (pow2_pos (fx_bits P) ltac:(lia)); lia).
  assert (0 <= step_max * fx_budget P) by nia.
  assert (0 <= step_max * fx_load_max P) by nia.
  assert (Hinc : - (step_max * fx_budget P) <= increment P l <= step_max * fx_load_max P).
  { rewrite increment_div by lia.
    destruct (div_between (product P l) (2 ^ fx_bits P) H2) as [Hpos Hneg].
    destruct (Z_le_gt_dec 0 (product P l)); [specialize (Hpos ltac:(lia)) | specialize (Hneg ltac:(lia))];
      lia. }
  assert (step_max * (fx_load_max P + fx_budget P + 1)
          = step_max * fx_load_max P + step_max * fx_budget P + step_max) by ring.
  unfold raw_sum, fx_update. repeat split; lia.
Qed.

(** ** Saturation *)

(** The price stays within [0, PriceMax]. *)
Theorem fx_update_range : forall P l p, fx_wf P -> 0 <= fx_update P l p <= fx_price_max P.
Proof. intros P l p (Hb & Hs & Hc & Hm & Hpm). unfold fx_update. lia. Qed.

(** A sum at or above PriceMax saturates: the price is PriceMax. *)
Theorem fx_saturates : forall P l p,
  fx_wf P -> fx_price_max P <= raw_sum P l p -> fx_update P l p = fx_price_max P.
Proof. intros P l p (Hb & Hs & Hc & Hm & Hpm) H. unfold fx_update. lia. Qed.

(** Between the bounds the update is exactly the integer sum. *)
Theorem fx_update_inside : forall P l p,
  0 <= raw_sum P l p <= fx_price_max P -> fx_update P l p = raw_sum P l p.
Proof. intros P l p H. unfold fx_update. lia. Qed.

(** ** Detection and recovery in fixed point *)

(** The least increment a load [delta] (scaled) above budget causes: [floor(Step delta / 2^bits)]. *)
Definition fx_gain (P : fixed_point) (delta : Z) : Z := Z.shiftr (fx_step P * delta) (fx_bits P).

(** [ceil (T / q)] updates, for [q > 0]. *)
Definition fx_updates (q T : Z) : nat := Z.to_nat ((T + q - 1) / q).

Lemma fx_updates_enough : forall q T n, 0 < q -> (fx_updates q T <= n)%nat -> T <= Z.of_nat n * q.
Proof.
  intros q T n Hq Hn. unfold fx_updates in Hn.
  pose proof (Z.div_mod (T + q - 1) q ltac:(lia)) as Hdm.
  pose proof (Z.mod_pos_bound (T + q - 1) q Hq) as Hr.
  set (N := (T + q - 1) / q) in *.
  assert (T <= N * q) by lia.
  destruct (Z_le_gt_dec 0 N).
  - assert (N <= Z.of_nat n) by lia. nia.
  - assert (T <= 0) by nia. nia.
Qed.

Lemma increment_mono : forall P l1 l2, fx_wf P -> l1 <= l2 -> increment P l1 <= increment P l2.
Proof.
  intros P l1 l2 (Hb & Hs & Hc & Hm & Hpm) Hl. rewrite !increment_div by lia.
  apply Z.div_le_mono; [apply pow2_pos; lia |].
  unfold product, excess, clamp_load. nia.
Qed.

(** Detection: with a load at least [delta] (scaled) above the budget on every update, and a
    positive gain [q = fx_gain P delta], the price is at or above any [T <= PriceMax] from update
    [fx_updates q T] on. *)
Theorem fx_detection : forall P delta T load p0,
  fx_wf P -> 0 < delta -> fx_budget P + delta <= fx_load_max P -> 0 < fx_gain P delta ->
  0 <= p0 -> T <= fx_price_max P -> (forall k, fx_budget P + delta <= load k) ->
  forall n, (fx_updates (fx_gain P delta) T <= n)%nat -> T <= fx_price P load p0 n.
Proof.
  intros P delta T load p0 Hwf Hd Hfit Hq Hp0 HT Hl n Hn.
  set (q := fx_gain P delta) in *.
  assert (Hwf' := Hwf). destruct Hwf' as (Hb & Hs & Hc & Hm & Hpm).
  assert (Hinc : forall k, q <= increment P (load k)).
  { intro k. unfold q, fx_gain. rewrite Z.shiftr_div_pow2, increment_div by lia.
    apply Z.div_le_mono; [apply pow2_pos; lia |].
    unfold product, excess, clamp_load. specialize (Hl k). nia. }
  assert (Hlow : forall m, Z.min (fx_price_max P) (p0 + Z.of_nat m * q) <= fx_price P load p0 m).
  { induction m as [|m IH]; cbn [fx_price].
    - lia.
    - unfold fx_update, raw_sum. specialize (Hinc m). lia. }
  pose proof (fx_updates_enough q T n Hq Hn). specialize (Hlow n). lia.
Qed.

Lemma div_opp_le : forall x d, 0 < d -> (- x) / d <= - (x / d).
Proof.
  intros x d Hd. apply Z.div_le_upper_bound; [exact Hd |].
  pose proof (Z.mul_div_le x d Hd). lia.
Qed.

(** Recovery: with a load at least [delta] (scaled) below the budget on every update, the price
    falls from any [p0 >= 0] to 0 by update [fx_updates q p0], [q = fx_gain P delta > 0], and
    stays there. *)
Theorem fx_recovery : forall P delta load p0,
  fx_wf P -> 0 < delta <= fx_budget P -> 0 < fx_gain P delta -> 0 <= p0 ->
  (forall k, load k <= fx_budget P - delta) ->
  forall n, (fx_updates (fx_gain P delta) p0 <= n)%nat -> fx_price P load p0 n = 0.
Proof.
  intros P delta load p0 Hwf Hd Hq Hp0 Hl n Hn.
  set (q := fx_gain P delta) in *.
  assert (Hwf' := Hwf). destruct Hwf' as (Hb & Hs & Hc & Hm & Hpm).
  assert (Hinc : forall k, increment P (load k) <= - q).
  { intro k. unfold q, fx_gain. rewrite Z.shiftr_div_pow2, increment_div by lia.
    eapply Z.le_trans; [| apply div_opp_le; apply pow2_pos; lia].
    apply Z.div_le_mono; [apply pow2_pos; lia |].
    unfold product, excess, clamp_load. specialize (Hl k). nia. }
  assert (Hhigh : forall m, fx_price P load p0 m <= Z.max 0 (p0 - Z.of_nat m * q)).
  { induction m as [|m IH]; cbn [fx_price].
    - lia.
    - unfold fx_update, raw_sum. specialize (Hinc m). lia. }
  assert (Hlow : 0 <= fx_price P load p0 n).
  { destruct n; cbn [fx_price]; [exact Hp0 | apply fx_update_range; exact Hwf]. }
  pose proof (fx_updates_enough q p0 n Hq Hn). specialize (Hhigh n). lia.
Qed.

(** ** Against the real-valued update *)

Open Scope R_scope.

Definition scale (P : fixed_point) : R := IZR (2 ^ fx_bits P).
Definition to_real (P : fixed_point) (z : Z) : R := IZR z / scale P.

Lemma scale_pos : forall P, (0 <= fx_bits P)%Z -> 0 < scale P.
Proof. intros P H. unfold scale. apply IZR_lt. apply pow2_pos. exact H. Qed.

Lemma IZR_max : forall a b, IZR (Z.max a b) = Rmax (IZR a) (IZR b).
Proof.
  intros a b. unfold Rmax. destruct (Rle_dec (IZR a) (IZR b)) as [H | H].
  - apply le_IZR in H. f_equal. lia.
  - assert (b < a)%Z by (apply lt_IZR; lra). f_equal. lia.
Qed.

Lemma IZR_min : forall a b, IZR (Z.min a b) = Rmin (IZR a) (IZR b).
Proof.
  intros a b. unfold Rmin. destruct (Rle_dec (IZR a) (IZR b)) as [H | H].
  - apply le_IZR in H. f_equal. lia.
  - assert (b < a)%Z by (apply lt_IZR; lra). f_equal. lia.
Qed.

(** Floor division: [z / d <= z/d < z / d + 1] for [d > 0]. *)
Lemma floor_div_bounds : forall z d, (0 < d)%Z ->
  IZR (z / d) <= IZR z / IZR d < IZR (z / d) + 1.
Proof.
  intros z d Hd.
  pose proof (Z.div_mod z d ltac:(lia)) as Hdm.
  pose proof (Z.mod_pos_bound z d Hd) as Hr.
  assert (Hz : IZR z = IZR d * IZR (z / d) + IZR (z mod d)).
  { rewrite <- mult_IZR, <- plus_IZR. f_equal. exact Hdm. }
  assert (0 <= IZR (z mod d) < IZR d) by (split; apply IZR_le || apply IZR_lt; lia).
  assert (0 < IZR d) by (apply IZR_lt; exact Hd).
  rewrite Hz. split.
  - apply Rmult_le_reg_r with (IZR d); [lra |].
    unfold Rdiv. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. lra.
  - apply Rmult_lt_reg_r with (IZR d); [lra |].
    unfold Rdiv. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. lra.
Qed.

(** Projection and saturation: [h x = min(M, max(0, x))], monotone and 1-Lipschitz. *)
Definition clip (M x : R) : R := Rmin M (Rmax 0 x).

Lemma clip_mono : forall M x y, x <= y -> clip M x <= clip M y.
Proof.
  intros M x y H. unfold clip, Rmin, Rmax.
  repeat destruct Rle_dec; lra.
Qed.

Lemma clip_lipschitz : forall M x y, x <= y -> clip M y - clip M x <= y - x.
Proof.
  intros M x y H. unfold clip, Rmin, Rmax.
  repeat destruct Rle_dec; lra.
Qed.

(** The real update with the kernel's numbers read as reals ([z / 2^bits]) and its
    saturation at PriceMax: [min(PriceMax, max(0, p + g (l - c)))]. *)
Definition real_update (P : fixed_point) (l : Z) (p : R) : R :=
  Rmin (to_real P (fx_price_max P))
       (update (to_real P (fx_step P)) (to_real P (fx_budget P)) (to_real P (clamp_load P l)) p).

Lemma Rmax0_div : forall x s, 0 < s -> Rmax 0 (x / s) = Rmax 0 x / s.
Proof.
  intros x s Hs. unfold Rmax. destruct (Rle_dec 0 (x / s)) as [H1 | H1];
    destruct (Rle_dec 0 x) as [H2 | H2]; try reflexivity.
  - exfalso. apply H2. apply Rmult_le_reg_r with (/ s); [apply Rinv_0_lt_compat; lra |].
    rewrite Rmult_0_l. exact H1.
  - exfalso. apply H1. unfold Rdiv. apply Rmult_le_pos; [lra | left; apply Rinv_0_lt_compat; lra].
  - unfold Rdiv. ring.
Qed.

Lemma Rmin_div : forall x y s, 0 < s -> Rmin (x / s) (y / s) = Rmin x y / s.
Proof.
  intros x y s Hs. unfold Rmin. destruct (Rle_dec (x / s) (y / s)) as [H1 | H1];
    destruct (Rle_dec x y) as [H2 | H2]; try reflexivity.
  - exfalso. apply H2. apply Rmult_le_reg_r with (/ s); [apply Rinv_0_lt_compat; lra |].
    exact H1.
  - exfalso. apply H1. apply Rmult_le_compat_r; [left; apply Rinv_0_lt_compat; lra | exact H2].
Qed.

Lemma real_update_clip : forall P l p, (0 <= fx_bits P)%Z ->
  real_update P l p
  = clip (IZR (fx_price_max P)) (p * scale P + IZR (product P l) / scale P) / scale P.
Proof.
  intros P l p Hb. pose proof (scale_pos P Hb) as Hs.
  unfold real_update, update, clip, to_real, product, excess.
  rewrite mult_IZR, minus_IZR.
  replace (p + IZR (fx_step P) / scale P
                 * (IZR (clamp_load P l) / scale P - IZR (fx_budget P) / scale P))
    with ((p * scale P + IZR (fx_step P) * (IZR (clamp_load P l) - IZR (fx_budget P)) / scale P)
          / scale P) by (field; lra).
  rewrite Rmax0_div, Rmin_div by exact Hs. reflexivity.
Qed.

Lemma fx_update_clip : forall P l p, (0 <= fx_bits P)%Z ->
  to_real P (fx_update P l p)
  = clip (IZR (fx_price_max P)) (IZR p + IZR (product P l / 2 ^ fx_bits P)) / scale P.
Proof.
  intros P l p Hb. unfold to_real, fx_update, raw_sum, clip.
  rewrite increment_div by exact Hb. rewrite IZR_min, IZR_max, plus_IZR. reflexivity.
Qed.

(** One update: the kernel's price is below the real-valued price by less than one unit of the
    scale, [1 / 2^bits]. *)
Theorem fx_one_step_error : forall P l p, fx_wf P ->
  0 <= real_update P l (to_real P p) - to_real P (fx_update P l p) < 1 / scale P.
Proof.
  intros P l p (Hb & _). pose proof (scale_pos P ltac:(lia)) as Hs.
  rewrite real_update_clip, fx_update_clip by lia.
  unfold to_real. replace (IZR p / scale P * scale P) with (IZR p) by (field; lra).
  pose proof (floor_div_bounds (product P l) (2 ^ fx_bits P) (pow2_pos (fx_bits P) ltac:(lia))) as Hf.
  fold (scale P) in Hf.
  set (X := IZR p + IZR (product P l) / scale P).
  set (Y := IZR p + IZR (product P l / 2 ^ fx_bits P)).
  assert (Y <= X < Y + 1) by (unfold X, Y; lra).
  pose proof (clip_mono (IZR (fx_price_max P)) Y X ltac:(lra)).
  pose proof (clip_lipschitz (IZR (fx_price_max P)) Y X ltac:(lra)).
  unfold Rdiv. rewrite <- Rmult_minus_distr_r.
  pose proof (Rinv_0_lt_compat _ Hs). split.
  - apply Rmult_le_pos; lra.
  - rewrite Rmult_1_l. rewrite <- (Rmult_1_l (/ scale P)) at 2.
    apply Rmult_lt_compat_r; lra.
Qed.

(** The real update is monotone and 1-Lipschitz in the price. *)
Lemma real_update_lipschitz : forall P l p q, (0 <= fx_bits P)%Z -> p <= q ->
  0 <= real_update P l q - real_update P l p <= q - p.
Proof.
  intros P l p q Hb Hpq. pose proof (scale_pos P Hb) as Hs.
  rewrite !real_update_clip by exact Hb.
  set (k := IZR (product P l) / scale P).
  assert (p * scale P + k <= q * scale P + k) by (apply Rplus_le_compat_r, Rmult_le_compat_r; lra).
  pose proof (clip_mono (IZR (fx_price_max P)) _ _ H).
  pose proof (clip_lipschitz (IZR (fx_price_max P)) _ _ H).
  unfold Rdiv. rewrite <- Rmult_minus_distr_r.
  pose proof (Rinv_0_lt_compat _ Hs). split.
  - apply Rmult_le_pos; lra.
  - replace (q - p) with ((q * scale P + k - (p * scale P + k)) * / scale P) by (field; lra).
    apply Rmult_le_compat_r; lra.
Qed.

(** The real-valued price (saturated at PriceMax) after [n] updates. *)
Fixpoint real_price (P : fixed_point) (load : nat -> Z) (p0 : R) (n : nat) : R :=
  match n with
  | O => p0
  | S k => real_update P (load k) (real_price P load p0 k)
  end.

(** [n] updates: the kernel's price is below the real-valued price by at most [n] units of the
    scale, [n / 2^bits]. *)
Theorem fx_accumulated_error : forall P load p0, fx_wf P ->
  forall n, 0 <= real_price P load (to_real P p0) n - to_real P (fx_price P load p0 n)
              <= INR n / scale P.
Proof.
  intros P load p0 Hwf n. assert (Hb : (0 <= fx_bits P)%Z) by (destruct Hwf; lia).
  pose proof (scale_pos P Hb) as Hs.
  induction n as [|n IH]; cbn [real_price fx_price].
  - simpl. unfold Rdiv. rewrite Rmult_0_l. lra.
  - set (R := real_price P load (to_real P p0) n) in *.
    set (F := fx_price P load p0 n) in *.
    pose proof (real_update_lipschitz P (load n) (to_real P F) R Hb ltac:(lra)) as H1.
    pose proof (fx_one_step_error P (load n) F Hwf) as H2.
    rewrite S_INR. unfold Rdiv in *. rewrite Rmult_plus_distr_r, Rmult_1_l. lra.
Qed.

(** The real-valued price of [PriceUpdate], with the kernel's numbers read as reals. *)
Definition real_of (P : fixed_point) (load : nat -> Z) (p0 : Z) (n : nat) : R :=
  price (to_real P (fx_step P)) (to_real P (fx_budget P))
        (fun k => to_real P (clamp_load P (load k))) (to_real P p0) n.

Lemma real_price_unsaturated : forall P load p0 n,
  (forall k, (k <= n)%nat -> real_of P load p0 k <= to_real P (fx_price_max P)) ->
  real_price P load (to_real P p0) n = real_of P load p0 n.
Proof.
  intros P load p0 n H. induction n as [|n IH]; cbn [real_price].
  - reflexivity.
  - rewrite IH by (intros k Hk; apply H; lia).
    unfold real_update. specialize (H (S n) (le_n _)).
    unfold real_of in *. cbn [price] in *.
    unfold Rmin. destruct Rle_dec; lra.
Qed.

(** While the real-valued price stays at or below PriceMax, the kernel's price after [n]
    updates is below it by at most [n / 2^bits]. *)
Theorem fx_tracks_price : forall P load p0 n, fx_wf P ->
  (forall k, (k <= n)%nat -> real_of P load p0 k <= to_real P (fx_price_max P)) ->
  0 <= real_of P load p0 n - to_real P (fx_price P load p0 n) <= INR n / scale P.
Proof.
  intros P load p0 n Hwf H. rewrite <- real_price_unsaturated by exact H.
  apply fx_accumulated_error. exact Hwf.
Qed.

(** ** The compare-and-swap retry of the generated program

    A model of the loop the BPF emitter writes around [sigil_fx_price_update]
    (templates/bpf/fibre.bpf.c.scriban, [price_update]): one sample's update makes at most [tries]
    attempts; attempt [i] reads the stored price [read i] (whatever concurrent updates left
    there) and stores [fx_update P l (read i)] when the slot still holds what it read
    ([wins i = true], the compare-and-swap succeeding). When no attempt wins, the sample is
    dropped: [None]. The reads and the outcomes are arbitrary: they stand for every
    interleaving with other CPUs. What is modelled is the loop's logic over the proved
    [fx_update], not the printed C of the loop (which the emitter writes). *)

Open Scope Z_scope.

Fixpoint cas_update (P : fixed_point) (l : Z) (tries : nat) (read : nat -> Z) (wins : nat -> bool)
    (i : nat) : option Z :=
  match tries with
  | O => None
  | S t => if wins i then Some (fx_update P l (read i)) else cas_update P l t read wins (S i)
  end.

(** Whatever the interleaving, a value the loop stores is a price in [0, PriceMax]. *)
Theorem cas_update_range : forall P l tries read wins i v, fx_wf P ->
  cas_update P l tries read wins i = Some v -> 0 <= v <= fx_price_max P.
Proof.
  intros P l tries. induction tries as [| t IH]; intros read wins i v Hwf H; cbn in H; [discriminate |].
  destruct (wins i); [injection H as <-; apply fx_update_range; exact Hwf | exact (IH _ _ _ _ Hwf H)].
Qed.

(** The loop drops the sample exactly when every one of its [tries] attempts loses its
    compare-and-swap. *)
Theorem cas_update_dropped_iff : forall P l tries read wins i,
  cas_update P l tries read wins i = None <-> (forall k, (i <= k < i + tries)%nat -> wins k = false).
Proof.
  intros P l tries. induction tries as [| t IH]; intros read wins i; cbn.
  - split; [intros _ k Hk; lia | reflexivity].
  - destruct (wins i) eqn:Hw; split.
    + discriminate.
    + intros H. rewrite (H i) in Hw by lia. discriminate.
    + intros H k Hk. destruct (Nat.eq_dec k i) as [-> | Hne]; [exact Hw |].
      apply (proj1 (IH read wins (S i)) H). lia.
    + intros H. apply IH. intros k Hk. apply H. lia.
Qed.

(** A dropped sample costs one step: from any price in [0, PriceMax], applying the sample
    would move the price by at most the size of its increment, [|(Step (clamp(l) - Budget)) >>
    bits|], so a dropped update leaves the price that far, at most, from where it would be. *)
Theorem cas_dropped_one_step : forall P l p, fx_wf P -> 0 <= p <= fx_price_max P ->
  Z.abs (fx_update P l p - p) <= Z.abs (increment P l).
Proof.
  intros P l p Hwf Hp. unfold fx_update, raw_sum. lia.
Qed.
