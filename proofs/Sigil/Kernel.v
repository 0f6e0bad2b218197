(** * What the kernel's C code computes

    bpf/sigil_fixed.h is printed from the program [KernelC.sigil_fixed] (the build checks the
    file against the printed text). This file writes each of its functions as a function over
    Z, following the program statement by statement ([c_mul_sat], [c_add_sat], [c_sub_sat],
    [c_from_ns], [c_price_update]; the two fast paths of the C, [(ua | ub) >> 31] in the product
    and the one-division path of the conversion, give the same results as the general path and
    are not repeated here), and proves:

    - [c_mul_sat], [c_add_sat], [c_sub_sat] are the true result saturated to the signed 64-bit
      range ([c_mul_sat_spec], [c_add_sat_spec], [c_sub_sat_spec]);
    - [c_price_update] (sigil_fx_price_update) equals the exact-integer update
      [FixedPoint.fx_update] whenever the overflow condition of [fx_no_overflow] holds: the
      saturation never triggers, so every theorem about [fx_update] and [fx_price] holds of the
      kernel ([kernel_update_exact], [kernel_price_exact]);
    - [c_from_ns] (sigil_fx_from_ns) is [floor (ns 2^bits / npu)] clamped to the load bound, and
      its unsigned intermediates stay below 2^64 ([c_from_ns_spec]).

    That the printed program computes these functions, with no undefined behaviour, is checked
    by KernelVectors.v (2,316 of its vectors are for these functions, at every build) and by
    the differential test against the compiled C (tests/Sigil.Proofs.Tests, more than 10,000
    vectors); it is not yet proved for all inputs.

    The C functions take 64-bit integers; the theorems assume their arguments are in that range
    ([in_int64], or [0 <= ns < 2^64] for the unsigned [ns]). *)

From Coq Require Import ZArith Lia Bool.
From Sigil Require Import FixedPoint.

Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.

Open Scope Z_scope.

(** The true result clamped to [S64_MIN, S64_MAX]. *)
Definition sat64 (z : Z) : Z := Z.max int64_min (Z.min z int64_max).

(** ** Saturating arithmetic *)

(** sigil_fx_mul_sat: magnitudes as unsigned, saturate when [ub > S64_MAX / ua]. *)
Definition c_mul_sat (a b : Z) : Z :=
  let ua := Z.abs a in
  let ub := Z.abs b in
  let negative := xorb (a <? 0) (b <? 0) in
  if negb (ua =? 0) && (int64_max / ua <? ub)
  then (if negative then int64_min else int64_max)
  else (if negative then - (ua * ub) else ua * ub).

(** sigil_fx_add_sat. *)
Definition c_add_sat (a b : Z) : Z :=
  if (0 <? b) && (int64_max - b <? a) then int64_max
  else if (b <? 0) && (a <? int64_min - b) then int64_min
  else a + b.

(** sigil_fx_sub_sat. *)
Definition c_sub_sat (a b : Z) : Z :=
  if (b <? 0) && (int64_max + b <? a) then int64_max
  else if (0 <? b) && (a <? int64_min + b) then int64_min
  else a - b.

Lemma int64_bounds : int64_min = - 2 ^ 63 /\ int64_max = 2 ^ 63 - 1.
Proof. split; reflexivity. Qed.

Theorem c_add_sat_spec : forall a b, in_int64 a -> in_int64 b -> c_add_sat a b = sat64 (a + b).
Proof.
  intros a b Ha Hb. unfold c_add_sat, sat64, in_int64 in *.
  destruct (Z.ltb_spec 0 b); destruct (Z.ltb_spec (int64_max - b) a);
    destruct (Z.ltb_spec b 0); destruct (Z.ltb_spec a (int64_min - b)); simpl; lia.
Qed.

