using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System;
using Sigil.Language.Binding;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Text;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

/// <summary>
/// The compiler's analyses over a lowered fibre: concavity and curvature of each utility,
/// feasibility of each row family, the bound on ||A||^2, the Lipschitz constant and stable step,
/// the load error bound and Lyapunov drift, and the resource dependence graph. Then it resolves
/// <c>step = auto</c>, checks every requested certificate and plans the kernel's fixed-point
/// update. Findings land in <see cref="AnalysisSpec"/>; problems are diagnostics at the statement
/// that caused them (spans come from the bound fibre).
/// </summary>
internal sealed partial class FibreAnalyzer
{
    /// <summary>Most index-member visits all analyses together may make (SIG3007 beyond).</summary>
    public const long VisitBudget = 5_000_000;

    private readonly FibreSpec _spec;
    private readonly BoundFibre _bound;
    private readonly DiagnosticBag _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly ValueEvaluator _evaluator;
    private readonly Dictionary<string, IndexSpec> _sets;
    private readonly Dictionary<string, VariableSpec> _variables;

    // A utility that failed the concavity check has no curvature: checks that need mu stay quiet.
    private bool _utilitiesFailed;

    // Visits left for every enumeration together; a partial analysis would be unsound (it could
    // under-estimate ||A||), so running out is an error, reported once.
    private long _visitsLeft = VisitBudget;
    private bool _tooLarge;

    private FibreAnalyzer(FibreSpec spec, BoundFibre bound, DiagnosticBag diagnostics, CancellationToken cancellationToken)
    {
        _spec = spec;
        _bound = bound;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
        _evaluator = new ValueEvaluator(spec.Tables);
        _sets = spec.Indices.ToDictionary(static i => i.Name, StringComparer.Ordinal);
        _variables = spec.Variables.ToDictionary(static v => v.Name, StringComparer.Ordinal);
    }

    /// <summary>The spec with its analysis, resolved step and fixed-point plan; diagnostics for what fails.</summary>
    public static FibreSpec Analyze(FibreSpec spec, BoundFibre bound, DiagnosticBag diagnostics, CancellationToken cancellationToken) =>
        new FibreAnalyzer(spec, bound, diagnostics, cancellationToken).Run();

    private FibreSpec Run()
    {
        CheckBounds();
        var utilities = AnalyzeUtilities();
        _cancellationToken.ThrowIfCancellationRequested();
        var rows = AnalyzeRows();
        CheckCluster();
        _cancellationToken.ThrowIfCancellationRequested();
        if (_tooLarge)
        {
            return _spec;
        }

        var graph = DependenceGraphBuilder.Build(_spec.Couplings, out var notChordal);

        var mu = utilities.Count == 0 ? 0 : utilities.Min(static u => u.MinCurvature);
        var norm = rows.NormASquared;
        var lipschitz = mu > 0 ? norm / mu : double.PositiveInfinity;
        var maxStableStep = mu <= 0 ? 0 : lipschitz == 0 ? double.PositiveInfinity : 2 / lipschitz;

        var solver = ResolveSolver(mu, lipschitz, maxStableStep);
        var drift = solver.Method == SolverMethod.Dual ? solver.Step * solver.Step * rows.LoadErrorBound * rows.LoadErrorBound : 0;
        var analysis = new AnalysisSpec(
            utilities.ToEquatableArray(),
            rows.Feasibility.ToEquatableArray(),
            mu,
            norm,
            lipschitz,
            maxStableStep,
            rows.LoadErrorBound,
            drift,
            graph);

        CheckCertificates(solver, analysis, notChordal);
        CheckActuators();
        var fixedPoint = PlanFixedPoint(solver);
        return _spec with { Solver = solver, Analysis = analysis, FixedPoint = fixedPoint };
    }

