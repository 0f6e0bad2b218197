(** * Who a kernel program may signal: the printed guard, proved for every input

    bpf/sigil_guard.h is printed from [KernelC.sigil_guard] (the build checks the file against
    the printed text). This file proves, for every argument in its C type's range, what the
    printed function [sigil_may_signal] returns when run with the meaning [CSyntax.call] gives
    C, and that the run is defined (no undefined behaviour): [may_signal_exact]. The
    corollaries say it in the words of the header: it never allows signalling pid 0 or 1, the
    daemon that armed it, a kernel thread or an allow-listed process, nor anything while
    enforcement is not armed; otherwise it allows.

    The same header holds the two decisions a price update makes at a threshold, which the
    generated program calls: [sigil_crossing] (the throttle's crossing events) and
    [sigil_kill_decision] (signal, or report a refused kill). Their section below proves them
    for every input of their types ([crossing_exact], [kill_decision_exact]), and over a run of
    prices: an upward crossing happens exactly when the price reaches the threshold from below,
    up and down events alternate, a price that starts below a threshold and reaches it has a
    crossing on the way, and a signal is sent only at or above the kill price and only when
    the guard allows.

    What this does not cover: the generated program's other logic (the map insert, the
    compare-and-swap retry on the price, the allow-list lookup, the event ring) is C the BPF
    emitter writes, checked by the BPF tests on the real kernel. *)

From Coq Require Import ZArith String List Bool Lia.
From Sigil Require Import CSyntax KernelC KernelVectors.
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

