(** * ADMM in the resource-allocation (sharing) form: its Lyapunov function decreases

    Scope. This file proves the monotone decrease of ADMM's Lyapunov function, the core of the
    convergence proof in Boyd, Parikh, Chu, Peleato and Eckstein, "Distributed Optimization and
    Statistical Learning via the Alternating Direction Method of Multipliers" (2011),
    appendix A, for the consensus splitting that the sharing / resource-allocation form uses:

      minimise f(x) + g(z)  subject to  x - z = 0,   x, z in R^n

    with f the agents' costs (minus their utilities, each on its bounds) and g the indicator of
    the budget set (g = 0 on a convex set, the coupling rows A z <= c). Scaled ADMM with
    penalty rho > 0 is

      x(k+1) = argmin_x  f(x) + rho/2 ||x - z(k) + u(k)||^2
      z(k+1) = argmin_z  g(z) + rho/2 ||x(k+1) - z + u(k)||^2
      u(k+1) = u(k) + x(k+1) - z(k+1)                         (the price is rho u)

    Assumptions, as in the appendix: f and g are convex on convex domains (extended-valued
    functions are modelled by a domain and a real function on it), the updates are exact
    minimisers over their domains, and the unaugmented Lagrangian
    L0(x, z, u) = f(x) + g(z) + rho u.(x - z) has a saddle point (xs, zs, us), so xs = zs.
    Then, from the first complete iteration on, with r = x - z the primal residual,

      V(k) = rho ||u(k) - us||^2 + rho ||z(k) - zs||^2   (= ||y - ys||^2 / rho + rho ||z - zs||^2)
      V(k+1) <= V(k) - rho ||r(k+1)||^2 - rho ||z(k+1) - z(k)||^2

    ([admm_lyapunov]), so V never increases and the residuals are square-summable
    ([admm_residuals_summable]). For a budget row a.z <= C the z-update is the projection
    [project_halfspace], proven to be that minimiser ([project_halfspace_min]), which gives
    [admm_sharing_lyapunov].

    Not covered: the existence of the saddle point (it holds for the fibres' closed, proper,
    convex problems with a feasible budget, a standard fact not proven here), the convergence of
    the iterates themselves, inexact updates, and the solver's stopping rule. *)

From Coq Require Import Rbase Rfunctions Rpower Lra Lia.

(* The arithmetic tactics keep no cache files beside the sources. *)
Unset Lia Cache.
Unset Nia Cache.
Unset Nra Cache.
Open Scope R_scope.

(** ** Vectors of R^n as functions on [0, n) *)

Lemma square_nonneg : forall x, 0 <= x ^ 2.
Proof. intro x. replace (x ^ 2) with (x * x) by ring. apply Rle_0_sqr. Qed.

Definition vec := nat -> R.

Fixpoint sum_to (m : nat) (f : nat -> R) : R :=
  match m with
  | O => 0
  | S k => sum_to k f + f k
  end.

Lemma sum_to_nonneg : forall m f, (forall i, (i < m)%nat -> 0 <= f i) -> 0 <= sum_to m f.
Proof.
  induction m as [|m IH]; intros f H; simpl; [lra |].
  pose proof (IH f (fun i Hi => H i ltac:(lia))). pose proof (H m ltac:(lia)). lra.
Qed.

Lemma sum_to_ext : forall m (F G : nat -> R), (forall i, (i < m)%nat -> F i = G i) ->
  sum_to m F = sum_to m G.
Proof.
  induction m as [|m IH]; intros F G H; cbn [sum_to]; [reflexivity |].
  rewrite (IH F G) by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

Section Vectors.

Variable n : nat.

(** Inner product and squared distance over the first [n] components. *)
Definition dot (a b : vec) : R := sum_to n (fun i => a i * b i).
Definition dist2 (a b : vec) : R := sum_to n (fun i => (a i - b i) ^ 2).

Lemma dist2_nonneg : forall a b, 0 <= dist2 a b.
Proof. intros a b. apply sum_to_nonneg. intros i _. apply square_nonneg. Qed.

(** Convex sets and convex functions on them. *)
Definition segment (x y : vec) (t : R) : vec := fun i => x i + t * (y i - x i).

Definition convex_set (D : vec -> Prop) : Prop :=
  forall x y t, D x -> D y -> 0 <= t <= 1 -> D (segment x y t).

Definition convex_on (D : vec -> Prop) (f : vec -> R) : Prop :=
  forall x y t, D x -> D y -> 0 <= t <= 1 -> f (segment x y t) <= (1 - t) * f x + t * f y.

End Vectors.

(** ** First-order optimality of a proximal step *)

Lemma limit_nonneg : forall a b, 0 <= b -> (forall t, 0 < t <= 1 -> 0 <= a + t * b) -> 0 <= a.
Proof.
  intros a b Hb H. destruct (Rle_dec 0 a) as [Ha | Ha]; [exact Ha | exfalso].
  apply Rnot_le_lt in Ha.
  destruct (Req_dec b 0) as [Hb0 | Hb0].
  - specialize (H 1 ltac:(lra)). rewrite Hb0 in H. lra.
  - assert (Hbp : 0 < b) by (destruct Hb as [Hb | Hb]; [exact Hb | symmetry in Hb; contradiction]).
    destruct (Rle_dec 1 (- a / (2 * b))) as [Hle | Hlt].
    + specialize (H 1 ltac:(lra)).
      assert (2 * b <= - a).
      { apply Rmult_le_reg_r with (/ (2 * b)); [apply Rinv_0_lt_compat; lra |].
        rewrite Rinv_r by lra. unfold Rdiv in Hle. exact Hle. }
      lra.
    + apply Rnot_le_lt in Hlt. set (t := - a / (2 * b)) in *.
      assert (Ht : 0 < t) by (unfold t; apply Rdiv_lt_0_compat; lra).
      specialize (H t ltac:(lra)).
      assert (t * b = - a / 2) by (unfold t; field; lra).
      lra.
Qed.

Lemma dist2_segment : forall m x y v t,
  sum_to m (fun i => (segment x y t i - v i) ^ 2)
  = sum_to m (fun i => (x i - v i) ^ 2)
    + 2 * t * sum_to m (fun i => (x i - v i) * (y i - x i))
    + t ^ 2 * sum_to m (fun i => (y i - x i) ^ 2).
Proof. induction m as [|m IH]; intros; cbn [sum_to]; [ring |]. rewrite IH. unfold segment. ring. Qed.

Lemma sum_to_sub_mul : forall m (w x y : vec),
  sum_to m (fun i => w i * (y i - x i)) = sum_to m (fun i => w i * y i) - sum_to m (fun i => w i * x i).
Proof. induction m as [|m IH]; intros; cbn [sum_to]; [ring |]. rewrite IH. ring. Qed.

(** If [x0] minimises [f(x) + rho/2 ||x - v||^2] over a convex domain on which [f] is convex,
    then it minimises the linearisation [f(x) + rho (x0 - v).x] there. *)
Theorem prox_first_order : forall n (D : vec -> Prop) (f : vec -> R) rho (v x0 : vec),
  0 < rho -> convex_set D -> convex_on D f -> D x0 ->
  (forall x, D x -> f x0 + rho / 2 * dist2 n x0 v <= f x + rho / 2 * dist2 n x v) ->
  forall x, D x ->
    f x0 + rho * dot n (fun i => x0 i - v i) x0 <= f x + rho * dot n (fun i => x0 i - v i) x.
Proof.
  intros n D f rho v x0 Hrho HD Hf Hx0 Hmin x Hx.
  set (S := sum_to n (fun i => (x0 i - v i) * (x i - x0 i))).
  set (Q := sum_to n (fun i => (x i - x0 i) ^ 2)).
  assert (HQ : 0 <= Q) by (apply sum_to_nonneg; intros; apply square_nonneg).
  assert (Ha : 0 <= f x - f x0 + rho * S).
  { apply (limit_nonneg _ (rho / 2 * Q)); [apply Rmult_le_pos; lra |].
    intros t Ht.
    pose proof (Hmin (segment x0 x t) (HD x0 x t Hx0 Hx ltac:(lra))) as Hm.
    pose proof (Hf x0 x t Hx0 Hx ltac:(lra)) as Hc.
    unfold dist2 in Hm. rewrite dist2_segment in Hm. fold S Q in Hm.
    assert (0 <= t * (f x - f x0 + rho * S + t * (rho / 2 * Q))) by nra.
    apply Rmult_le_reg_l with t; [lra |]. lra. }
  unfold dot. unfold S in Ha. rewrite sum_to_sub_mul in Ha. lra.
Qed.

(** ** One iteration *)

Section Iteration.

Variable n : nat.
Variables (f g : vec -> R) (Df Dg : vec -> Prop) (rho : R).
Hypothesis rho_pos : 0 < rho.
Hypothesis Df_convex : convex_set Df.
Hypothesis Dg_convex : convex_set Dg.
Hypothesis f_convex : convex_on Df f.
Hypothesis g_convex : convex_on Dg g.

(** A saddle point of the unaugmented Lagrangian: [xs = zs] and
    [L0(xs, zs, us) <= L0(x, z, us)] on the domains. *)
Variables xs zs us : vec.
Hypothesis saddle_feasible : forall i, (i < n)%nat -> xs i = zs i.
Hypothesis saddle_domain : Df xs /\ Dg zs.
Hypothesis saddle : forall x z, Df x -> Dg z ->
  f xs + g zs <= f x + g z + rho * dot n us (fun i => x i - z i).

(** The x-update: [x1] minimises [f(x) + rho/2 ||x - (z0 - u0)||^2] over [Df]. *)
Definition x_update (x1 z0 u0 : vec) : Prop :=
  Df x1 /\ forall x, Df x ->
    f x1 + rho / 2 * dist2 n x1 (fun i => z0 i - u0 i)
      <= f x + rho / 2 * dist2 n x (fun i => z0 i - u0 i).

(** The z-update: [z1] minimises [g(z) + rho/2 ||z - (x1 + u0)||^2] over [Dg]. *)
Definition z_update (z1 x1 u0 : vec) : Prop :=
  Dg z1 /\ forall z, Dg z ->
    g z1 + rho / 2 * dist2 n z1 (fun i => x1 i + u0 i)
      <= g z + rho / 2 * dist2 n z (fun i => x1 i + u0 i).

(** The scaled dual update. *)
Definition u_update (u1 u0 x1 z1 : vec) : Prop :=
  forall i, (i < n)%nat -> u1 i = u0 i + x1 i - z1 i.

(** The Lyapunov function. *)
Definition lyapunov_admm (u z : vec) : R := rho * dist2 n u us + rho * dist2 n z zs.

Lemma dot_ext : forall m (a a' b b' : vec),
  (forall i, (i < m)%nat -> a i * b i = a' i * b' i) ->
  sum_to m (fun i => a i * b i) = sum_to m (fun i => a' i * b' i).
Proof.
  induction m as [|m IH]; intros a a' b b' H; simpl; [reflexivity |].
  rewrite (IH a a' b b') by (intros; apply H; lia). rewrite H by lia. reflexivity.
Qed.

(** The z-update's first-order condition: [z1] minimises [g(z) - rho u1.z]. *)
Lemma z_first_order : forall z1 x1 u0 u1, z_update z1 x1 u0 -> u_update u1 u0 x1 z1 ->
  forall z, Dg z -> g z1 - rho * dot n u1 z1 <= g z - rho * dot n u1 z.
Proof.
  intros z1 x1 u0 u1 [Hz Hmin] Hu z HDz.
  pose proof (prox_first_order n Dg g rho (fun i => x1 i + u0 i) z1
                rho_pos Dg_convex g_convex Hz Hmin z HDz) as H.
  unfold dot in *.
  rewrite (dot_ext n (fun i => z1 i - (x1 i + u0 i)) (fun i => - u1 i) z1 z1) in H
    by (intros i Hi; rewrite (Hu i Hi); ring).
  rewrite (dot_ext n (fun i => z1 i - (x1 i + u0 i)) (fun i => - u1 i) z z) in H
    by (intros i Hi; rewrite (Hu i Hi); ring).
  assert (Hneg : forall w, sum_to n (fun i => - u1 i * w i) = - sum_to n (fun i => u1 i * w i)).
  { intro w. clear -n. induction n as [|m IH]; simpl; [ring |]. rewrite IH. ring. }
  rewrite !Hneg in H. lra.
Qed.

(** The x-update's first-order condition: [x1] minimises [f(x) + rho (x1 - z0 + u0).x]. *)
Lemma x_first_order : forall x1 z0 u0, x_update x1 z0 u0 ->
  forall x, Df x ->
    f x1 + rho * dot n (fun i => x1 i - z0 i + u0 i) x1
      <= f x + rho * dot n (fun i => x1 i - z0 i + u0 i) x.
Proof.
  intros x1 z0 u0 [Hx Hmin] x HDx.
  pose proof (prox_first_order n Df f rho (fun i => z0 i - u0 i) x1
                rho_pos Df_convex f_convex Hx Hmin x HDx) as H.
  unfold dot in *.
  rewrite (dot_ext n (fun i => x1 i - (z0 i - u0 i)) (fun i => x1 i - z0 i + u0 i) x1 x1) in H
    by (intros; ring).
  rewrite (dot_ext n (fun i => x1 i - (z0 i - u0 i)) (fun i => x1 i - z0 i + u0 i) x x) in H
    by (intros; ring).
  exact H.
Qed.

(** The algebra of appendix A, component by component. *)
Lemma lyapunov_identity : forall m (u0 u1 x1 z0 z1 : vec),
  (forall i, (i < m)%nat -> u1 i = u0 i + x1 i - z1 i) ->
  (forall i, (i < m)%nat -> xs i = zs i) ->
  sum_to m (fun i => (u1 i - us i) ^ 2) - sum_to m (fun i => (u0 i - us i) ^ 2)
  + sum_to m (fun i => (z1 i - zs i) ^ 2) - sum_to m (fun i => (z0 i - zs i) ^ 2)
  + sum_to m (fun i => (x1 i - z1 i) ^ 2) + sum_to m (fun i => (z1 i - z0 i) ^ 2)
  = 2 * (- sum_to m (fun i => us i * (x1 i - z1 i))
         + sum_to m (fun i => (x1 i - z0 i + u0 i) * x1 i)
         - sum_to m (fun i => (x1 i - z0 i + u0 i) * xs i)
         - sum_to m (fun i => u1 i * z1 i) + sum_to m (fun i => u1 i * zs i))
    + 2 * (- sum_to m (fun i => u1 i * z1 i) + sum_to m (fun i => u1 i * z0 i)
           - sum_to m (fun i => u0 i * z0 i) + sum_to m (fun i => u0 i * z1 i)).
Proof.
  induction m as [|m IH]; intros u0 u1 x1 z0 z1 Hu Hs; cbn [sum_to]; [ring |].
  pose proof (IH u0 u1 x1 z0 z1 (fun i Hi => Hu i ltac:(lia)) (fun i Hi => Hs i ltac:(lia))) as E.
  rewrite (Hu m), (Hs m) by lia. lra.
Qed.

Lemma sum_to_mul_sub : forall m (w a b : vec),
  sum_to m (fun i => w i * a i) - sum_to m (fun i => w i * b i)
  = sum_to m (fun i => w i * (a i - b i)).
Proof. induction m as [|m IH]; intros; cbn [sum_to]; [ring |]. rewrite <- IH. ring. Qed.

(** Appendix A, one step: after an iteration that followed a complete iteration, V falls by
    at least [rho ||r||^2 + rho ||z1 - z0||^2]. The previous iteration enters only through
    [z0] being its z-update with dual [u0]. *)
Theorem lyapunov_step : forall (xp up x1 z0 z1 u0 u1 : vec),
  z_update z0 xp up -> u_update u0 up xp z0 ->
  x_update x1 z0 u0 -> z_update z1 x1 u0 -> u_update u1 u0 x1 z1 ->
  lyapunov_admm u1 z1 <= lyapunov_admm u0 z0 - rho * dist2 n x1 z1 - rho * dist2 n z1 z0.
Proof.
  intros xp up x1 z0 z1 u0 u1 Hz0 Hu0 Hx1 Hz1 Hu1.
  destruct saddle_domain as [Hxs Hzs].
  pose proof (saddle x1 z1 (proj1 Hx1) (proj1 Hz1)) as I1.
  pose proof (x_first_order x1 z0 u0 Hx1 xs Hxs) as I2x.
  pose proof (z_first_order z1 x1 u0 u1 Hz1 Hu1 zs Hzs) as I2z.
  pose proof (z_first_order z1 x1 u0 u1 Hz1 Hu1 z0 (proj1 Hz0)) as I3a.
  pose proof (z_first_order z0 xp up u0 Hz0 Hu0 z1 (proj1 Hz1)) as I3b.
  pose proof (lyapunov_identity n u0 u1 x1 z0 z1 Hu1 saddle_feasible) as Id.
  unfold lyapunov_admm, dist2, dot in *.
  (* Sum of I1, I2x, I2z: rho T1 <= 0; sum of I3a, I3b: rho T2 <= 0. *)
  set (T1 := - sum_to n (fun i => us i * (x1 i - z1 i))
             + sum_to n (fun i => (x1 i - z0 i + u0 i) * x1 i)
             - sum_to n (fun i => (x1 i - z0 i + u0 i) * xs i)
             - sum_to n (fun i => u1 i * z1 i) + sum_to n (fun i => u1 i * zs i)) in Id.
  set (T2 := - sum_to n (fun i => u1 i * z1 i) + sum_to n (fun i => u1 i * z0 i)
             - sum_to n (fun i => u0 i * z0 i) + sum_to n (fun i => u0 i * z1 i)) in Id.
  assert (H1 : rho * T1 <= 0) by (unfold T1; lra).
  assert (H2 : rho * T2 <= 0) by (unfold T2; lra).
  assert (rho * (2 * T1 + 2 * T2) <= 0) by lra.
  rewrite <- Id in H. lra.
Qed.

(** A run of ADMM: the k-th iteration takes [(z k, u k)] to [(x (k+1), z (k+1), u (k+1))]. *)
Definition admm_run (x z u : nat -> vec) : Prop :=
  forall k, x_update (x (S k)) (z k) (u k) /\ z_update (z (S k)) (x (S k)) (u k)
            /\ u_update (u (S k)) (u k) (x (S k)) (z (S k)).

(** From the first complete iteration on, V never increases, and falls by at least the
    squared residuals. *)
Theorem admm_lyapunov : forall x z u, admm_run x z u ->
  forall k, k <> O ->
    lyapunov_admm (u (S k)) (z (S k))
      <= lyapunov_admm (u k) (z k) - rho * dist2 n (x (S k)) (z (S k)) - rho * dist2 n (z (S k)) (z k).
Proof.
  intros x z u Hrun [|k] Hk; [contradiction |].
  destruct (Hrun k) as [_ [Hz0 Hu0]]. destruct (Hrun (S k)) as [Hx1 [Hz1 Hu1]].
  apply (lyapunov_step (x (S k)) (u k)); assumption.
Qed.

(** The residuals are square-summable: over any number of iterations after the first, the sum
    of [rho ||r||^2 + rho ||dz||^2] is at most V after the first iteration; so they tend to 0. *)
Theorem admm_residuals_summable : forall x z u, admm_run x z u ->
  forall N, sum_to N (fun k => rho * dist2 n (x (S (S k))) (z (S (S k)))
                               + rho * dist2 n (z (S (S k))) (z (S k)))
              <= lyapunov_admm (u 1%nat) (z 1%nat) - lyapunov_admm (u (S N)) (z (S N)).
Proof.
  intros x z u Hrun N. induction N as [|N IH]; simpl; [lra |].
  pose proof (admm_lyapunov x z u Hrun (S N) ltac:(discriminate)). lra.
Qed.

Corollary admm_lyapunov_bounded : forall x z u, admm_run x z u ->
  forall k, (1 <= k)%nat -> lyapunov_admm (u k) (z k) <= lyapunov_admm (u 1%nat) (z 1%nat).
Proof.
  intros x z u Hrun k Hk. induction k as [|k IH]; [lia |].
  destruct (Nat.eq_dec k 0) as [E | E]; [subst; lra |].
  pose proof (admm_lyapunov x z u Hrun k E).
  pose proof (dist2_nonneg n (x (S k)) (z (S k))).
  pose proof (dist2_nonneg n (z (S k)) (z k)).
  assert (0 <= rho * dist2 n (x (S k)) (z (S k))) by (apply Rmult_le_pos; lra).
  assert (0 <= rho * dist2 n (z (S k)) (z k)) by (apply Rmult_le_pos; lra).
  specialize (IH ltac:(lia)). lra.
Qed.

End Iteration.

(** ** The budget row: projection onto a half-space *)

Definition halfspace (n : nat) (a : vec) (C : R) : vec -> Prop := fun z => dot n a z <= C.

(** The projection of [v] onto [a.z <= C]: [v - max(0, (a.v - C) / a.a) a]. *)
Definition project_halfspace (n : nat) (a : vec) (C : R) (v : vec) : vec :=
  fun i => v i - Rmax 0 ((dot n a v - C) / dot n a a) * a i.

Lemma dot_lin : forall m (a x y : vec) s t,
  sum_to m (fun i => a i * (s * x i + t * y i))
  = s * sum_to m (fun i => a i * x i) + t * sum_to m (fun i => a i * y i).
Proof. induction m as [|m IH]; intros; cbn [sum_to]; [ring |]. rewrite IH. ring. Qed.

Lemma halfspace_convex : forall n a C, convex_set (halfspace n a C).
Proof.
  intros n a C x y t Hx Hy Ht. unfold halfspace, dot, segment in *.
  rewrite (dot_ext n a a (fun i => x i + t * (y i - x i)) (fun i => (1 - t) * x i + t * y i))
    by (intros; ring).
  rewrite dot_lin. nra.
Qed.

Lemma projection_identity : forall m (z p v a : vec) s,
  (forall i, (i < m)%nat -> p i = v i - s * a i) ->
  sum_to m (fun i => (z i - v i) ^ 2)
  = sum_to m (fun i => (z i - p i) ^ 2) + sum_to m (fun i => (p i - v i) ^ 2)
    - 2 * s * (sum_to m (fun i => a i * z i) - sum_to m (fun i => a i * p i)).
Proof.
  induction m as [|m IH]; intros z p v a s Hp; cbn [sum_to]; [ring |].
  rewrite (IH z p v a s) by (intros; apply Hp; lia). rewrite (Hp m) by lia. ring.
Qed.

Lemma dot_projection : forall m (a v : vec) s,
  sum_to m (fun i => a i * (v i - s * a i))
  = sum_to m (fun i => a i * v i) - s * sum_to m (fun i => a i * a i).
Proof. induction m as [|m IH]; intros; cbn [sum_to]; [ring |]. rewrite IH. ring. Qed.

(** The projection lies in the half-space and is its point nearest to [v]. *)
Theorem project_halfspace_min : forall n a C v, 0 < dot n a a ->
  halfspace n a C (project_halfspace n a C v)
  /\ forall z, halfspace n a C z ->
       dist2 n (project_halfspace n a C v) v <= dist2 n z v.
Proof.
  intros n a C v Haa.
  set (s := Rmax 0 ((dot n a v - C) / dot n a a)).
  assert (Hs0 : 0 <= s) by apply Rmax_l.
  assert (Hdp : dot n a (project_halfspace n a C v) = dot n a v - s * dot n a a).
  { unfold dot, project_halfspace. fold s. apply dot_projection. }
  (* Either v is inside and s = 0, or s > 0 and the projection is on the boundary. *)
  assert (Hcase : (s = 0 /\ dot n a v <= C) \/ (0 < s /\ dot n a v - s * dot n a a = C)).
  { unfold s, Rmax. destruct (Rle_dec 0 ((dot n a v - C) / dot n a a)) as [Hle | Hlt].
    - destruct (Req_dec ((dot n a v - C) / dot n a a) 0) as [E | E].
      + left. split; [exact E |].
        assert (dot n a v - C = 0).
        { replace (dot n a v - C) with ((dot n a v - C) / dot n a a * dot n a a)
            by (field; lra). rewrite E. ring. }
        lra.
      + right. split; [lra |]. field. lra.
    - left. split; [reflexivity |].
      destruct (Rle_dec (dot n a v) C) as [H | H]; [exact H | exfalso; apply Hlt].
      unfold Rdiv. apply Rmult_le_pos; [lra | left; apply Rinv_0_lt_compat; lra]. }
  split.
  - unfold halfspace. rewrite Hdp. destruct Hcase as [[E Hc] | [E Hc]]; [rewrite E; lra | lra].
  - intros z Hz. unfold halfspace in Hz.
    pose proof (projection_identity n z (project_halfspace n a C v) v a s
                  (fun i _ => eq_refl)) as Id.
    unfold dist2. rewrite Id. fold (dot n a z). fold (dot n a (project_halfspace n a C v)).
    rewrite Hdp.
    pose proof (dist2_nonneg n z (project_halfspace n a C v)) as Hd. unfold dist2 in Hd.
    destruct Hcase as [[E Hin] | [E Hb]].
    + rewrite E. lra.
    + rewrite Hb. assert (0 <= s * (C - dot n a z)) by (apply Rmult_le_pos; lra). lra.
Qed.

(** The sharing form: the budget row [a.z <= C] as g (the indicator, 0 on the half-space), and
    the z-update computed by [project_halfspace]. Its Lyapunov function decreases as above. *)
Theorem admm_sharing_lyapunov : forall n (f : vec -> R) (Df : vec -> Prop) rho a C xs zs us
  (x z u : nat -> vec),
  0 < rho -> 0 < dot n a a -> convex_set Df -> convex_on Df f ->
  (forall i, (i < n)%nat -> xs i = zs i) -> Df xs -> halfspace n a C zs ->
  (forall x' z', Df x' -> halfspace n a C z' ->
     f xs <= f x' + rho * dot n us (fun i => x' i - z' i)) ->
  (forall k, x_update n f Df rho (x (S k)) (z k) (u k)
             /\ (forall i, (i < n)%nat ->
                   z (S k) i = project_halfspace n a C (fun j => x (S k) j + u k j) i)
             /\ u_update n (u (S k)) (u k) (x (S k)) (z (S k))) ->
  forall k, k <> O ->
    lyapunov_admm n rho zs us (u (S k)) (z (S k))
      <= lyapunov_admm n rho zs us (u k) (z k)
         - rho * dist2 n (x (S k)) (z (S k)) - rho * dist2 n (z (S k)) (z k).
Proof.
  intros n f Df rho a C xs zs us x z u Hrho Haa HDf Hf Hfeas Hxs Hzs Hsaddle Hrun.
  set (g := fun _ : vec => 0).
  (* The z-update is exactly the projection on the first n components. *)
  assert (Hproj : forall k, z_update n g (halfspace n a C) rho (z (S k)) (x (S k)) (u k)).
  { intro k. destruct (Hrun k) as [_ [Hz _]].
    set (v := fun j => x (S k) j + u k j).
    destruct (project_halfspace_min n a C v Haa) as [Hin Hmin].
    assert (Hd : forall w, dot n a w = dot n a w) by reflexivity.
    assert (E1 : dot n a (z (S k)) = dot n a (project_halfspace n a C v)).
    { unfold dot. apply dot_ext. intros i Hi. rewrite (Hz i Hi). reflexivity. }
    assert (E2 : dist2 n (z (S k)) v = dist2 n (project_halfspace n a C v) v).
    { unfold dist2. apply sum_to_ext. intros i Hi. rewrite (Hz i Hi). reflexivity. }
    split.
    - unfold halfspace in *. rewrite E1. exact Hin.
    - intros w Hw. unfold g. fold v. rewrite E2. specialize (Hmin w Hw). nra. }
  assert (Hg : convex_on (halfspace n a C) g) by (intros x' y' t _ _ Ht; unfold g; lra).
  apply (admm_lyapunov n f g Df (halfspace n a C) rho Hrho HDf (halfspace_convex n a C) Hf Hg
           xs zs us Hfeas (conj Hxs Hzs)).
  - intros x' z' Hx' Hz'. unfold g. pose proof (Hsaddle x' z' Hx' Hz'). lra.
  - intro k. destruct (Hrun k) as [Hx [_ Hu]]. split; [exact Hx | split; [apply Hproj | exact Hu]].
Qed.

(** ** ADMM for a fibre's own problem

    The theorems above hold for any convex [f] and [g]. A fibre's file instantiates them with
    the fibre's own problem: [f] the sum over its columns of minus their utilities, each column
    within its bounds ([fibre_box]), and [g] the indicator of its rows ([fibre_rows]:
    [A_r . z <= c_r], or [= c_r] on an equality row). A column takes one of the fibre's
    utilities, [fibre_utility] (the closed-form families of the runtime's agents):
    [w ln(x + eps)], [w x - k/2 x^2] or [w x]; [column_ok] is the condition that makes minus it
    convex on the column's bounds ([w >= 0] and [x + eps > 0] at the lower bound for the log,
    [k >= 0] for the quadratic). The convexity of [f], of its domain and of the rows is proved
    here for every such column and every linear row ([fibre_admm_lyapunov]), so a fibre's file
    proves the decrease for its utilities and its rho by checking [column_ok] on its numbers. *)

Inductive fibre_utility : Type :=
  | utility_log (w eps : R)
  | utility_quadratic (w k : R)
  | utility_linear (w : R).

Definition utility_value (u : fibre_utility) (v : R) : R :=
  match u with
  | utility_log w eps => w * ln (v + eps)
  | utility_quadratic w k => w * v - k / 2 * v ^ 2
  | utility_linear w => w * v
  end.

(** A column of the fibre's problem: its utility and its bounds ([None]: unbounded). *)
Record fibre_column : Type := FibreColumn {
  column_utility : fibre_utility;
  column_lower : option R;
  column_upper : option R }.

Definition column_ok (c : fibre_column) : Prop :=
  match column_utility c with
  | utility_log w eps => 0 <= w /\ match column_lower c with Some l => 0 < l + eps | None => False end
  | utility_quadratic _ k => 0 <= k
  | utility_linear _ => True
  end.

Definition at_least (bound : option R) (v : R) : Prop := match bound with Some b => b <= v | None => True end.
Definition at_most (bound : option R) (v : R) : Prop := match bound with Some b => v <= b | None => True end.

Section FibreProblem.

(** [n] coordinates; coordinate [j] is a member of the fibre's column [kind j]. *)
Variable columns : nat -> fibre_column.
Variable kind : nat -> nat.
Variable n : nat.

Definition fibre_cost (x : vec) : R :=
  sum_to n (fun j => - utility_value (column_utility (columns (kind j))) (x j)).

Definition fibre_box (x : vec) : Prop :=
  forall j, (j < n)%nat -> at_least (column_lower (columns (kind j))) (x j) /\ at_most (column_upper (columns (kind j))) (x j).

(** [m] linear rows: [A r . z <= c r], or [= c r] when [equality r]. *)
Variable m : nat.
Variable A : nat -> vec.
Variable c : nat -> R.
Variable equality : nat -> bool.

Definition fibre_rows (z : vec) : Prop :=
  forall r, (r < m)%nat -> if equality r then dot n (A r) z = c r else dot n (A r) z <= c r.

Definition fibre_indicator (_ : vec) : R := 0.

Lemma ln_le_minus_1 : forall y, 0 < y -> ln y <= y - 1.
Proof.
  intros y Hy. pose proof (exp_ineq1_le (ln y)) as H. rewrite exp_ln in H by exact Hy. lra.
Qed.

(** The logarithm is concave: [(1 - t) ln a + t ln b <= ln ((1 - t) a + t b)]. *)
Lemma ln_concave : forall a b t, 0 < a -> 0 < b -> 0 <= t <= 1 ->
  (1 - t) * ln a + t * ln b <= ln (a + t * (b - a)).
Proof.
  intros a b t Ha Hb Ht.
  set (s := a + t * (b - a)).
  assert (Hs : 0 < s) by (unfold s; nra).
  assert (Ea : ln a - ln s = ln (a / s)).
  { unfold Rdiv. rewrite ln_mult, ln_Rinv by (try apply Rinv_0_lt_compat; lra). ring. }
  assert (Eb : ln b - ln s = ln (b / s)).
  { unfold Rdiv. rewrite ln_mult, ln_Rinv by (try apply Rinv_0_lt_compat; lra). ring. }
  pose proof (ln_le_minus_1 (a / s) ltac:(apply Rdiv_lt_0_compat; lra)) as Ia.
  pose proof (ln_le_minus_1 (b / s) ltac:(apply Rdiv_lt_0_compat; lra)) as Ib.
  assert (Sum : (1 - t) * (a / s - 1) + t * (b / s - 1) = 0) by (unfold s in *; field; lra).
  assert (0 <= 1 - t) by lra.
  assert ((1 - t) * (ln a - ln s) <= (1 - t) * (a / s - 1)) by (rewrite Ea; apply Rmult_le_compat_l; lra).
  assert (t * (ln b - ln s) <= t * (b / s - 1)) by (rewrite Eb; apply Rmult_le_compat_l; lra).
  lra.
Qed.

Lemma column_convex : forall col a b t, column_ok col ->
  at_least (column_lower col) a -> at_least (column_lower col) b -> 0 <= t <= 1 ->
  - utility_value (column_utility col) (a + t * (b - a))
    <= (1 - t) * - utility_value (column_utility col) a + t * - utility_value (column_utility col) b.
Proof.
  intros [u lo hi] a b t Hok Ha Hb Ht. cbn [column_utility column_lower] in *.
  destruct u as [w eps | w k | w]; cbn [utility_value column_ok column_utility column_lower] in *.
  - destruct lo as [l |]; [| destruct Hok as [_ []]]. destruct Hok as [Hw Hl]. cbn in Ha, Hb.
    pose proof (ln_concave (a + eps) (b + eps) t ltac:(lra) ltac:(lra) Ht) as H.
    replace (a + eps + t * (b + eps - (a + eps))) with (a + t * (b - a) + eps) in H by ring.
    assert (w * ((1 - t) * ln (a + eps) + t * ln (b + eps)) <= w * ln (a + t * (b - a) + eps))
      by (apply Rmult_le_compat_l; lra).
    lra.
  - assert (E : (1 - t) * - (w * a - k / 2 * a ^ 2) + t * - (w * b - k / 2 * b ^ 2)
                - - (w * (a + t * (b - a)) - k / 2 * (a + t * (b - a)) ^ 2)
                = k / 2 * (t * (1 - t)) * (b - a) ^ 2) by ring.
    assert (0 <= k / 2 * (t * (1 - t)) * (b - a) ^ 2).
    { apply Rmult_le_pos; [apply Rmult_le_pos; nra | apply square_nonneg]. }
    lra.
  - lra.
Qed.

Lemma sum_to_convex : forall p (F G H : nat -> R) t, 0 <= t <= 1 ->
  (forall j, (j < p)%nat -> F j <= (1 - t) * G j + t * H j) ->
  sum_to p F <= (1 - t) * sum_to p G + t * sum_to p H.
Proof.
  induction p as [|p IH]; intros F G H t Ht Hj; cbn [sum_to]; [lra |].
  pose proof (IH F G H t Ht (fun j Hp => Hj j ltac:(lia))). pose proof (Hj p ltac:(lia)). lra.
Qed.

Lemma fibre_box_convex : convex_set fibre_box.
Proof.
  intros x y t Hx Hy Ht j Hj. unfold segment. destruct (Hx j Hj) as [Lx Ux]. destruct (Hy j Hj) as [Ly Uy].
  destruct (column_lower (columns (kind j))) as [l |], (column_upper (columns (kind j))) as [h |];
    cbn in *; repeat split; nra.
Qed.

Lemma fibre_cost_convex : (forall j, (j < n)%nat -> column_ok (columns (kind j))) ->
  convex_on fibre_box fibre_cost.
Proof.
  intros Hok x y t Hx Hy Ht. unfold fibre_cost, segment.
  apply sum_to_convex; [exact Ht |]. intros j Hj.
  apply column_convex; [apply Hok; exact Hj | apply (Hx j Hj) | apply (Hy j Hj) | exact Ht].
Qed.

Lemma fibre_rows_convex : convex_set fibre_rows.
Proof.
  intros x y t Hx Hy Ht r Hr. specialize (Hx r Hr). specialize (Hy r Hr).
  unfold dot, segment in *.
  rewrite (dot_ext n (A r) (A r) (fun i => x i + t * (y i - x i)) (fun i => (1 - t) * x i + t * y i))
    by (intros; ring).
  rewrite dot_lin. destruct (equality r); [rewrite Hx, Hy; ring | nra].
Qed.

Lemma fibre_indicator_convex : convex_on fibre_rows fibre_indicator.
Proof. intros x y t _ _ Ht. unfold fibre_indicator. lra. Qed.

End FibreProblem.

(** The decrease of [admm_lyapunov] for the fibre's problem: [f] its utilities over its
    columns' bounds, [g] the indicator of its rows, any penalty [rho > 0]. The hypotheses left
    are the saddle point and exact updates; convexity is proved from [column_ok]. *)
Theorem fibre_admm_lyapunov : forall columns kind n m A c equality rho (xs zs us : vec) (x z u : nat -> vec),
  0 < rho -> (forall j, (j < n)%nat -> column_ok (columns (kind j))) ->
  (forall i, (i < n)%nat -> xs i = zs i) ->
  fibre_box columns kind n xs /\ fibre_rows n m A c equality zs ->
  (forall x' z', fibre_box columns kind n x' -> fibre_rows n m A c equality z' ->
     fibre_cost columns kind n xs + fibre_indicator zs
       <= fibre_cost columns kind n x' + fibre_indicator z' + rho * dot n us (fun i => x' i - z' i)) ->
  admm_run n (fibre_cost columns kind n) fibre_indicator (fibre_box columns kind n) (fibre_rows n m A c equality) rho x z u ->
  forall k, k <> O ->
    lyapunov_admm n rho zs us (u (S k)) (z (S k))
      <= lyapunov_admm n rho zs us (u k) (z k) - rho * dist2 n (x (S k)) (z (S k)) - rho * dist2 n (z (S k)) (z k).
Proof.
  intros columns kind n m A c equality rho xs zs us x z u Hrho Hok Hfeas Hdom Hsaddle Hrun k Hk.
  apply (admm_lyapunov n _ _ _ _ rho Hrho (fibre_box_convex columns kind n) (fibre_rows_convex n m A c equality)
           (fibre_cost_convex columns kind n Hok) (fibre_indicator_convex n m A c equality)
           xs zs us Hfeas Hdom Hsaddle x z u Hrun k Hk).
Qed.

(** The residuals of the fibre's run are square-summable ([admm_residuals_summable]). *)
Theorem fibre_admm_residuals : forall columns kind n m A c equality rho (xs zs us : vec) (x z u : nat -> vec),
  0 < rho -> (forall j, (j < n)%nat -> column_ok (columns (kind j))) ->
  (forall i, (i < n)%nat -> xs i = zs i) ->
  fibre_box columns kind n xs /\ fibre_rows n m A c equality zs ->
  (forall x' z', fibre_box columns kind n x' -> fibre_rows n m A c equality z' ->
     fibre_cost columns kind n xs + fibre_indicator zs
       <= fibre_cost columns kind n x' + fibre_indicator z' + rho * dot n us (fun i => x' i - z' i)) ->
  admm_run n (fibre_cost columns kind n) fibre_indicator (fibre_box columns kind n) (fibre_rows n m A c equality) rho x z u ->
  forall N, sum_to N (fun k => rho * dist2 n (x (S (S k))) (z (S (S k))) + rho * dist2 n (z (S (S k))) (z (S k)))
    <= lyapunov_admm n rho zs us (u 1%nat) (z 1%nat) - lyapunov_admm n rho zs us (u (S N)) (z (S N)).
Proof.
  intros columns kind n m A c equality rho xs zs us x z u Hrho Hok Hfeas Hdom Hsaddle Hrun N.
  apply (admm_residuals_summable n _ _ _ _ rho Hrho (fibre_box_convex columns kind n) (fibre_rows_convex n m A c equality)
           (fibre_cost_convex columns kind n Hok) (fibre_indicator_convex n m A c equality)
           xs zs us Hfeas Hdom Hsaddle x z u Hrun N).
Qed.

(** ** The fibre's hypotheses can hold

    A fibre's file shows that the hypotheses of [fibre_admm_lyapunov] are satisfiable with its
    own utilities and rho: one coordinate, a column [i] of the fibre whose utility does not fall
    up to its upper bound [M], no row, every iterate at [M] with dual 0. Then [M] is the optimum,
    a saddle point with multiplier 0, and each update is an exact minimiser. *)

Definition column_nondecreasing (col : fibre_column) (M : R) : Prop :=
  match column_utility col with
  | utility_log w _ => 0 <= w
  | utility_quadratic w k => k * M <= w
  | utility_linear w => 0 <= w
  end.

Lemma utility_le_at_upper : forall col M v, column_ok col -> column_nondecreasing col M ->
  at_least (column_lower col) v -> v <= M ->
  - utility_value (column_utility col) M <= - utility_value (column_utility col) v.
Proof.
  intros [u lo hi] M v Hok Hnd Hv HM. cbn [column_utility column_lower column_ok column_nondecreasing] in *.
  destruct u as [w eps | w k | w]; cbn [utility_value column_ok column_nondecreasing column_utility column_lower] in *.
  - destruct lo as [l |]; [| destruct Hok as [_ []]]. destruct Hok as [Hw Hl]. cbn in Hv.
    assert (ln (v + eps) <= ln (M + eps)).
    { destruct (Req_dec v M) as [E | E]; [subst; lra |]. left. apply ln_increasing; lra. }
    assert (w * ln (v + eps) <= w * ln (M + eps)) by (apply Rmult_le_compat_l; lra). lra.
  - assert (E : - (w * M - k / 2 * M ^ 2) - - (w * v - k / 2 * v ^ 2) = - ((M - v) * (w - k / 2 * (M + v)))) by ring.
    assert (0 <= (M - v) * (w - k / 2 * (M + v))) by (apply Rmult_le_pos; nra). lra.
  - nra.
Qed.

Lemma fibre_admm_witness : forall columns i rho M (A : nat -> vec) c equality,
  0 < rho -> column_ok (columns i) -> column_upper (columns i) = Some M ->
  at_least (column_lower (columns i)) M -> column_nondecreasing (columns i) M ->
  let kind := fun _ : nat => i in
  let xs := fun _ : nat => M in
  (fibre_box columns kind 1 xs /\ fibre_rows 1 0 A c equality xs)
  /\ (forall x' z', fibre_box columns kind 1 x' -> fibre_rows 1 0 A c equality z' ->
        fibre_cost columns kind 1 xs + fibre_indicator xs
          <= fibre_cost columns kind 1 x' + fibre_indicator z' + rho * dot 1 (fun _ => 0) (fun j => x' j - z' j))
  /\ admm_run 1 (fibre_cost columns kind 1) fibre_indicator (fibre_box columns kind 1) (fibre_rows 1 0 A c equality)
       rho (fun _ => xs) (fun _ => xs) (fun _ _ => 0).
Proof.
  intros columns i rho M A c equality Hrho Hok HM Hlo Hnd kind xs.
  assert (Hbox : fibre_box columns kind 1 xs).
  { intros j Hj. unfold kind, xs. rewrite HM. split; [exact Hlo | cbn; lra]. }
  assert (Hrows : forall z, fibre_rows 1 0 A c equality z) by (intros z r Hr; lia).
  assert (Hopt : forall x', fibre_box columns kind 1 x' ->
            fibre_cost columns kind 1 xs <= fibre_cost columns kind 1 x').
  { intros x' Hx'. destruct (Hx' 0%nat ltac:(lia)) as [L U]. unfold kind in L, U. rewrite HM in U. cbn in U.
    unfold fibre_cost, kind, xs. cbn [sum_to]. pose proof (utility_le_at_upper (columns i) M (x' 0%nat) Hok Hnd L U). lra. }
  split; [split; [exact Hbox | apply Hrows] |]. split.
  - intros x' z' Hx' _. pose proof (Hopt x' Hx'). unfold fibre_indicator, dot. cbn [sum_to]. lra.
  - intro k. unfold x_update, z_update, u_update, dist2, fibre_indicator. cbn [sum_to]. split; [| split].
    + split; [exact Hbox |]. intros x' Hx'. pose proof (Hopt x' Hx').
      pose proof (square_nonneg (x' 0%nat - (xs 0%nat - 0))).
      assert (0 <= rho / 2 * (0 + (x' 0%nat - (xs 0%nat - 0)) ^ 2)) by (apply Rmult_le_pos; lra).
      assert (E : xs 0%nat - (xs 0%nat - 0) = 0) by ring. rewrite E. lra.
    + split; [apply Hrows |]. intros z' _.
      pose proof (square_nonneg (z' 0%nat - (xs 0%nat + 0))).
      assert (0 <= rho / 2 * (0 + (z' 0%nat - (xs 0%nat + 0)) ^ 2)) by (apply Rmult_le_pos; lra).
      assert (E : xs 0%nat - (xs 0%nat + 0) = 0) by ring. rewrite E. lra.
    + intros j Hj. unfold xs. ring.
Qed.
