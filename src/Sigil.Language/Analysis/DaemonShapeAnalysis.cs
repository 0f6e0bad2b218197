using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Emit;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

/// <summary>
/// Decides, from the lowered fibre alone, what the daemon runs and, where it cannot, why, at the
/// statement that stands in the way. The compiler reports the problems as warnings
/// (<see cref="TargetLimitAnalyzer"/>): a fibre the daemon cannot run is still solved, emitted,
/// proved and instrumented, so it still builds. <c>sigil run</c> reads the same shape and refuses
/// what it reports, so a fibre <c>sigil check</c> passes without a SIG3015-SIG3018 warning runs.
/// </summary>
/// <remarks>
/// The shapes, in the order they are recognised:
/// <code>
///   no sensor                                  Offline       (sigil solve)
///   $x[thread, domain] with a utility          Placement     (ADMM per placement period, affinity)
///   index ... by tree                          Behaviour     (the kernel prices and stops)
///   solve dual { online; }                     OnlineRows    (@r[t] >= a * $sensed[t], per sample)
///   solve penalty | admm                       PeriodicRows  (@r[t] >= a * $sensed[t] + b * $decided[t] ..., per period)
/// </code>
/// Numbers read from tables are checked where they are resolved (the CLI's mapping), since a
/// placement's tables are data; everything about the shape is checked here.
/// </remarks>
public static class DaemonShapeAnalysis
{
    /// <summary>The daemon's reading of <paramref name="spec"/>.</summary>
    public static DaemonShape Of(FibreSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var problems = new TargetProblems();
        if (spec.Sensors.IsEmpty)
        {
            return new DaemonShape(DaemonShapeKind.Offline, null, EquatableArray<TargetProblem>.Empty);
        }

        var index = spec.Indices.FirstOrDefault(static i => i.Kind == IndexKind.Dynamic);
        if (index is null)
        {
            problems.Add(new SpecSite(SpecSiteKind.Sensor, 0), DiagnosticDescriptors.DaemonShape, spec.Name, "it senses loads but has no dynamic index (index ... by pid | tid) for its agents");
            return Shape(DaemonShapeKind.None, null, problems);
        }

        if (PlacementVariable(spec, index) is not null)
        {
            CheckPlacement(spec, index, problems);
            return Shape(DaemonShapeKind.Placement, index.Name, problems);
        }

        if (index.Key == KernelKey.Tree)
        {
            CheckBehaviour(spec, problems);
            return Shape(DaemonShapeKind.Behaviour, index.Name, problems);
        }

        var solver = spec.Solver;
        if (solver.Method == SolverMethod.Dual && !solver.Online)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.DaemonMethod, solver.Statement,
                "the daemon prices per-agent rows online by the dual update ('solve dual { step = ...; online; }') or per period by 'solve penalty' or 'solve admm'; a dual solve per period is not available yet");
            return Shape(DaemonShapeKind.None, index.Name, problems);
        }

        var periodic = solver.Method != SolverMethod.Dual;
        var sensed = spec.Sensors[0].Variable;
        for (var i = 1; i < spec.Sensors.Count; i++)
        {
            problems.Add(new SpecSite(SpecSiteKind.Sensor, i), DiagnosticDescriptors.DaemonShape, spec.Name,
                $"the daemon reads one sensor per fibre (${sensed}); '{spec.Sensors[i].Statement}' is a second");
        }

        for (var r = 0; r < spec.Couplings.Count; r++)
        {
            var why = periodic ? PeriodicRowProblem(spec, index, spec.Couplings[r], sensed) : OnlineRowProblem(spec.Couplings[r], index, sensed);
            if (why is not null)
            {
                problems.Add(new SpecSite(SpecSiteKind.Row, r), DiagnosticDescriptors.DaemonRow, spec.Couplings[r].Statement, why);
            }
        }

        for (var a = 0; a < spec.Actuators.Count; a++)
        {
            var actuator = spec.Actuators[a];
            var why = actuator.Kind switch
            {
                ActuatorKind.Freeze => $"freeze stops an agent at its damaging event, which behaviour fibres (index ... by tree, files(...) and bytes(...) sensors) sense; fibre '{spec.Name}' is not one",
                ActuatorKind.Affinity => $"affinity follows a solved placement, and fibre '{spec.Name}' places nothing (no $x[thread, domain] over a dynamic and a static index)",
                _ => null,
            };
            if (why is not null)
            {
                problems.Add(new SpecSite(SpecSiteKind.Actuator, a), DiagnosticDescriptors.DaemonAction, actuator.Statement, why);
            }
        }

        for (var e = 0; periodic && e < spec.PriceExports.Count; e++)
        {
            problems.Add(new SpecSite(SpecSiteKind.PriceExport, e), DiagnosticDescriptors.DaemonShape, spec.Name,
                $"'^{spec.PriceExports[e].Resource} -> map {spec.PriceExports[e].MapName};': the prices of a periodic solve are the daemon's, and the kernel map is not written with them");
        }

        CheckVariableMetrics(spec, sensed, problems);
        return Shape(periodic ? DaemonShapeKind.PeriodicRows : DaemonShapeKind.OnlineRows, index.Name, problems);
    }

    /// <summary>The variable a placement places: over the agents' dynamic index and one static index, with a utility.</summary>
    public static VariableSpec? PlacementVariable(FibreSpec spec, IndexSpec agents)
    {
        if (spec is null || agents is null)
        {
            throw new ArgumentNullException(spec is null ? nameof(spec) : nameof(agents));
        }

        return spec.Variables.FirstOrDefault(v =>
            v.IndexSets.Count == 2 && v.IndexSets[0] == agents.Name
            && spec.Indices.FirstOrDefault(i => i.Name == v.IndexSets[1]) is { Kind: not IndexKind.Dynamic }
            && spec.Utilities.Any(u => u.Variable == v.Name));
    }

    /// <summary>
    /// The part <paramref name="coupling"/> plays in a placement of <paramref name="x"/> over
    /// <paramref name="threads"/>: a row shared per domain (<c>couple @r[d] &gt;= sum(t in thread) a * $x[t, d];</c>),
    /// a row per thread (<c>couple placed: sum(d in domain) b * $x[t, d] == B;</c>), or neither.
    /// </summary>
    public static PlacementRow PlacementRowOf(FibreSpec spec, CouplingSpec coupling, IndexSpec threads, VariableSpec x)
    {
        if (spec is null || coupling is null || threads is null || x is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var domains = x.IndexSets[1];
        var term = coupling.Terms.Count == 1 ? coupling.Terms[0] : null;
        if (term is null || term.Variable != x.Name || term.Sums.Count != 1 || term.Subscript.Count != 2 || coupling.Quantifiers.Count != 1)
        {
            return PlacementRow.Other;
        }

        var quantifier = coupling.Quantifiers[0];
        var sum = term.Sums[0];
        if (coupling.Resource is not null && coupling.Sense == RowSense.LessOrEqual && quantifier.Set == domains && sum.Set == threads.Name
            && term.Subscript[0] == sum.Variable && term.Subscript[1] == quantifier.Variable)
        {
            return PlacementRow.PerDomain;
        }

        return quantifier.Set == threads.Name && sum.Set == domains && term.Subscript[0] == quantifier.Variable && term.Subscript[1] == sum.Variable
            ? PlacementRow.PerThread
            : PlacementRow.Other;
    }

    /// <summary>True when <paramref name="term"/> is <c>a * $v[t]</c> of one agent of the row's quantifier, with a constant a.</summary>
    private static bool IsAgentTerm(TermSpec term, CouplingSpec coupling) =>
        term.Sums.IsEmpty && term.Coefficient.IsConstant && term.Subscript.Count == 1 && term.Subscript[0] == coupling.Quantifiers[0].Variable;

    private static bool IsPerAgentRow(CouplingSpec coupling, IndexSpec index) =>
        coupling.Resource is not null && coupling.Sense == RowSense.LessOrEqual && coupling.Quantifiers.Count == 1 && coupling.Quantifiers[0].Set == index.Name;

    private static string? OnlineRowProblem(CouplingSpec coupling, IndexSpec index, string sensed)
    {
        if (!IsPerAgentRow(coupling, index) || coupling.Terms.Count != 1 || !IsAgentTerm(coupling.Terms[0], coupling) || coupling.Terms[0].Variable != sensed)
        {
            return $"the online dual update prices per-agent rows of the sensed variable alone ('couple @r[t] >= a * ${sensed}[t];'); a row with decided variables is solved per period by 'solve penalty' or 'solve admm'";
        }

        return coupling.Rhs.IsConstant ? null : "the daemon needs a constant per-agent budget";
    }

    private static string? PeriodicRowProblem(FibreSpec spec, IndexSpec index, CouplingSpec coupling, string sensed)
    {
        if (!IsPerAgentRow(coupling, index) || coupling.Terms.Any(t => !IsAgentTerm(t, coupling)))
        {
            return $"a periodic solve prices per-agent rows, each term one agent's variable with a constant coefficient ('couple @r[t] >= a * ${sensed}[t] + b * $y[t];')";
        }

        if (!coupling.Rhs.IsConstant)
        {
            return "the daemon needs a constant per-agent budget";
        }

        var decided = coupling.Terms.Where(t => t.Variable != sensed).ToList();
        if (decided.Count == 0)
        {
            return $"a periodic solve needs a decided variable in every row (a variable over '{index.Name}' with a utility, beside ${sensed}); a row of the sensed variable alone is priced online ('solve dual {{ online; }}')";
        }

        foreach (var term in decided)
        {
            var variable = spec.Variables.FirstOrDefault(v => v.Name == term.Variable);
            var utility = spec.Utilities.FirstOrDefault(u => u.Variable == term.Variable);
            if (spec.Sensors.Any(s => s.Variable == term.Variable))
            {
                return $"${term.Variable} is sensed by a second sensor; the daemon reads one sensor per fibre";
            }

            if (variable is null || utility is null || variable.IndexSets.Count != 1 || variable.IndexSets[0] != index.Name)
            {
                return $"${term.Variable} is decided by the solve, so it needs a utility and one index, '{index.Name}'";
            }

            if (!variable.Lower.IsConstant || !variable.Upper.IsConstant || !utility.Weight.IsConstant || !utility.Offset.IsConstant || !utility.Alpha.IsConstant || !utility.Curvature.IsConstant)
            {
                return $"the bounds of ${term.Variable} and its utility's numbers must be constants: every agent gets the same (tables are read over static indices)";
            }
        }

        return null;
    }

    private static void CheckVariableMetrics(FibreSpec spec, string sensed, TargetProblems problems)
    {
        for (var m = 0; m < spec.Metrics.Count; m++)
        {
            var metric = spec.Metrics[m];
            if (metric.SourceRole == MetricSourceKind.Variable && metric.Source != sensed)
            {
                problems.Add(new SpecSite(SpecSiteKind.Metric, m), DiagnosticDescriptors.DaemonShape, spec.Name,
                    $"'{metric.Statement}': the daemon aggregates its sensed variable ${sensed} and the prices and loads of its rows, not ${metric.Source}");
            }
        }
    }

    // A placement: the mapper resolves its numbers per domain; the statements' shapes are checked here.
    private static void CheckPlacement(FibreSpec spec, IndexSpec threads, TargetProblems problems)
    {
        var x = PlacementVariable(spec, threads)!;
        var domains = spec.Indices.First(i => i.Name == x.IndexSets[1]);
        var placing = $"placing ${x.Name}[{threads.Name}, {domains.Name}]";
        if (threads.Key != KernelKey.Tid)
        {
            problems.Add(new SpecSite(SpecSiteKind.Index, Ordinal(spec.Indices, threads)), DiagnosticDescriptors.DaemonShape, spec.Name,
                $"{placing}: a placement pins threads, so index '{threads.Name}' must be keyed by tid (it is keyed by {threads.Key.ToString().ToLowerInvariant()})");
        }

        if (spec.Solver.Method != SolverMethod.Admm)
        {
            problems.Add(SpecSite.Solve, DiagnosticDescriptors.DaemonMethod, spec.Solver.Statement,
                $"the daemon solves placements by ADMM ('solve admm {{ ... }}'), not by {spec.Solver.Method.ToString().ToLowerInvariant()}");
        }

        var assignments = 0;
        for (var r = 0; r < spec.Couplings.Count; r++)
        {
            var coupling = spec.Couplings[r];
            var kind = PlacementRowOf(spec, coupling, threads, x);
            if (kind == PlacementRow.PerThread && assignments == 0)
            {
                assignments++;
            }
            else if (kind != PlacementRow.PerDomain)
            {
                problems.Add(new SpecSite(SpecSiteKind.Row, r), DiagnosticDescriptors.DaemonRow, coupling.Statement,
                    $"{placing}, the daemon's rows are shared per domain (couple @r[d] >= sum(t in {threads.Name}) a * ${x.Name}[t, d];) or one per thread (couple placed: sum(d in {domains.Name}) ${x.Name}[t, d] == 1;, once)");
            }
        }

        if (assignments == 0)
        {
            problems.Add(SpecSite.Fibre, DiagnosticDescriptors.DaemonShape, spec.Name,
                $"{placing} needs one row per thread over the domains (couple placed: sum(d in {domains.Name}) ${x.Name}[t, d] == 1;)");
        }

        var sensor = spec.Sensors[0];
        var sensed = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
        if (spec.Sensors.Count != 1 || sensed is null || sensed.IndexSets.Count != 1 || sensed.IndexSets[0] != threads.Name)
        {
            problems.Add(new SpecSite(SpecSiteKind.Sensor, 0), DiagnosticDescriptors.DaemonShape, spec.Name,
                $"{placing}, the daemon ranks threads by one sensed variable over '{threads.Name}' (sense ${sensor.Variable}[t] <- oncpu(...) key (tid);)");
        }

        for (var a = 0; a < spec.Actuators.Count; a++)
        {
            if (spec.Actuators[a].Kind != ActuatorKind.Affinity)
            {
                problems.Add(new SpecSite(SpecSiteKind.Actuator, a), DiagnosticDescriptors.DaemonAction, spec.Actuators[a].Statement,
                    "a placement's prices are per domain, so there is no per-thread price to compare with a threshold (placements act by affinity)");
            }
        }

        CheckVariableMetrics(spec, sensor.Variable, problems);
    }

    // A behaviour fibre: its program (BpfBehaviourBuilder) prices one row of sensed rates.
    private static void CheckBehaviour(FibreSpec spec, TargetProblems problems)
    {
        var sensed = new HashSet<string>(spec.Sensors.Select(static s => s.Variable), StringComparer.Ordinal);
        var row = spec.Couplings.FirstOrDefault(c => c.Resource is not null && c.Terms.Any(t => sensed.Contains(t.Variable)));
        if (row is null || !row.Rhs.IsConstant || row.Terms.Any(t => !t.Coefficient.IsConstant || !sensed.Contains(t.Variable)))
        {
            problems.Add(row is null ? SpecSite.Fibre : new SpecSite(SpecSiteKind.Row, Ordinal(spec.Couplings, row)), DiagnosticDescriptors.DaemonShape, spec.Name,
                "a behaviour fibre's daemon needs one priced row over its sensed rates, with constant weights and budget (couple @r[a] >= $x[a] + w * $y[a];)");
        }

        for (var a = 0; a < spec.Actuators.Count; a++)
        {
            var actuator = spec.Actuators[a];
            if (actuator.Kind is not (ActuatorKind.Kill or ActuatorKind.Freeze))
            {
                problems.Add(new SpecSite(SpecSiteKind.Actuator, a), DiagnosticDescriptors.DaemonAction, actuator.Statement,
                    $"a behaviour fibre's kernel program kills or freezes at the damaging event; it does not {actuator.Kind.ToString().ToLowerInvariant()}");
            }
        }
    }

    private static int Ordinal<T>(EquatableArray<T> items, T item)
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (ReferenceEquals(items[i], item))
            {
                return i;
            }
        }

        return 0;
    }

    private static DaemonShape Shape(DaemonShapeKind kind, string? index, TargetProblems problems) =>
        new(kind, index, problems.Items.ToEquatableArray());
}
