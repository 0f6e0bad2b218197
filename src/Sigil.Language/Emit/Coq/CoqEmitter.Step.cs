using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>
        /// <c>certify step</c>: the dual step is below 2/L, with L = ||A||^2 / mu from the
        /// utilities' least curvature; then the update descends and, under strong monotonicity,
        /// contracts.
        /// </summary>
        public void AddStepBound()
        {
            if (!Certifies(CertificateKind.StepBound))
            {
                return;
            }

            if (_spec.Solver.Method != SolverMethod.Dual)
            {
                Note($"certify step: the step bound is about the dual price update, and this fibre is solved by {Method(_spec.Solver.Method)}; no theorem is stated for it.");
                return;
            }

            Require("PriceUpdate");
            var analysis = _spec.Analysis;
            var step = DefineReal(Id("step"), _spec.Solver.Step, _spec.Solver.Statement);
            var norm = DefineReal(Id("norm_a2"), analysis.NormASquared, "||A||^2: an upper bound on the squared norm of the coupling matrix (analysis)");
            var mu = DefineReal(Id("min_curvature"), analysis.MinCurvature, "mu: the least curvature -U'' of the utilities over the variables' bounds (analysis)");
            var lipschitz = Define(Id("lipschitz"), "R", norm + " / " + mu, "L = ||A||^2 / mu: the Lipschitz constant of the dual gradient");
            var g = _spec.Solver.Step;
            var l = analysis.MinCurvature > 0 ? analysis.NormASquared / analysis.MinCurvature : double.PositiveInfinity;
            var bound = analysis.MinCurvature > 0 ? D(2 / l) : "0 (mu is 0: no step is stable)";

            Theorem(
                Id("step_below_bound"),
                "step",
                $"The step {D(g)} is below the stability bound 2/L = {bound}, where L = ||A||^2 / mu = {D(analysis.NormASquared)} / {D(analysis.MinCurvature)} follows from the utilities' least curvature mu and the coupling's ||A||^2.",
                $"0 < {step} /\\ 0 < {mu} /\\ 0 < {norm} /\\ {step} * {lipschitz} < 2",
                $"{Numbers}; repeat split; lra.");
            Theorem(
                Id("step_descent"),
                "step",
                $"Descent: with the step {D(g)} < 2/L, one update never moves two prices apart: their squared distance falls by at least g (2/L - g) > 0 times the squared difference of their loads, for any load that does not increase with the price and is L-Lipschitz (L = {D(l)}).",
                $"0 < {step} * (2 / {lipschitz} - {step}) /\\\n  forall c load p q, nonincreasing load -> lipschitz load {lipschitz} ->\n    (update {step} c (load p) p - update {step} c (load q) q) ^ 2\n      <= (p - q) ^ 2 - {step} * (2 / {lipschitz} - {step}) * (load p - load q) ^ 2",
                $"apply descent_within; {Numbers}; lra.",
                witness: AtBoth("c = 0, a load of 0 at every price, p = q = 0", System.Array.Empty<string>(), new[] { "0", Constant("R", "0"), "0", "0" }));
            // No contraction theorem: it needs a load that falls at a rate m > 0 at every price,
            // which no bounded load does (PriceUpdate.v, [contraction]); stated here it said nothing.
        }
    }
}
