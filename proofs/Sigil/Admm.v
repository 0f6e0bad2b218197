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

From Coq Require Import Rbase Rfunctions Lra Lia.

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
