(** * The kernel's hold timer: detection in time

    A span that stays open (a file held and never closed) is priced by a kernel timer
    ([templates/bpf/sensor_span.scriban], [charge_<variable>_span]). Each tick computes the
    span's excess over the budget now, [e = sigil_fx_from_ns(now - open) - budget], and, when it
    is above what earlier ticks charged, [c], claims [c..e] by compare-and-swap and updates the
    price with the same printed code as a close, [sigil_fx_price_update(p, budget + (e - c))],
    which is [fx_update] (Kernel.v: [kernel_update_exact]). The close charges the rest.

    This file models the ticks' charges ([timer_price]: the claimed excess [ex k] after the
    [k]-th tick, non-decreasing, starting from 0) and proves that each tick loses less than one
    unit of the scale to the floor of the shift ([timer_price_lower]), so that the price is at
    least the fixed-point step times the whole excess, less one unit per tick
    ([timer_detection]). A fibre's file turns that into seconds with its own numbers. *)

From Coq Require Import ZArith Lia.

(* The arithmetic tactics keep no cache files beside the sources. *)
Unset Lia Cache.
Unset Nia Cache.
From Sigil Require Import FixedPoint.

Open Scope Z_scope.

(** One tick: the units [c..e] of excess charged with the kernel's update, at the load
    [budget + (e - c)]. *)
Definition timer_charge (P : fixed_point) (c e p : Z) : Z := fx_update P (fx_budget P + (e - c)) p.

(** The price after [n] ticks from [p0], the [k]-th tick having claimed the excess [ex (S k)]
    (a tick with nothing to charge claims what was claimed before: [ex (S k) = ex k]). *)
Fixpoint timer_price (P : fixed_point) (ex : nat -> Z) (p0 : Z) (n : nat) : Z :=
  match n with
  | O => p0
  | S k => timer_charge P (ex k) (ex (S k)) (timer_price P ex p0 k)
  end.

(** A tick that charges [d = e - c >= 0] units raises the price by [floor(step d / 2^bits)],
    at most one unit of the scale less than [step d / 2^bits], unless it saturates. *)
Lemma timer_charge_lower : forall P c e p, fx_wf P -> 0 <= c <= e ->
  fx_budget P + (e - c) <= fx_load_max P -> 0 <= p <= fx_price_max P ->
  0 <= timer_charge P c e p <= fx_price_max P
  /\ (timer_charge P c e p = fx_price_max P
      \/ 2 ^ fx_bits P * timer_charge P c e p
           >= 2 ^ fx_bits P * p + fx_step P * (e - c) - (2 ^ fx_bits P - 1)).
Proof.
  intros P c e p Hwf Hc Hmax Hp.
  destruct Hwf as [Hb [Hs [HB [HL HM]]]].
  assert (Hpow : 0 < 2 ^ fx_bits P) by (apply Z.pow_pos_nonneg; lia).
  assert (Hcl : clamp_load P (fx_budget P + (e - c)) = fx_budget P + (e - c)).
  { unfold clamp_load. lia. }
  assert (Hinc : increment P (fx_budget P + (e - c)) = fx_step P * (e - c) / 2 ^ fx_bits P).
  { rewrite increment_div by lia. unfold product, excess. rewrite Hcl. f_equal. ring. }
  assert (Hq0 : 0 <= fx_step P * (e - c) / 2 ^ fx_bits P).
  { apply Z.div_pos; [apply Z.mul_nonneg_nonneg; lia | lia]. }
  assert (Hmod := Z.mod_pos_bound (fx_step P * (e - c)) (2 ^ fx_bits P) Hpow).
  assert (Hdiv := Z.div_mod (fx_step P * (e - c)) (2 ^ fx_bits P) ltac:(lia)).
  unfold timer_charge, fx_update, raw_sum. rewrite Hinc.
  set (q := fx_step P * (e - c) / 2 ^ fx_bits P) in *.
  set (r := (fx_step P * (e - c)) mod 2 ^ fx_bits P) in *.
  split; [lia |].
  destruct (Z.le_gt_cases (fx_price_max P) (p + q)) as [Hsat | Hin].
  - left. lia.
  - right. rewrite Z.max_r by lia. rewrite Z.min_r by lia. nia.
