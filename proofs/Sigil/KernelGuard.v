(** * Who a kernel program may signal: the printed guard, proved for every input

    bpf/sigil_guard.h is printed from [KernelC.sigil_guard] (the build checks the file against
    the printed text). This file proves, for every argument in its C type's range, what the
    printed function [sigil_may_signal] returns when run with the meaning [CSyntax.call] gives
    C, and that the run is defined (no undefined behaviour): [may_signal_exact]. The
    corollaries say it in the words of the header: it never allows signalling pid 0 or 1, the
    daemon that armed it, a kernel thread or an allow-listed process, nor anything while
    enforcement is not armed; otherwise it allows.

    What this does not cover: the generated program's other logic (the map insert, the
    compare-and-swap retry on the price, the threshold comparison that calls the guard) is not
    modelled; it is C the BPF emitter writes, checked by the BPF tests on the real kernel. *)

From Coq Require Import ZArith String List Bool Lia.
From Sigil Require Import CSyntax KernelC.
Import ListNotations.

Open Scope Z_scope.

(** A value of type [t] is its own conversion to [t]. *)
Lemma conv_in_range : forall t v, ct_min t <= v <= ct_max t -> conv t v = v.
Proof.
  intros t v H. unfold conv, in_rangeb.
  rewrite (proj2 (Z.leb_le _ _)), (proj2 (Z.leb_le _ _)) by lia. reflexivity.
Qed.

(** PF_KTHREAD, as include/linux/sched.h defines it. *)
Definition pf_kthread : Z := 2097152.

(** The decision in words: no when not armed (armed is 0 or no daemon tgid), when the tgid is
    0 or 1, when it is the daemon's, when the task is a kernel thread, when it is
    allow-listed; yes otherwise. 1 is yes, 0 is no. *)
Definition may_signal_decision (armed daemon_tgid tgid task_flags allow_listed : Z) : Z :=
  if (armed =? 0) || (daemon_tgid =? 0) || (tgid <=? 1) || (tgid =? daemon_tgid)
     || negb (Z.land task_flags pf_kthread =? 0) || negb (allow_listed =? 0)
  then 0 else 1.

(** The arguments' C types: four [__u32] and an [int]. *)
Definition guard_args_in_range (armed daemon_tgid tgid task_flags allow_listed : Z) : Prop :=
  0 <= armed <= 4294967295 /\ 0 <= daemon_tgid <= 4294967295 /\ 0 <= tgid <= 4294967295
  /\ 0 <= task_flags <= 4294967295 /\ -2147483648 <= allow_listed <= 2147483647.

(** The printed [sigil_may_signal], run on any arguments of its parameter types, is defined
    and returns [may_signal_decision]. *)
Theorem may_signal_exact : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  call 2 sigil_guard "sigil_may_signal" [armed; daemon_tgid; tgid; task_flags; allow_listed]
  = (may_signal_decision armed daemon_tgid tgid task_flags allow_listed, true).
Proof.
  intros armed daemon tgid flags allow (Ha & Hd & Ht & Hf & Hl).
  assert (Hm : macro_values sigil_guard = [("SIGIL_SIGKILL", (TInt, 9));
                 ("SIGIL_PF_KTHREAD", (TInt, 2097152)); ("SIGIL_PF_EXITING", (TInt, 4))])
    by (vm_compute; reflexivity).
  unfold call. cbn [find_func p_funcs sigil_guard f_name String.eqb may_signal].
  rewrite Hm.
  (* run the body; the comparisons on the arguments stay symbolic *)
  cbv -[conv Z.land Z.leb Z.eqb Z.ltb b2z andb orb negb].
  rewrite (conv_in_range TU32 daemon), (conv_in_range TU32 tgid), (conv_in_range TU32 flags)
    by (cbn; lia).
  unfold may_signal_decision, pf_kthread. cbn.
  destruct (armed =? 0); cbn; [reflexivity |].
  destruct (daemon =? 0); cbn; [reflexivity |].
  destruct (tgid <=? 1); cbn; [reflexivity |].
  destruct (tgid =? daemon); cbn; [reflexivity |].
  destruct (Z.land flags 2097152 =? 0); cbn; [| reflexivity].
  destruct (allow =? 0); reflexivity.
Qed.

(** The value [sigil_may_signal] returns on these arguments. *)
Definition may_signal_result (armed daemon_tgid tgid task_flags allow_listed : Z) : Z :=
  fst (call 2 sigil_guard "sigil_may_signal" [armed; daemon_tgid; tgid; task_flags; allow_listed]).

Ltac guard_case :=
  intros armed daemon tgid flags allow Hr H; unfold may_signal_result;
  rewrite (may_signal_exact armed daemon tgid flags allow Hr); unfold may_signal_decision;
  cbn [fst].

(** Never pid 0 or 1 (the idle task, init). *)
Corollary may_signal_never_init : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed -> tgid <= 1 ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 0.
Proof.
  guard_case. rewrite (proj2 (Z.leb_le tgid 1) H), !orb_true_r. reflexivity.
Qed.

(** Never the daemon that armed the program. *)
Corollary may_signal_never_daemon : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed -> tgid = daemon_tgid ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 0.
Proof.
  guard_case. rewrite (proj2 (Z.eqb_eq tgid daemon) H), !orb_true_r. reflexivity.
Qed.

(** Never a kernel thread (PF_KTHREAD set in the task's flags). *)
Corollary may_signal_never_kthread : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  Z.land task_flags pf_kthread <> 0 ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 0.
Proof.
  guard_case. rewrite (proj2 (Z.eqb_neq _ 0) H). cbn [negb]. rewrite !orb_true_r. reflexivity.
Qed.

(** Never a process on the allow-list. *)
Corollary may_signal_never_allow_listed : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed -> allow_listed <> 0 ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 0.
Proof.
  guard_case. rewrite (proj2 (Z.eqb_neq _ 0) H). cbn [negb]. rewrite !orb_true_r. reflexivity.
Qed.

(** Nothing while enforcement is not armed: the armed flag is 0 or no daemon tgid is set. *)
Corollary may_signal_only_when_armed : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  armed = 0 \/ daemon_tgid = 0 ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 0.
Proof.
  guard_case. destruct H as [H | H]; subst; rewrite ?Z.eqb_refl, ?orb_true_r; reflexivity.
Qed.

(** And the guard is no stronger than that: armed, with a daemon tgid, any other process
    (tgid above 1, not the daemon, not a kernel thread, not allow-listed) may be signalled. *)
Corollary may_signal_otherwise : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  armed <> 0 -> daemon_tgid <> 0 -> 1 < tgid -> tgid <> daemon_tgid ->
  Z.land task_flags pf_kthread = 0 -> allow_listed = 0 ->
  may_signal_result armed daemon_tgid tgid task_flags allow_listed = 1.
Proof.
  intros armed daemon tgid flags allow Hr H1 H2 H3 H4 H5 H6. unfold may_signal_result.
  rewrite (may_signal_exact armed daemon tgid flags allow Hr). unfold may_signal_decision. cbn [fst].
  rewrite (proj2 (Z.eqb_neq _ _) H1), (proj2 (Z.eqb_neq _ _) H2), (proj2 (Z.eqb_neq _ _) H4),
    (proj2 (Z.leb_gt _ _) H3), H5, H6. reflexivity.
Qed.
