(** * The kernel's headers, as programs

    bpf/sigil_fixed.h (the fixed-point arithmetic of the price update) and bpf/sigil_guard.h
    (who a program may signal) are these two programs of [CSyntax], printed by
    [print_program]. The build checks the files against the printed text (proofs/Makefile,
    target [headers]; [make -C proofs print-headers] writes them). Kernel.v proves what they
    compute. *)

From Coq Require Import ZArith String List.
From Sigil Require Import CSyntax.
Import ListNotations.

Open Scope string_scope.

(** Short names for writing programs. *)
Local Notation v := EVar.
Local Notation n z := (EInt z).
Local Notation bin o a b := (EBin o a b).
Local Notation neg a := (EUn Neg a).
Local Notation cast t a := (ECast t a).

Local Notation "a '<.' b" := (bin Lt a b) (at level 70).
Local Notation "a '>.' b" := (bin Gt a b) (at level 70).
Local Notation "a '<=.' b" := (bin Le a b) (at level 70).
Local Notation "a '>=.' b" := (bin Ge a b) (at level 70).
Local Notation "a '==.' b" := (bin Eq a b) (at level 70).
Local Notation "a '!=.' b" := (bin Ne a b) (at level 70).
Local Notation "a '&&.' b" := (bin LAnd a b) (at level 81, left associativity).
Local Notation "a '||.' b" := (bin LOr a b) (at level 86, left associativity).
Local Notation "a '+.' b" := (bin Add a b) (at level 50, left associativity).
Local Notation "a '-.' b" := (bin Sub a b) (at level 50, left associativity).
Local Notation "a '*.' b" := (bin Mul a b) (at level 40, left associativity).
Local Notation "a '/.' b" := (bin Div a b) (at level 40, left associativity).
Local Notation "a '>>.' b" := (bin Shr a b) (at level 45).
Local Notation "a '<<.' b" := (bin Shl a b) (at level 45).
Local Notation "a '|.' b" := (bin BOr a b) (at level 55).
Local Notation "a '&.' b" := (bin BAnd a b) (at level 55).

Local Notation S64_MAX := (EMacro "SIGIL_S64_MAX").
Local Notation S64_MIN := (EMacro "SIGIL_S64_MIN").

(** The absolute value as unsigned: [x < 0 ? -(__u64)x : (__u64)x]. *)
Local Notation uabs x :=
  (ECond (v x <. n 0) (neg (cast TU64 (v x))) (cast TU64 (v x))).

Definition fx_mul_sat : func := {|
  f_comment := "a * b, saturated to [S64_MIN, S64_MAX]";
  f_ret := TS64;
  f_name := "sigil_fx_mul_sat";
  f_params := [(TS64, "a"); (TS64, "b")];
  f_body := [
    SDecl TU64 "ua" (Some (uabs "a"));
    SDecl TU64 "ub" (Some (uabs "b"));
    SDecl TInt "negative" (Some ((v "a" <. n 0) !=. (v "b" <. n 0)));
    SDecl TU64 "product" None;
    SBlank;
    SComment "both below 2^31: the product fits, no division needed to check it";
    SIf ((v "ua" |. v "ub") >>. n 31 &&. v "ua" !=. n 0
         &&. v "ub" >. cast TU64 S64_MAX /. v "ua")
      [SReturn (ECond (v "negative") S64_MIN S64_MAX)] [];
    SAssign "product" (v "ua" *. v "ub");
    SReturn (ECond (v "negative") (neg (cast TS64 (v "product"))) (cast TS64 (v "product")))
  ]
|}.

Definition fx_add_sat : func := {|
  f_comment := "a + b, saturated";
  f_ret := TS64;
  f_name := "sigil_fx_add_sat";
  f_params := [(TS64, "a"); (TS64, "b")];
  f_body := [
    SIf (v "b" >. n 0 &&. v "a" >. S64_MAX -. v "b") [SReturn S64_MAX] [];
    SIf (v "b" <. n 0 &&. v "a" <. S64_MIN -. v "b") [SReturn S64_MIN] [];
    SReturn (v "a" +. v "b")
  ]
|}.

