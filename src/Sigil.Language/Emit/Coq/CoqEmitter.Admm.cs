using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>
        /// <c>certify admm</c>: ADMM's Lyapunov function decreases at every iteration after the
        /// first, for the fibre's penalty rho (Boyd et al. 2011, appendix A, consensus form).
        /// </summary>
        public void AddAdmm()
        {
            if (!Certifies(CertificateKind.Admm))
            {
                return;
            }

            if (_spec.Solver.Method != SolverMethod.Admm)
            {
                Note($"certify admm: this fibre is solved by {Method(_spec.Solver.Method)}, not ADMM; no theorem is stated for it.");
                return;
            }

            Require("Admm");
            var rho = DefineReal(Id("rho"), _spec.Solver.Rho, _spec.Solver.Statement);
            var rhoText = D(_spec.Solver.Rho);
            const string Assumptions =
                "forall n (f g : vec -> R) (Df Dg : vec -> Prop) (xs zs us : vec) (x z u : nat -> vec),\n"
                + "  convex_set Df -> convex_set Dg -> convex_on Df f -> convex_on Dg g ->\n"
                + "  (forall i, (i < n)%nat -> xs i = zs i) -> Df xs /\\ Dg zs ->\n";
            Theorem(
                Id("admm_lyapunov"),
                "admm",
                $"ADMM with rho = {rhoText}: for convex agent costs on convex bounds and a convex budget set whose Lagrangian has a saddle point (x*, z*, u*), every iteration after the first lowers V = rho ||u - u*||^2 + rho ||z - z*||^2 by at least rho ||x - z||^2 + rho ||z - z_prev||^2; V never increases (the price is rho u).",
                Assumptions
                + $"  (forall x' z', Df x' -> Dg z' -> f xs + g zs <= f x' + g z' + {rho} * dot n us (fun i => x' i - z' i)) ->\n"
                + $"  admm_run n f g Df Dg {rho} x z u ->\n"
                + "  forall k, k <> O ->\n"
                + $"    lyapunov_admm n {rho} zs us (u (S k)) (z (S k))\n"
                + $"      <= lyapunov_admm n {rho} zs us (u k) (z k) - {rho} * dist2 n (x (S k)) (z (S k)) - {rho} * dist2 n (z (S k)) (z k)",
                $"intros n f g Df Dg xs zs us x z u HDf HDg Hf Hg Hfeas Hdom Hsaddle Hrun k Hk.\n  refine (admm_lyapunov n f g Df Dg {rho} _ HDf HDg Hf Hg xs zs us Hfeas Hdom Hsaddle x z u Hrun k Hk). {Numbers}; lra.",
                witness: ZeroDimensional(new[] { "1%nat" }));
            Theorem(
                Id("admm_residuals"),
                "admm",
                $"ADMM with rho = {rhoText}: under the same assumptions the residuals are square-summable: over any N iterations after the first, the sum of rho ||x - z||^2 + rho ||z - z_prev||^2 is at most V after the first iteration, so both residuals tend to 0.",
                Assumptions
                + $"  (forall x' z', Df x' -> Dg z' -> f xs + g zs <= f x' + g z' + {rho} * dot n us (fun i => x' i - z' i)) ->\n"
                + $"  admm_run n f g Df Dg {rho} x z u ->\n"
                + $"  forall N, sum_to N (fun k => {rho} * dist2 n (x (S (S k))) (z (S (S k))) + {rho} * dist2 n (z (S (S k))) (z (S k)))\n"
                + $"    <= lyapunov_admm n {rho} zs us (u 1%nat) (z 1%nat) - lyapunov_admm n {rho} zs us (u (S N)) (z (S N))",
                $"intros n f g Df Dg xs zs us x z u HDf HDg Hf Hg Hfeas Hdom Hsaddle Hrun N.\n  refine (admm_residuals_summable n f g Df Dg {rho} _ HDf HDg Hf Hg xs zs us Hfeas Hdom Hsaddle x z u Hrun N). {Numbers}; lra.",
                witness: ZeroDimensional(System.Array.Empty<string>()));
        }

        /// <summary>
        /// The zero-dimensional problem with zero costs and no bounds, where every hypothesis holds
        /// with the fibre's rho: it shows them consistent, not that they hold for the fibre's own
        /// utilities and rows (which these theorems do not mention).
        /// </summary>
        private static CoqWitness ZeroDimensional(string[] after)
        {
            var terms = new[] { "O", "fun _ : vec => 0", "fun _ : vec => 0", "fun _ : vec => True", "fun _ : vec => True", "fun _ : nat => 0", "fun _ : nat => 0", "fun _ : nat => 0", "fun (_ : nat) (_ : nat) => 0", "fun (_ : nat) (_ : nat) => 0", "fun (_ : nat) (_ : nat) => 0" };
            return new CoqWitness(
                "n = 0 (no coordinates), zero costs, no bounds, every iterate 0" + (after.Length == 0 ? string.Empty : ", k = 1") + "; the fibre's utilities and rows do not appear in these hypotheses",
                EquatableArray.Create(new CoqWitnessPart(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Concat(terms, after)).ToEquatableArray())),
                EquatableArray<string>.Empty,
                "unfold admm_run, x_update, z_update, u_update, convex_set, convex_on, segment, dot, dist2 in *; cbn [sum_to] in *");
        }
    }
}