(** The guard header's macros, computed once: the proofs below run its functions with them. *)
Ltac guard_macros :=
  let M := eval vm_compute in (macro_values sigil_guard) in
  let Hm := fresh "Hm" in
  assert (Hm : macro_values sigil_guard = M) by (vm_compute; reflexivity);
  rewrite Hm; clear Hm.

(** The printed [sigil_may_signal], run on any arguments of its parameter types, is defined
    and returns [may_signal_decision]. *)
Theorem may_signal_exact : forall armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  call 2 sigil_guard "sigil_may_signal" [armed; daemon_tgid; tgid; task_flags; allow_listed]
  = (may_signal_decision armed daemon_tgid tgid task_flags allow_listed, true).
Proof.
  intros armed daemon tgid flags allow (Ha & Hd & Ht & Hf & Hl).
  unfold call. cbn [find_func p_funcs sigil_guard f_name String.eqb may_signal].
  guard_macros.
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

(** ** The decisions at a threshold *)

Definition s64_in_range (x : Z) : Prop := -9223372036854775808 <= x <= 9223372036854775807.

(** [sigil_crossing] returns [KernelVectors.crossing_decision]. *)
Theorem crossing_exact : forall old next t,
  s64_in_range old -> s64_in_range next -> s64_in_range t ->
  call 2 sigil_guard "sigil_crossing" [old; next; t] = (crossing_decision old next t, true).
Proof.
  intros old next t Ho Hn Ht.
  unfold call. cbn [find_func p_funcs sigil_guard f_name String.eqb may_signal crossing].
  guard_macros.
  cbv -[conv Z.leb Z.ltb b2z andb orb negb].
  rewrite (conv_in_range TS64 old), (conv_in_range TS64 next), (conv_in_range TS64 t)
    by (unfold s64_in_range in *; cbn; lia).
  unfold crossing_decision.
  destruct (old <? t) eqn:E1; destruct (t <=? next) eqn:E2; cbn;
    rewrite ?E1, ?E2; cbn;
    try (rewrite (proj2 (Z.leb_gt t old)) by (apply Z.ltb_lt; exact E1); cbn);
    try (rewrite (proj2 (Z.leb_le t old)) by (apply Z.ltb_ge; exact E1); cbn);
    try (rewrite (proj2 (Z.ltb_lt next t)) by (apply Z.leb_gt; exact E2); cbn);
    try (rewrite (proj2 (Z.ltb_ge next t)) by (apply Z.leb_le; exact E2); cbn);
    reflexivity.
Qed.

(** [sigil_kill_decision] returns [KernelVectors.kill_decision_value]. *)
Theorem kill_decision_exact : forall old next kill may,
  s64_in_range old -> s64_in_range next -> s64_in_range kill -> -2147483648 <= may <= 2147483647 ->
  call 2 sigil_guard "sigil_kill_decision" [old; next; kill; may] = (kill_decision_value old next kill may, true).
Proof.
  intros old next kill may Ho Hn Hk Hm.
  unfold call. cbn [find_func p_funcs sigil_guard f_name String.eqb may_signal crossing kill_decision].
  guard_macros.
  cbv -[conv Z.leb Z.ltb Z.eqb b2z andb orb negb].
  rewrite (conv_in_range TS64 old), (conv_in_range TS64 next), (conv_in_range TS64 kill)
    by (unfold s64_in_range in *; cbn; lia).
  try rewrite (conv_in_range TInt may) by (cbn; lia).
  unfold kill_decision_value.
  destruct (next <? kill); cbn; [reflexivity |].
  destruct (may =? 0); cbn; [| reflexivity].
  destruct (old <? kill); reflexivity.
Qed.

(** The up event is exactly the price reaching the threshold from below. *)
Corollary crossing_up_iff : forall old next t,
  crossing_decision old next t = 1 <-> old < t <= next.
Proof.
  intros old next t. unfold crossing_decision.
  destruct (old <? t) eqn:E1, (t <=? next) eqn:E2, (t <=? old) eqn:E3, (next <? t) eqn:E4;
    cbn; rewrite ?Z.ltb_lt, ?Z.ltb_ge, ?Z.leb_le, ?Z.leb_gt in *; split; intros; lia.
Qed.

(** The down event is exactly the price falling below the threshold from at or above it. *)
Corollary crossing_down_iff : forall old next t,
  crossing_decision old next t = 2 <-> next < t <= old.
Proof.
  intros old next t. unfold crossing_decision.
  destruct (old <? t) eqn:E1, (t <=? next) eqn:E2, (t <=? old) eqn:E3, (next <? t) eqn:E4;
    cbn; rewrite ?Z.ltb_lt, ?Z.ltb_ge, ?Z.leb_le, ?Z.leb_gt in *; split; intros; lia.
Qed.

Definition next_below (p : nat -> Z) (t : Z) (k : nat) : Prop := t <= p k /\ p (S k) < t.

(** Over a run of prices [p] (update [k] moves [p k] to [p (S k)]): between two up events
    there is a down event, so one crossing gives one event. *)
Theorem crossing_up_alternates : forall (p : nat -> Z) t i j, (i < j)%nat ->
  crossing_decision (p i) (p (S i)) t = 1 -> crossing_decision (p j) (p (S j)) t = 1 ->
  exists k, (i < k < j)%nat /\ crossing_decision (p k) (p (S k)) t = 2.
Proof.
  intros p t i j Hij Hi Hj. apply crossing_up_iff in Hi. apply crossing_up_iff in Hj.
  (* the price is at or above t after i and below t at j: it fell below t somewhere between *)
  assert (Hfall : forall m, (S i <= m)%nat -> p m < t -> exists k, (i < k < m)%nat /\ next_below p t k).
  { intros m. induction m as [| m IH]; intros Hm Hpm; [lia |].
    destruct (Nat.eq_dec m i) as [-> | Hne]; [lia |].
    destruct (Z_lt_ge_dec (p m) t) as [Hlt | Hge].
    - destruct (IH ltac:(lia) Hlt) as (k & Hk & Hb). exists k. split; [lia | exact Hb].
    - exists m. split; [lia |]. unfold next_below. lia. }
  destruct (Hfall j ltac:(lia) ltac:(lia)) as (k & Hk & Hb).
  exists k. split; [lia |]. apply crossing_down_iff. unfold next_below in Hb. lia.
Qed.

(** A price that starts below the threshold and is at or above it after [n] updates crossed it
    upward at some update before [n]: the event for a threshold the price reaches is emitted. *)
Theorem crossing_up_on_the_way : forall (p : nat -> Z) t n,
  p O < t -> t <= p n -> exists k, (k < n)%nat /\ crossing_decision (p k) (p (S k)) t = 1.
Proof.
  intros p t n H0 Hn. induction n as [| n IH]; [lia |].
  destruct (Z_lt_ge_dec (p n) t) as [Hlt | Hge].
  - exists n. split; [lia |]. apply crossing_up_iff. lia.
  - destruct (IH ltac:(lia)) as (k & Hk & Hc). exists k. split; [lia | exact Hc].
Qed.

(** The kill decision signals exactly at or above the kill price when the guard allows. *)
Corollary kill_signal_iff : forall old next kill may,
  kill_decision_value old next kill may = 1 <-> kill <= next /\ may <> 0.
Proof.
  intros old next kill may. unfold kill_decision_value.
  destruct (next <? kill) eqn:E1, (may =? 0) eqn:E2, (old <? kill) eqn:E3;
    cbn; rewrite ?Z.ltb_lt, ?Z.ltb_ge, ?Z.eqb_eq, ?Z.eqb_neq in *; split; intros; lia.
Qed.

(** Below the kill price nothing happens, whatever the guard says: the program may ask the
    guard only when the price is at or above it. *)
Corollary kill_nothing_below : forall old next kill may,
  next < kill -> kill_decision_value old next kill may = 0.
Proof.
  intros old next kill may H. unfold kill_decision_value.
  rewrite (proj2 (Z.ltb_lt _ _) H). reflexivity.
Qed.

(** A refused kill is reported once per crossing: only by the update that reached the kill price. *)
Corollary kill_suppressed_iff : forall old next kill may,
  kill_decision_value old next kill may = 2 <-> old < kill <= next /\ may = 0.
Proof.
  intros old next kill may. unfold kill_decision_value.
  destruct (next <? kill) eqn:E1, (may =? 0) eqn:E2, (old <? kill) eqn:E3;
    cbn; rewrite ?Z.ltb_lt, ?Z.ltb_ge, ?Z.eqb_eq, ?Z.eqb_neq in *; split; intros; lia.
Qed.

(** With the guard's answer as [may], a signal is sent only to a process the guard allows:
    armed, with a daemon tgid, tgid above 1, not the daemon, not a kernel thread, not
    allow-listed. *)
Theorem kill_signal_guarded : forall old next kill armed daemon_tgid tgid task_flags allow_listed,
  guard_args_in_range armed daemon_tgid tgid task_flags allow_listed ->
  kill_decision_value old next kill (may_signal_result armed daemon_tgid tgid task_flags allow_listed) = 1 ->
  kill <= next /\ armed <> 0 /\ daemon_tgid <> 0 /\ 1 < tgid /\ tgid <> daemon_tgid
  /\ Z.land task_flags pf_kthread = 0 /\ allow_listed = 0.
Proof.
  intros old next kill armed daemon tgid flags allow Hr H.
  apply kill_signal_iff in H. destruct H as [Hk Hm]. split; [exact Hk |].
  repeat split.
  - intro H0. apply Hm. apply may_signal_only_when_armed; auto.
  - intro H0. apply Hm. apply may_signal_only_when_armed; auto.
  - destruct (Z_le_gt_dec tgid 1) as [H1 | H1]; [| lia].
    exfalso. apply Hm. apply may_signal_never_init; auto.
  - intro H0. apply Hm. apply may_signal_never_daemon; auto.
  - destruct (Z.eq_dec (Z.land flags pf_kthread) 0) as [H0 | H0]; [exact H0 |].
    exfalso. apply Hm. apply may_signal_never_kthread; auto.
  - destruct (Z.eq_dec allow 0) as [H0 | H0]; [exact H0 |].
    exfalso. apply Hm. apply may_signal_never_allow_listed; auto.
Qed.