Definition fx_sub_sat : func := {|
  f_comment := "a - b, saturated";
  f_ret := TS64;
  f_name := "sigil_fx_sub_sat";
  f_params := [(TS64, "a"); (TS64, "b")];
  f_body := [
    SIf (v "b" <. n 0 &&. v "a" >. S64_MAX +. v "b") [SReturn S64_MAX] [];
    SIf (v "b" >. n 0 &&. v "a" <. S64_MIN +. v "b") [SReturn S64_MIN] [];
    SReturn (v "a" -. v "b")
  ]
|}.

(** [fx > (__u64)load_max ? load_max : (__s64)fx] *)
Local Notation clamp_fx :=
  (ECond (v "fx" >. cast TU64 (v "load_max")) (v "load_max") (cast TS64 (v "fx"))).

Definition fx_from_ns : func := {|
  f_comment := "a load measured in kernel nanoseconds, in fixed point, clamped to [0, load_max]";
  f_ret := TS64;
  f_name := "sigil_fx_from_ns";
  f_params := [(TU64, "ns"); (TU64, "ns_per_unit"); (TU32, "scale_bits"); (TS64, "load_max")];
  f_body := [
    SDecl TU64 "whole" None;
    SDecl TU64 "rest" None;
    SDecl TU64 "fx" None;
    SBlank;
    SIf (v "load_max" <=. n 0 ||. v "ns_per_unit" ==. n 0) [SReturn (n 0)] [];
    SComment "ns << scale_bits fits: one division gives the same floor as the two below";
    SIf ((v "ns" >>. (n 63 -. v "scale_bits")) ==. n 0) [
      SAssign "fx" ((v "ns" <<. v "scale_bits") /. v "ns_per_unit");
      SReturn clamp_fx
    ] [];
    SAssign "whole" (v "ns" /. v "ns_per_unit");
    SAssign "rest" (v "ns" -. v "whole" *. v "ns_per_unit");
    SComment "whole units alone already pass the clamp";
    SIf (v "whole" >. (cast TU64 (v "load_max") >>. v "scale_bits")) [SReturn (v "load_max")] [];
    SAssign "fx" ((v "whole" <<. v "scale_bits") +. ((v "rest" <<. v "scale_bits") /. v "ns_per_unit"));
    SReturn clamp_fx
  ]
|}.

Definition fx_price_update : func := {|
  f_comment := "the projected dual step: price <- sat(max(0, price + (step * (load - budget)) >> scale_bits))";
  f_ret := TS64;
  f_name := "sigil_fx_price_update";
  f_params := [(TS64, "price"); (TS64, "load"); (TS64, "step"); (TS64, "budget");
               (TS64, "load_max"); (TS64, "price_max"); (TU32, "scale_bits")];
  f_body := [
    SDecl TS64 "delta" None;
    SDecl TS64 "next" None;
    SBlank;
    SComment "clamp the inputs: the load to its bounds, the price to [0, price_max]";
    SIf (v "load" <. n 0) [SAssign "load" (n 0)] [];
    SIf (v "load" >. v "load_max") [SAssign "load" (v "load_max")] [];
    SIf (v "price" <. n 0) [SAssign "price" (n 0)] [];
    SIf (v "price" >. v "price_max") [SAssign "price" (v "price_max")] [];
    SBlank;
    SAssign "delta" (ECall "sigil_fx_mul_sat"
                       [v "step"; ECall "sigil_fx_sub_sat" [v "load"; v "budget"]] >>. v "scale_bits");
    SAssign "next" (ECall "sigil_fx_add_sat" [v "price"; v "delta"]);
    SBlank;
    SComment "project onto [0, price_max]";
    SIf (v "next" <. n 0) [SReturn (n 0)] [];
    SIf (v "next" >. v "price_max") [SReturn (v "price_max")] [];
    SReturn (v "next")
  ]
|}.