    /// <summary>Visits every member of <paramref name="bindings"/>; false (after SIG3007) when the budget runs out.</summary>
    private bool ForEachMember(IReadOnlyList<IndexBinding> bindings, Dictionary<string, int> members, Action visit, TextSpan span, string what, TermSpec? term = null)
    {
        if (_tooLarge)
        {
            return false;
        }

        // A term whose coefficient reads a two-dimensional table at the innermost sum's index
        // visits that table's nonzeros only.
        (EntryWalk, MatrixSpec)? sparse = term is not null && EntryWalk.Of(term) is { } walk && _spec.Tables.FirstOrDefault(t => t.Name == walk.Table)?.Matrix is { } matrix
            ? (walk, matrix)
            : null;
        if (MemberEnumerator.ForEach(bindings, _sets, members, ref _visitsLeft, visit, sparse))
        {
            return true;
        }

        if (!_tooLarge)
        {
            _tooLarge = true;
            _diagnostics.ReportAnalysisTooLarge(span, what, VisitBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return false;
    }

    // A lower bound above the upper bound, for any member.
    private void CheckBounds()
    {
        foreach (var variable in _spec.Variables)
        {
            var bindings = variable.IndexSets.Select((s, i) => new IndexBinding(variable.IndexVariables[i], s)).ToList();
            var members = new Dictionary<string, int>(StringComparer.Ordinal);
            var reported = false;
            ForEachMember(bindings, members, () =>
            {
                if (reported)
                {
                    return;
                }

                var lower = _evaluator.Evaluate(variable.Lower, members);
                var upper = _evaluator.Evaluate(variable.Upper, members);
                if (lower > upper)
                {
                    reported = true;
                    _diagnostics.ReportBoundsInverted(_bound.VariableSpans[variable.Name], Format(lower), variable.Name, Format(upper), MemberText(bindings, members));
                }
                else if (InfiniteBoundProblem(variable, lower, upper) is { } problem)
                {
                    reported = true;
                    _diagnostics.ReportInfiniteBound(_bound.VariableSpans[variable.Name], problem.Side, variable.Name, problem.Reason);
                }
            }, _bound.VariableSpans[variable.Name], "the bounds of '$" + variable.Name + "'");
        }
    }

    // Where the solvers take an infinite bound: an upper bound of a quadratic utility's variable,
    // whose closed-form step (w - q)/k is finite at every price; and a lower bound of any variable
    // when 'solve admm' runs the QP engine, i.e. every utility of the fibre is linear or quadratic
    // (the engine keeps the box as a constraint of its KKT system, so a free variable is no special
    // case). The other engines step agents to a bound of their box, so they need a finite lower
    // bound, and a log, alpha-fair or linear agent (or a variable with no utility, a zero-weight
    // linear agent) a finite upper one: its step is unbounded at price 0.
    private (string Side, string Reason)? InfiniteBoundProblem(VariableSpec variable, double lower, double upper)
    {
        if (double.IsPositiveInfinity(lower) || double.IsNegativeInfinity(upper))
        {
            return (double.IsPositiveInfinity(lower) ? "lower" : "upper", "no value meets; write a finite bound");
        }

        if (double.IsNegativeInfinity(lower) && !QpEngineRuns())
        {
            return ("lower", "only 'solve admm' on a fibre whose utilities are all linear or quadratic (the QP engine) takes; "
                + "'solve " + _spec.Solver.Method.ToString().ToLowerInvariant() + "' here needs a finite lower bound");
        }

        if (!double.IsPositiveInfinity(upper))
        {
            return null;
        }

        var utility = _spec.Utilities.FirstOrDefault(u => u.Variable == variable.Name);
        if (utility?.Family == UtilityKind.Quadratic)
        {
            return null;
        }

        var family = utility is null ? "a variable without utility (a zero-weight linear agent)" : "a " + utility.Family switch
        {
            UtilityKind.Log => "log",
            UtilityKind.AlphaFair => "alpha-fair",
            _ => "linear",
        } + " utility";
        return ("upper", "'solve " + _spec.Solver.Method.ToString().ToLowerInvariant() + "' cannot take for " + family + ": its step is unbounded at price 0 (only a quadratic utility's variable may be unbounded above)");
    }

    /// <summary>True when the generated solve runs the QP engine: 'solve admm' with only linear and quadratic utilities.</summary>
    private bool QpEngineRuns() =>
        _spec.Solver.Method == SolverMethod.Admm
        && _spec.Utilities.All(static u => u.Family is UtilityKind.Linear or UtilityKind.Quadratic);

    /// <summary>" at edit = 'pfkA'" for the static members of a binding list, or empty.</summary>
    private string MemberText(IEnumerable<IndexBinding> bindings, IReadOnlyDictionary<string, int> members)
    {
        var parts = new List<string>();
        foreach (var binding in bindings)
        {
            var set = _sets[binding.Set];
            if (set.Kind != IndexKind.Dynamic && members.TryGetValue(binding.Variable, out var position) && position >= 0)
            {
                parts.Add(binding.Variable + " = '" + set.Members[position] + "'");
            }
        }

        return parts.Count == 0 ? string.Empty : " at " + string.Join(", ", parts);
    }

    private static string Format(double value) => DiagnosticBag.Format(value);
}
