(** * The printed headers against the proved functions, on 3,768 argument vectors

    Kernel.v proves its theorems about [c_mul_sat], [c_add_sat], [c_sub_sat], [c_from_ns] and
    [c_price_update], Coq functions written line by line after the C. The C itself is printed
    from the programs [KernelC.sigil_fixed] and [KernelC.sigil_guard]. This file runs those
    programs, with the meaning [CSyntax.call] gives them, on boundary and pseudo-random
    arguments, and checks by [vm_compute] that every run is defined (no undefined behaviour)
    and returns what the proved function returns. An edit of a program that changes a result
    on any of these vectors fails the library's build.

    What is checked here is agreement on these vectors, not for all inputs: the all-inputs
    theorems are those of Kernel.v about the line-by-line functions. *)

From Coq Require Import ZArith List Bool String.
From Sigil Require Import FixedPoint CSyntax KernelC Kernel.
Import ListNotations.

Open Scope Z_scope.

(** A 64-bit linear congruential generator (Knuth's MMIX constants). *)
Definition lcg (x : Z) : Z := (6364136223846793005 * x + 1442695040888963407) mod 2 ^ 64.

Fixpoint stream (n : nat) (seed : Z) : list Z :=
  match n with O => [] | S k => seed :: stream k (lcg seed) end.

(** A signed 64-bit value from a random word: its magnitude spread over every bit length. *)
Definition s64_of (w : Z) : Z :=
  let bits := (w / 2 ^ 58) mod 64 in
  let m := (w mod 2 ^ 63) / 2 ^ (63 - bits) in
  if w mod 2 =? 0 then m else - m - 1.

Definition boundaries : list Z :=
  [int64_min; int64_min + 1; - 2 ^ 32; - 2 ^ 31 - 1; - 2 ^ 31; - 3037000500; -1; 0; 1;
   2 ^ 31 - 1; 2 ^ 31; 3037000499; 3037000500; 2 ^ 32; int64_max - 1; int64_max].

Definition pairs : list (Z * Z) :=
  flat_map (fun a => map (fun b => (a, b)) boundaries) boundaries
  ++ map (fun w => (s64_of w, s64_of (lcg (w + 1)))) (stream 400 20261207).

Definition run (P : program) (f : string) (args : list Z) : option Z :=
  let r := call 4 P f args in if snd r then Some (fst r) else None.

(** The saturating operations: 656 pairs each (the 256 boundary pairs and 400 drawn). *)
Definition sat_ok (P : program) (p : Z * Z) : bool :=
  let (a, b) := p in
  match run P "sigil_fx_mul_sat" [a; b], run P "sigil_fx_add_sat" [a; b], run P "sigil_fx_sub_sat" [a; b] with
  | Some m, Some s, Some d => (m =? c_mul_sat a b) && (s =? c_add_sat a b) && (d =? c_sub_sat a b)
  | _, _, _ => false
  end.

Example saturating_ops_agree : forallb (sat_ok sigil_fixed) pairs = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

(** The conversion from nanoseconds: 252 vectors (52 edges, 200 drawn), parameters in their valid ranges. *)
Definition ns_vector (w : Z) : Z * Z * Z * Z :=
  let w2 := lcg w in let w3 := lcg w2 in let w4 := lcg w3 in
  let ns := if w mod 7 =? 0 then 2 ^ 64 - 1 - w2 mod 1000 else w / 2 ^ ((w2 mod 64)) in
  let npu := 1 + w3 mod (2 ^ 32) in
  let bits := w4 mod 33 in
  let load_max := if w4 mod 5 =? 0 then int64_max else (w / 3) mod (2 ^ 63) in
  (ns, npu, bits, load_max).

Definition ns_ok (P : program) (v : Z * Z * Z * Z) : bool :=
  let '(ns, npu, bits, load_max) := v in
  match run P "sigil_fx_from_ns" [ns; npu; bits; load_max] with
  | Some r => r =? c_from_ns ns npu bits load_max
  | None => false
  end.

(** Edges: the clamp's bound at 0 and 1, one unit per nanosecond, the one-division path's
    limit [2^(63 - bits)], and whole units equal to the bound's. *)
Definition ns_edges : list (Z * Z * Z * Z) :=
  (app (flat_map (fun bits =>
    [(5, 1, bits, 0); (5, 1, bits, 1); (3, 2, bits, 1); (2 ^ (63 - bits), 1, bits, int64_max);
     (2 ^ (63 - bits) - 1, 1, bits, int64_max); (2 ^ (63 - bits), 3, bits, int64_max);
     (2 ^ 64 - 1, 2 ^ 32, bits, int64_max); (2 ^ 64 - 1, 1000000000, bits, 2 ^ 62 + 2 ^ bits - 1);
     ((2 ^ (64 - bits) + 5) mod 2 ^ 64, 1, bits, int64_max); (2 ^ 63 + 7, 2, bits, (2 ^ 62 + 3) * 2 ^ bits / 2 ^ bits * 1 + 2 ^ bits - 1)])
    [0; 1; 20; 31; 32])
  [(2 ^ 62 + 4, 4, 1, 2 ^ 61 + 3); (2 ^ 43 + 2 ^ 22, 2 ^ 22, 20, (2 ^ 21 + 1) * 2 ^ 20 + 1)]).

Definition ns_vectors := app ns_edges (map ns_vector (stream 200 42)).

Example from_ns_agrees : forallb (ns_ok sigil_fixed) ns_vectors = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

(** The price update: 328 vectors (28 edges, 300 drawn), parameters in the valid range with and without the
    overflow condition of [fx_no_overflow] (the C saturates where it fails). *)
Definition nonneg (z : Z) : Z := Z.min int64_max (Z.abs z).

Definition update_vector (w : Z) : list Z :=
  let w2 := lcg w in let w3 := lcg w2 in let w4 := lcg w3 in let w5 := lcg w4 in
  let bits := w5 mod 33 in
  [s64_of w; s64_of w2; nonneg (s64_of w3); nonneg (s64_of w4);
   nonneg (s64_of (lcg w5)); nonneg (s64_of (lcg (lcg w5))); bits].

Definition update_ok (P : program) (v : list Z) : bool :=
  match v with
  | [p; l; st; bu; lm; pm; bits] =>
      match run P "sigil_fx_price_update" v with
      | Some r => r =? c_price_update p l st bu lm pm bits
      | None => false
      end
  | _ => false
  end.

(** Edges: loads and prices just outside and at their bounds, a sum of -1. *)
Definition update_edges : list (list Z) :=
  (app (flat_map (fun p => map (fun l => [p; l; 1; 1; 10; 10; 0]) [-1; 0; 1; 10; 11]) [-1; 0; 1; 10; 11])
  [[0; 0; 3; 1; 10; 10; 1]; [0; -1; 3; 1; 10; 10; 1]; [5; 10; 2097152; 5242880; 3774873600; 1048576000000; 20]]).

Definition update_vectors := app update_edges (map update_vector (stream 300 7)).

Example price_update_agrees : forallb (update_ok sigil_fixed) update_vectors = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

(** The guard: every combination of the inputs that matter (1,080 vectors). *)
Definition may_signal_spec (armed daemon tgid flags allow : Z) : Z :=
  b2z (negb (armed =? 0) && negb (daemon =? 0) && (1 <? tgid) && negb (tgid =? daemon)
       && (Z.land flags 2097152 =? 0) && (allow =? 0)).

Definition guard_ok (P : program) (v : list Z) : bool :=
  match v with
  | [armed; daemon; tgid; flags; allow] =>
      let r := call 2 P "sigil_may_signal" v in
      snd r && (fst r =? may_signal_spec armed daemon tgid flags allow)
  | _ => false
  end.

Definition guard_vectors : list (list Z) :=
  flat_map (fun armed => flat_map (fun daemon => flat_map (fun tgid => flat_map (fun flags =>
    map (fun allow => [armed; daemon; tgid; flags; allow]) [0; 1; -1])
      [0; 1; 4; 2097152; 2097156; 4294967295])
      [0; 1; 2; 77; 4294967295])
      [0; 77; 4294967295])
    [0; 1; 4294967295; 2].

Example may_signal_agrees : forallb (guard_ok sigil_guard) guard_vectors = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

(** The decisions at a threshold (KernelGuard.v proves the printed functions return these for
    every input): [sigil_crossing] is 1 (up) when [old < t <= next], 2 (down) when
    [next < t <= old], else 0; [sigil_kill_decision] is 0 below the kill price, and at or above
    it 1 (signal) when the guard allows, 2 (suppressed) when it does not and the update crossed
    the kill price, else 0. *)
Definition crossing_decision (old next t : Z) : Z :=
  if (old <? t) && (t <=? next) then 1 else if (t <=? old) && (next <? t) then 2 else 0.

Definition kill_decision_value (old next kill may : Z) : Z :=
  if next <? kill then 0 else if negb (may =? 0) then 1 else if old <? kill then 2 else 0.

Definition crossing_ok (P : program) (v : list Z) : bool :=
  match v with
  | [old; next; t] => let r := call 2 P "sigil_crossing" v in snd r && (fst r =? crossing_decision old next t)
  | _ => false
  end.

Definition kill_ok (P : program) (v : list Z) : bool :=
  match v with
  | [old; next; kill; may] =>
      let r := call 2 P "sigil_kill_decision" v in snd r && (fst r =? kill_decision_value old next kill may)
  | _ => false
  end.

(** Prices at, next to and far from the thresholds 0, 5 and 15, and the s64 extremes. *)
Definition threshold_prices : list Z :=
  [-9223372036854775808; -1; 0; 1; 4; 5; 6; 14; 15; 16; 9223372036854775807].

Definition crossing_vectors : list (list Z) :=
  flat_map (fun old => flat_map (fun next => map (fun t => [old; next; t]) [0; 5; 15])
    threshold_prices) threshold_prices.

Definition kill_vectors : list (list Z) :=
  flat_map (fun v => map (fun may => app v [may]) [0; 1; -1]) crossing_vectors.

Example crossing_agrees : forallb (crossing_ok sigil_guard) crossing_vectors = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

Example kill_decision_agrees : forallb (kill_ok sigil_guard) kill_vectors = true.
Proof. vm_cast_no_check (eq_refl true). Qed.

(** Every check of a version of sigil_fixed.h (the mutation test runs it on edited programs). *)
Definition fixed_ok (P : program) : bool :=
  forallb (sat_ok P) pairs && forallb (ns_ok P) ns_vectors && forallb (update_ok P) update_vectors.

(** The guard's constants are the kernel's (include/linux/sched.h, asm/signal.h): PF_EXITING,
    PF_KTHREAD and SIGKILL; the decisions' codes are distinct and not 0 (nothing). *)
Example guard_constants :
  macro_values sigil_guard
  = [("SIGIL_KILL_SUPPRESSED", (TInt, 2)); ("SIGIL_KILL_SIGNAL", (TInt, 1));
     ("SIGIL_CROSS_DOWN", (TInt, 2)); ("SIGIL_CROSS_UP", (TInt, 1));
     ("SIGIL_SIGKILL", (TInt, 9)); ("SIGIL_PF_KTHREAD", (TInt, 2097152)); ("SIGIL_PF_EXITING", (TInt, 4))].
Proof. vm_compute. reflexivity. Qed.