Definition inline_lines : list string := [
  "";
  "#ifndef SIGIL_INLINE";
  "#define SIGIL_INLINE static inline __attribute__((always_inline))";
  "#endif"
].

Definition sigil_fixed : program := {|
  p_head := [
    "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */";
    "/* Code generated by make -C proofs print-headers from proofs/Sigil/KernelC.v; DO NOT EDIT. */";
    "/*";
    " * sigil_fixed.h: the kernel's fixed-point price update.";
    " *";
    " *   price <- sat(max(0, price + (step * (clamp(load) - budget)) >> scale_bits))";
    " *";
    " * Every value is an integer scaled by 2^scale_bits. Plain C with no kernel or libc dependency:";
    " * the generated eBPF programs include it (after vmlinux.h), and host builds check it against";
    " * the C# mirror (Sigil.Runtime.Bpf.FixedPoint) and against Coq's evaluation of this program.";
    " *";
    " * This text is printed from a program in proofs/Sigil/KernelC.v; proofs/Sigil/Kernel.v proves";
    " * what it computes, with no undefined behaviour, for valid parameters:";
    " * 0 <= scale_bits <= 32, 1 <= ns_per_unit <= 2^32, load_max >= 0, price_max >= 0.";
    " * The build fails when this file differs from the printed text.";
    " *";
    " * Rounding is floor throughout: the shift is arithmetic and the ns -> fixed conversion divides";
    " * unsigned values. Products and sums saturate to the s64 range instead of wrapping.";
    " */";
    "#ifndef SIGIL_FIXED_H";
    "#define SIGIL_FIXED_H";
    "";
    "#ifndef __VMLINUX_H__";
    "#include <linux/types.h>";
    "#endif";
    ""
  ];
  p_macros := [
    {| m_comment := []; m_name := "SIGIL_S64_MAX"; m_body := cast TS64 (EHexLL 9223372036854775807) |};
    {| m_comment := []; m_name := "SIGIL_S64_MIN"; m_body := neg S64_MAX -. n 1 |}
  ];
  p_middle := inline_lines;
  p_funcs := [fx_mul_sat; fx_add_sat; fx_sub_sat; fx_from_ns; fx_price_update];
  p_tail := [""; "#endif /* SIGIL_FIXED_H */"]
|}.

Local Notation PF_KTHREAD := (EMacro "SIGIL_PF_KTHREAD").

Definition may_signal : func := {|
  f_comment := "may the program signal the process tgid?";
  f_ret := TInt;
  f_name := "sigil_may_signal";
  f_params := [(TU32, "armed"); (TU32, "daemon_tgid"); (TU32, "tgid"); (TU32, "task_flags");
               (TInt, "allow_listed")];
  f_body := [
    SIf (EUn LNot (v "armed") ||. v "daemon_tgid" ==. n 0) [SReturn (n 0)] [];
    SIf (v "tgid" <=. n 1 ||. v "tgid" ==. v "daemon_tgid") [SReturn (n 0)] [];
    SIf (v "task_flags" &. PF_KTHREAD) [SReturn (n 0)] [];
    SReturn (EUn LNot (v "allow_listed"))
  ]
|}.

Local Notation CROSS_UP := (EMacro "SIGIL_CROSS_UP").
Local Notation CROSS_DOWN := (EMacro "SIGIL_CROSS_DOWN").
Local Notation KILL_SIGNAL := (EMacro "SIGIL_KILL_SIGNAL").
Local Notation KILL_SUPPRESSED := (EMacro "SIGIL_KILL_SUPPRESSED").

(** The crossing of a threshold by one price update, from [old] to [next]. *)
Definition crossing : func := {|
  f_comment := "how a price update from old to next crosses threshold";
  f_ret := TInt;
  f_name := "sigil_crossing";
  f_params := [(TS64, "old"); (TS64, "next"); (TS64, "threshold")];
  f_body := [
    SIf (v "old" <. v "threshold" &&. v "next" >=. v "threshold") [SReturn CROSS_UP] [];
    SIf (v "old" >=. v "threshold" &&. v "next" <. v "threshold") [SReturn CROSS_DOWN] [];
    SReturn (n 0)
  ]
|}.