Qed.

(** [n] ticks from a price in [0, PriceMax], claiming a non-decreasing excess from [ex 0]
    (each claim within the load clamp): the price is in range and either saturated or at least
    [p0 + (step (ex n - ex 0) - n (2^bits - 1)) / 2^bits]. *)
Theorem timer_price_lower : forall P ex p0 n, fx_wf P -> 0 <= p0 <= fx_price_max P ->
  (forall k, (k < n)%nat -> ex k <= ex (S k)) ->
  (forall k, (k <= n)%nat -> 0 <= ex k /\ fx_budget P + ex k <= fx_load_max P) ->
  0 <= timer_price P ex p0 n <= fx_price_max P
  /\ (timer_price P ex p0 n = fx_price_max P
      \/ 2 ^ fx_bits P * timer_price P ex p0 n
           >= 2 ^ fx_bits P * p0 + fx_step P * (ex n - ex O) - Z.of_nat n * (2 ^ fx_bits P - 1)).
Proof.
  intros P ex p0 n Hwf Hp0 Hmono Hrange.
  assert (Hwf' := Hwf). destruct Hwf' as [Hb [Hs [HB [HL HM]]]].
  induction n as [| n IH].
  - cbn [timer_price Z.of_nat]. split; [lia | right; lia].
  - assert (Hm : forall k, (k < n)%nat -> ex k <= ex (S k)) by (intros; apply Hmono; lia).
    assert (Hr : forall k, (k <= n)%nat -> 0 <= ex k /\ fx_budget P + ex k <= fx_load_max P)
      by (intros; apply Hrange; lia).
    destruct (IH Hm Hr) as [Hin IHb].
    assert (Hn := Hmono n ltac:(lia)).
    destruct (Hrange n ltac:(lia)) as [Hn0 _].
    destruct (Hrange (S n) ltac:(lia)) as [HS0 HSL].
    destruct (timer_charge_lower P (ex n) (ex (S n)) (timer_price P ex p0 n) Hwf
                ltac:(lia) ltac:(lia) Hin) as [Hout Hstep].
    cbn [timer_price]. split; [exact Hout |].
    rewrite Nat2Z.inj_succ.
    destruct IHb as [Hsat | Hlow].
    + (* saturated: a charge of d >= 0 keeps it there *)
      left. unfold timer_charge, fx_update, raw_sum in *. rewrite Hsat in *.
      assert (0 <= increment P (fx_budget P + (ex (S n) - ex n))).
      { rewrite increment_div by lia. unfold product, excess, clamp_load.
        apply Z.div_pos; [apply Z.mul_nonneg_nonneg; lia | apply Z.pow_pos_nonneg; lia]. }
      lia.
    + destruct Hstep as [Hsat | Hstep]; [left; exact Hsat | right]. nia.
Qed.

(** Detection by the timer: if the step times the excess claimed by the [n]-th tick, less one
    unit per tick, reaches the threshold [T] (scaled), the price is at [T] or above, whatever it
    started from in [0, PriceMax]. *)
Theorem timer_detection : forall P ex p0 n T, fx_wf P -> 0 <= p0 <= fx_price_max P ->
  T <= fx_price_max P -> ex O = 0 ->
  (forall k, (k < n)%nat -> ex k <= ex (S k)) ->
  (forall k, (k <= n)%nat -> 0 <= ex k /\ fx_budget P + ex k <= fx_load_max P) ->
  T * 2 ^ fx_bits P <= fx_step P * ex n - Z.of_nat n * (2 ^ fx_bits P - 1) ->
  T <= timer_price P ex p0 n.
Proof.
  intros P ex p0 n T Hwf Hp0 HT H0 Hmono Hrange Hgain.
  assert (Hpow : 0 < 2 ^ fx_bits P) by (apply Z.pow_pos_nonneg; destruct Hwf; lia).
  destruct (timer_price_lower P ex p0 n Hwf Hp0 Hmono Hrange) as [_ [Hsat | Hlow]].
  - lia.
  - rewrite H0, Z.sub_0_r in Hlow. nia.
Qed.