Theorem c_sub_sat_spec : forall a b, in_int64 a -> in_int64 b -> c_sub_sat a b = sat64 (a - b).
Proof.
  intros a b Ha Hb. unfold c_sub_sat, sat64, in_int64 in *.
  destruct (Z.ltb_spec b 0); destruct (Z.ltb_spec (int64_max + b) a);
    destruct (Z.ltb_spec 0 b); destruct (Z.ltb_spec a (int64_min + b)); simpl; lia.
Qed.

Theorem c_mul_sat_spec : forall a b, in_int64 a -> in_int64 b -> c_mul_sat a b = sat64 (a * b).
Proof.
  intros a b Ha Hb. unfold c_mul_sat, sat64.
  pose proof int64_bounds as [Hmin Hmax].
  assert (Hab : Z.abs (a * b) = Z.abs a * Z.abs b) by apply Z.abs_mul.
  assert (Hsign : a * b = (if xorb (a <? 0) (b <? 0) then - (Z.abs a * Z.abs b) else Z.abs a * Z.abs b)).
  { destruct (Z.ltb_spec a 0); destruct (Z.ltb_spec b 0); simpl;
      rewrite ?(Z.abs_neq a), ?(Z.abs_eq a), ?(Z.abs_neq b), ?(Z.abs_eq b) by lia; ring. }
  set (ua := Z.abs a) in *. set (ub := Z.abs b) in *.
  assert (Hua : 0 <= ua) by apply Z.abs_nonneg.
  assert (Hub : 0 <= ub) by apply Z.abs_nonneg.
  destruct (Z.eqb_spec ua 0) as [H0 | H0]; simpl.
  - rewrite H0 in *. destruct (xorb (a <? 0) (b <? 0)); rewrite Hsign; lia.
  - pose proof (Z.div_mod int64_max ua H0) as Hdm.
    pose proof (Z.mod_pos_bound int64_max ua ltac:(lia)) as Hr.
    set (q := int64_max / ua) in *.
    destruct (Z.ltb_spec q ub) as [Hq | Hq]; simpl.
    + (* |a b| > S64_MAX: saturate with the product's sign *)
      assert (ua * ub >= ua * (q + 1)) by nia.
      destruct (xorb (a <? 0) (b <? 0)); rewrite Hsign; lia.
    + (* |a b| <= S64_MAX: exact *)
      assert (ua * ub <= ua * q) by nia.
      destruct (xorb (a <? 0) (b <? 0)); rewrite Hsign; lia.
Qed.

(** ** The price update *)

(** sigil_fx_price_update, line by line. *)
Definition c_price_update (price load step budget load_max price_max bits : Z) : Z :=
  let load := if load <? 0 then 0 else load in
  let load := if load_max <? load then load_max else load in
  let price := if price <? 0 then 0 else price in
  let price := if price_max <? price then price_max else price in
  let delta := Z.shiftr (c_mul_sat step (c_sub_sat load budget)) bits in
  let next := c_add_sat price delta in
  if next <? 0 then 0 else if price_max <? next then price_max else next.

(** The kernel's update of a fibre's price. *)
Definition kernel_update (P : fixed_point) (l p : Z) : Z :=
  c_price_update p l (fx_step P) (fx_budget P) (fx_load_max P) (fx_price_max P) (fx_bits P).

(** Under the overflow condition the C update is the exact-integer update of [FixedPoint] (on
    the price clamped to [0, PriceMax], as the C code clamps it). *)
Theorem kernel_update_exact : forall P l p,
  fx_wf P -> fx_price_max P + (fx_step P + 1) * (fx_load_max P + fx_budget P + 1) <= int64_max ->
  in_int64 l -> in_int64 p ->
  kernel_update P l p = fx_update P l (Z.max 0 (Z.min p (fx_price_max P))).
Proof.
  intros P l p Hwf Hfit Hl Hp.
  assert (Hwf' := Hwf). destruct Hwf' as (Hb & Hs & Hc & Hm & Hpm).
  set (p1 := Z.max 0 (Z.min p (fx_price_max P))).
  assert (Hp1 : 0 <= p1 <= fx_price_max P) by (unfold p1; lia).
  destruct (fx_no_overflow P (fx_step P) l p1 Hwf ltac:(lia) Hfit Hl Hp1)
    as (Hcl & Hex & Hprod & Hinc & Hsum & Hres).
  assert (Hload : (if fx_load_max P <? (if l <? 0 then 0 else l) then fx_load_max P
                   else (if l <? 0 then 0 else l)) = clamp_load P l).
  { unfold clamp_load. destruct (Z.ltb_spec l 0); destruct (Z.ltb_spec (fx_load_max P) 0);
      destruct (Z.ltb_spec (fx_load_max P) l); cbv iota; lia. }
  assert (Hprice : (if fx_price_max P <? (if p <? 0 then 0 else p) then fx_price_max P
                    else (if p <? 0 then 0 else p)) = p1).
  { unfold p1. destruct (Z.ltb_spec p 0); destruct (Z.ltb_spec (fx_price_max P) 0);
      destruct (Z.ltb_spec (fx_price_max P) p); cbv iota; lia. }
  unfold kernel_update, c_price_update. cbv zeta. rewrite Hload, Hprice.
  assert (Hb' : in_int64 (fx_budget P)).
  { unfold in_int64, int64_min, int64_max in *. nia. }
  assert (Hs' : in_int64 (fx_step P)).
  { unfold in_int64, int64_min, int64_max in *. nia. }
  assert (Hp1' : in_int64 p1) by (unfold in_int64, int64_min, int64_max in *; lia).
  replace (c_sub_sat (clamp_load P l) (fx_budget P)) with (excess P l)
    by (rewrite c_sub_sat_spec by assumption; unfold sat64, excess; unfold in_int64, excess in Hex; lia).
  replace (c_mul_sat (fx_step P) (excess P l)) with (product P l)
    by (rewrite c_mul_sat_spec by assumption; unfold sat64, product; unfold in_int64, product in Hprod; lia).
  change (Z.shiftr (product P l) (fx_bits P)) with (increment P l).
  replace (c_add_sat p1 (increment P l)) with (raw_sum P l p1)
    by (rewrite c_add_sat_spec by assumption; unfold sat64, raw_sum; unfold in_int64, raw_sum in Hsum; lia).
  unfold fx_update.
  destruct (Z.ltb_spec (raw_sum P l p1) 0); destruct (Z.ltb_spec (fx_price_max P) (raw_sum P l p1)); cbv iota; lia.
Qed.

(** The kernel's price after [n] updates. *)
Fixpoint kernel_price (P : fixed_point) (load : nat -> Z) (p0 : Z) (n : nat) : Z :=
  match n with
  | O => p0
  | S k => kernel_update P (load k) (kernel_price P load p0 k)
  end.

(** From a price in [0, PriceMax], the kernel's prices are those of [FixedPoint.fx_price]. *)
Theorem kernel_price_exact : forall P load p0,
  fx_wf P -> fx_price_max P + (fx_step P + 1) * (fx_load_max P + fx_budget P + 1) <= int64_max ->
  (forall k, in_int64 (load k)) -> 0 <= p0 <= fx_price_max P ->
  forall n, kernel_price P load p0 n = fx_price P load p0 n.
Proof.
  intros P load p0 Hwf Hfit Hl Hp0 n.
  assert (Hrange : forall m, 0 <= fx_price P load p0 m <= fx_price_max P).
  { intros [|m]; cbn [fx_price]; [exact Hp0 | apply fx_update_range; exact Hwf]. }
  assert (HPM : fx_price_max P <= int64_max) by (destruct Hwf as (? & ? & ? & ? & ?); nia).
  induction n as [|n IH]; cbn [kernel_price fx_price]; [reflexivity |].
  assert (Hn : in_int64 (fx_price P load p0 n))
    by (specialize (Hrange n); unfold in_int64, int64_min, int64_max in *; lia).
  rewrite IH. rewrite kernel_update_exact by (assumption || apply Hl).
  specialize (Hrange n). f_equal. lia.
Qed.

(** ** Nanoseconds to scaled loads *)

(** sigil_fx_from_ns, line by line ([ns] and [npu] unsigned). *)
Definition c_from_ns (ns npu bits load_max : Z) : Z :=
  if (load_max <=? 0) || (npu =? 0) then 0 else
  let whole := ns / npu in
  let rest := ns - whole * npu in
  if Z.shiftr load_max bits <? whole then load_max else
  let fx := Z.shiftl whole bits + Z.shiftl rest bits / npu in
  if load_max <? fx then load_max else fx.

(** The conversion is [floor (ns 2^bits / npu)] clamped to the load bound, and its unsigned
    intermediates ([whole * npu], [rest << bits], [fx]) stay below 2^64. *)
Theorem c_from_ns_spec : forall ns npu bits load_max,
  0 <= bits <= 32 -> 1 <= npu <= 2 ^ 32 -> 0 <= ns < 2 ^ 64 -> 0 < load_max <= int64_max ->
  c_from_ns ns npu bits load_max = Z.min (ns * 2 ^ bits / npu) load_max
  /\ 0 <= ns / npu * npu <= ns
  /\ 0 <= Z.shiftl (ns - ns / npu * npu) bits < 2 ^ 64
  /\ (ns / npu <= Z.shiftr load_max bits ->
      0 <= Z.shiftl (ns / npu) bits + Z.shiftl (ns - ns / npu * npu) bits / npu < 2 ^ 64).
Proof.
  intros ns npu bits load_max Hb Hn Hns Hm.
  unfold int64_max in Hm.
  assert (H2 : 1 <= 2 ^ bits <= 2 ^ 32).
  { split; [pose proof (pow2_pos bits ltac:(lia)); lia | apply Z.pow_le_mono_r; lia]. }
  pose proof (Z.div_mod ns npu ltac:(lia)) as Hdm.
  pose proof (Z.mod_pos_bound ns npu ltac:(lia)) as Hr.
  set (whole := ns / npu) in *. set (rest := ns mod npu) in *.
  assert (Hrest : ns - whole * npu = rest) by lia.
  assert (Hwhole : 0 <= whole) by (apply Z.div_pos; lia).
  rewrite !Z.shiftl_mul_pow2, Z.shiftr_div_pow2 by lia. rewrite Hrest.
  assert (Hfloor : ns * 2 ^ bits / npu = whole * 2 ^ bits + rest * 2 ^ bits / npu).
  { replace (ns * 2 ^ bits) with (whole * 2 ^ bits * npu + rest * 2 ^ bits) by lia.
    rewrite Z.div_add_l by lia. reflexivity. }
  assert (Hpart : 0 <= rest * 2 ^ bits / npu < 2 ^ bits).
  { split; [apply Z.div_pos; nia | apply Z.div_lt_upper_bound; nia]. }
  assert (Hq := Z.div_mod load_max (2 ^ bits) ltac:(lia)).
  assert (Hqr := Z.mod_pos_bound load_max (2 ^ bits) ltac:(lia)).
  set (q := load_max / 2 ^ bits) in *.
  split; [| split; [nia | split; [nia |]]].
  - unfold c_from_ns. fold whole. rewrite Hrest, Z.shiftr_div_pow2, !Z.shiftl_mul_pow2 by lia. fold q.
    destruct (Z.leb_spec load_max 0); [lia |]. destruct (Z.eqb_spec npu 0); [lia |]. simpl.
    destruct (Z.ltb_spec q whole).
    + (* whole units alone pass the clamp *)
      assert (whole * 2 ^ bits >= (q + 1) * 2 ^ bits) by nia. lia.
    + destruct (Z.ltb_spec load_max (whole * 2 ^ bits + rest * 2 ^ bits / npu)); lia.
  - intro Hle. nia.
Qed.