(** The kill threshold's decision for one price update, [may] being the guard's answer. *)
Definition kill_decision : func := {|
  f_comment := "what the kill threshold decides for a price update from old to next";
  f_ret := TInt;
  f_name := "sigil_kill_decision";
  f_params := [(TS64, "old"); (TS64, "next"); (TS64, "kill"); (TInt, "may")];
  f_body := [
    SIf (v "next" <. v "kill") [SReturn (n 0)] [];
    SIf (v "may") [SReturn KILL_SIGNAL] [];
    SIf (v "old" <. v "kill") [SReturn KILL_SUPPRESSED] [];
    SReturn (n 0)
  ]
|}.

Definition sigil_guard : program := {|
  p_head := [
    "/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */";
    "/* Code generated by make -C proofs print-headers from proofs/Sigil/KernelC.v; DO NOT EDIT. */";
    "/*";
    " * sigil_guard.h: who a kernel program may signal.";
    " *";
    " * Plain C, shared by the generated eBPF programs and a host build that tests it. A program";
    " * signals a process only when enforcement is armed through the control map, and never:";
    " *   - pid 0 or 1 (the idle task, init),";
    " *   - a kernel thread (PF_KTHREAD),";
    " *   - the daemon that armed it (a control map without a daemon tgid is not armed),";
    " *   - a process on the allow-list.";
    " *";
    " * And what a price update from old to next decides at a threshold:";
    " *   sigil_crossing: SIGIL_CROSS_UP when old < threshold <= next, SIGIL_CROSS_DOWN when";
    " *     next < threshold <= old, 0 otherwise (one event per crossing, up and down alternate);";
    " *   sigil_kill_decision: 0 while next < kill; else SIGIL_KILL_SIGNAL when the guard allows";
    " *     (at every update at or above kill), SIGIL_KILL_SUPPRESSED when it does not and the";
    " *     update crossed kill (once per crossing), 0 otherwise.";
    " * proofs/Sigil/KernelGuard.v proves exactly this of the printed functions, for every input";
    " * of their parameter types (may_signal_exact, crossing_exact, kill_decision_exact and their";
    " * corollaries).";
    " */";
    "#ifndef SIGIL_GUARD_H";
    "#define SIGIL_GUARD_H";
    "";
    "#ifndef __VMLINUX_H__";
    "#include <linux/types.h>";
    "#endif";
    ""
  ];
  p_macros := [
    {| m_comment := ["include/linux/sched.h: ""getting shut down"" (set early in do_exit)"];
       m_name := "SIGIL_PF_EXITING"; m_body := EHex 4 8 |};
    {| m_comment := ["include/linux/sched.h: ""I am a kernel thread"""];
       m_name := "SIGIL_PF_KTHREAD"; m_body := EHex 2097152 8 |};
    {| m_comment := [""; "SIGKILL: cannot be caught or ignored"];
       m_name := "SIGIL_SIGKILL"; m_body := n 9 |};
    {| m_comment := [""; "sigil_crossing: the price rose to or above the threshold, or fell below it"];
       m_name := "SIGIL_CROSS_UP"; m_body := n 1 |};
    {| m_comment := []; m_name := "SIGIL_CROSS_DOWN"; m_body := n 2 |};
    {| m_comment := [""; "sigil_kill_decision: signal the process, or report a kill the guard refused"];
       m_name := "SIGIL_KILL_SIGNAL"; m_body := n 1 |};
    {| m_comment := []; m_name := "SIGIL_KILL_SUPPRESSED"; m_body := n 2 |}
  ];
  p_middle := inline_lines;
  p_funcs := [may_signal; crossing; kill_decision];
  p_tail := [""; "#endif /* SIGIL_GUARD_H */"]
|}.

Definition sigil_fixed_h : string := print_program sigil_fixed.
Definition sigil_guard_h : string := print_program sigil_guard.
