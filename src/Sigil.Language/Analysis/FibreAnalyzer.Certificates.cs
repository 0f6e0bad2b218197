using System.Linq;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

internal sealed partial class FibreAnalyzer
{
    // step = auto is 1/L: half the stability bound 2/L, the usual safe choice. A given dual step
    // above 2/L is a warning, or an error when 'certify step' asks for the bound. Online fibres
    // sense their load instead of computing the agents' best response, so 2/L (a property of that
    // response) does not bound them; their guarantee is the Lyapunov drift bound.
    private SolverSpec ResolveSolver(double mu, double lipschitz, double maxStableStep)
    {
        var solve = _bound.Solve!;
        var step = 0.0;
        if (solve.Method == SolverMethod.Dual && _utilitiesFailed)
        {
            step = solve.Step ?? 0;
        }
        else if (solve.Method == SolverMethod.Dual)
        {
            if (solve.Step is { } given)
            {
                step = given;
                var certified = _bound.Certificates.Any(static c => c.Value == CertificateKind.StepBound);
                if (!solve.Online && !certified && !(step < maxStableStep))
                {
                    _diagnostics.ReportStepAboveBound(solve.StepSpan, Format(step), Format(maxStableStep));
                }
            }
            else if (mu <= 0)
            {
                var linear = _bound.Utilities.FirstOrDefault(static u => u.Value.Family == UtilityKind.Linear)?.Value.Variable;
                _diagnostics.ReportAutoStep(solve.StepSpan, linear is null ? "the least curvature is 0" : "the utility of '$" + linear + "' is linear, so the least curvature is 0; give a step");
            }
            else
            {
                step = lipschitz == 0 ? 1 : 1 / lipschitz;
            }
        }

        return new SolverSpec(
            solve.Method,
            step,
            solve.Method == SolverMethod.Admm ? solve.Rho : 0,
            solve.Method == SolverMethod.Penalty ? solve.Mu : 0,
            solve.AbsoluteTolerance,
            solve.RelativeTolerance,
            solve.MaxIterations,
            solve.Online,
            solve.Statement,
            solve.FeasibilityTolerance,
            solve.Rule)
        {
            // The ADMM theorem is proved for one rho: under 'certify admm' the runtime keeps it.
            FixedRho = solve.Method == SolverMethod.Admm && _bound.Certificates.Any(static c => c.Value == CertificateKind.Admm),
        };
    }

    // A certificate describes the algorithm the fibre runs; it never chooses it.
    private const string ScaledRuleFailure = "it speaks of the fixed-step update, and this fibre's offline solve uses the curvature-scaled rule; write 'solve dual { rule = fixed; ... }' to run the update it certifies";

    private void CheckCertificates(SolverSpec solver, AnalysisSpec analysis, string? notChordal)
    {
        var method = solver.Method.ToString().ToLowerInvariant();
        foreach (var certificate in _bound.Certificates)
        {
            string? failure = null;
            switch (certificate.Value)
            {
                case CertificateKind.Lyapunov:
                    if (solver.Method != SolverMethod.Dual)
                    {
                        failure = "it bounds the drift of the projected dual update; this fibre is solved by " + method + (solver.Method == SolverMethod.Admm ? " (certify admm)" : string.Empty);
                    }
                    else if (!solver.Online && solver.Rule != SolverRule.Fixed)
                    {
                        failure = ScaledRuleFailure;
                    }
                    else if (double.IsInfinity(analysis.LoadErrorBound) || double.IsNaN(analysis.LoadErrorBound))
                    {
                        failure = "the load error bound G is not finite";
                    }

                    break;
                case CertificateKind.StepBound:
                    if (solver.Method != SolverMethod.Dual)
                    {
                        failure = "it bounds the dual step; this fibre is solved by " + method;
                    }
                    else if (!solver.Online && solver.Rule != SolverRule.Fixed)
                    {
                        failure = ScaledRuleFailure;
                    }
                    else if (_utilitiesFailed)
                    {
                        break;
                    }
                    else if (analysis.MinCurvature <= 0)
                    {
                        failure = "the utilities are not strictly concave (mu = 0), so no step is certified stable";
                    }
                    else if (!(solver.Step < analysis.MaxStableStep))
                    {
                        failure = "the step " + Format(solver.Step) + " is not below 2/L = " + Format(analysis.MaxStableStep) + " (L = ||A||^2/mu = " + Format(analysis.NormASquared) + "/" + Format(analysis.MinCurvature) + ")";
                    }

                    break;
                case CertificateKind.Detection:
                    if (solver.Method != SolverMethod.Dual)
                    {
                        failure = "it bounds when the dual price crosses a threshold; this fibre is solved by " + method;
                    }
                    else if (!_spec.Actuators.Any(static a => a.Kind != ActuatorKind.Affinity))
                    {
                        failure = "there is no threshold to detect; add 'act kill when ^price[t] >= value;' or a throttle";
                    }

                    break;
                case CertificateKind.Admm:
                    if (solver.Method != SolverMethod.Admm)
                    {
                        failure = "it is ADMM's Lyapunov function; this fibre is solved by " + method;
                    }

                    break;
                case CertificateKind.Chordal:
                    if (notChordal is not null)
                    {
                        failure = "the resource dependence graph is not chordal: " + notChordal;
                    }

                    break;
            }

            if (failure is not null)
            {
                var name = certificate.Value switch
                {
                    CertificateKind.StepBound => "step",
                    _ => certificate.Value.ToString().ToLowerInvariant(),
                };
                _diagnostics.ReportCertificateFailed(certificate.Span, name, failure);
            }
        }
    }

    // A kill threshold below the throttle threshold of the same price kills before it throttles.
    // A kill at 0 or below kills every agent at once (prices start at 0); a threshold above an
    // explicit price_max is never reached; refusing every call ("*") breaks the whole program.
    private void CheckActuators()
    {
        foreach (var act in _bound.Actuators.Where(static a => a.Value.Kind == ActuatorKind.Kill && a.Value.Threshold <= 0))
        {
            _diagnostics.ReportKillAtZero(act.Span, act.Value.Statement, Format(act.Value.Threshold));
        }

        if (_bound.Solve?.PriceMax is { } priceMax)
        {
            foreach (var act in _bound.Actuators.Where(a => a.Value.Threshold > priceMax))
            {
                _diagnostics.ReportThresholdAbovePriceMax(act.Span, act.Value.Statement, Format(priceMax), Format(act.Value.Threshold));
            }
        }

        foreach (var instrument in _bound.Instruments.Where(static i => i.Value.Response?.Kind == "refuse" && i.Value.Patterns.Any(static p => p.Trim('*').Length == 0)))
        {
            _diagnostics.ReportRefuseEverything(instrument.Span, instrument.Value.Statement);
        }

        foreach (var kill in _bound.Actuators.Where(static a => a.Value.Kind == ActuatorKind.Kill))
        {
            var throttle = _bound.Actuators.FirstOrDefault(a => a.Value.Kind == ActuatorKind.Throttle && a.Value.Resource == kill.Value.Resource);
            if (throttle is not null && kill.Value.Threshold < throttle.Value.Threshold)
            {
                _diagnostics.ReportKillBelowThrottle(kill.Span, Format(kill.Value.Threshold), kill.Value.Resource, Format(throttle.Value.Threshold));
            }
        }
    }
}
