using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Solvers;
using RowSense = Sigil.Language.Model.RowSense;

namespace Sigil.Cli;

/// <summary>
/// The daemon's view of a compiled fibre: a <see cref="FibreSpec"/> becomes a
/// <see cref="DaemonFibre"/> when it is an online fibre whose rows the daemon can price itself
/// (one row per agent, loaded by one sensed variable, with a constant budget, updated by the
/// online dual rule), or a placement (threads over a static index of domains, shared per-domain
/// rows and one row per thread, solved by ADMM each placement period, acted on by affinity).
/// Anything else is explained: an offline fibre is solved, not run; other shapes say what the
/// daemon would need.
/// </summary>
internal static class DaemonFibreMapper
{
    private const string NeedsSolvers = "the solver engines (Sigil.Runtime.Solvers)";

    public static DaemonFibre? Map(FibreSpec spec, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();
        problems = errors;
        if (spec.Sensors.IsEmpty)
        {
            errors.Add($"fibre '{spec.Name}' is offline (it senses nothing): solve it with 'sigil solve' instead of running a daemon");
            return null;
        }

        var index = spec.Indices.FirstOrDefault(i => i.Kind == IndexKind.Dynamic);
        if (index is null)
        {
            errors.Add($"fibre '{spec.Name}' senses loads but has no dynamic index (index ... by pid | tid) for its agents");
            return null;
        }

        if (PlacementVariable(spec, index) is { } placed)
        {
            return MapPlacement(spec, index, placed, errors);
        }

        if (index.Key == KernelKey.Tree)
        {
            return MapBehaviour(spec, index, errors);
        }

        if (spec.Solver.Method != SolverMethod.Dual || !spec.Solver.Online)
        {
            var how = spec.Solver.Method.ToString().ToLowerInvariant() + (spec.Solver.Online ? string.Empty : " (offline)");
            errors.Add($"running fibre '{spec.Name}': not available yet: needs {NeedsSolvers}: it is solved by {how}; the daemon runs the online dual update "
                + "of per-agent rows and placements of threads over domains ($x[thread, domain]) by ADMM, and the fibre is neither");
            return null;
        }

        var sensed = spec.Sensors.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);
        var rows = new List<AgentRow>();
        foreach (var coupling in spec.Couplings)
        {
            if (TryRow(coupling, index, sensed, out var problem) is { } row)
            {
                rows.Add(row);
            }
            else
            {
                errors.Add(problem!);
            }
        }

        var rules = new List<ActuatorRule>();
        foreach (var actuator in spec.Actuators)
        {
            if (actuator.Kind == ActuatorKind.Freeze)
            {
                errors.Add($"'{actuator.Statement}': not available yet: freeze stops an agent at its damaging event, which behaviour fibres (index ... by tree, files(...) and bytes(...) sensors) sense; fibre '{spec.Name}' is not one");
                continue;
            }

            var kind = actuator.Kind switch
            {
                ActuatorKind.Throttle => ActionKind.Throttle,
                ActuatorKind.Kill => ActionKind.Kill,
                _ => ActionKind.Affinity,
            };
            if (kind == ActionKind.Affinity)
            {
                errors.Add($"'{actuator.Statement}': not available yet: affinity follows a solved placement, and fibre '{spec.Name}' places nothing (no $x[thread, domain] over a dynamic and a static index)");
                continue;
            }

            var cpu = kind == ActionKind.Throttle ? actuator.Arguments.FirstOrDefault(a => a.Name == "cpu")?.Value ?? 0.2 : 0;
            rules.Add(new ActuatorRule(kind, actuator.Resource, actuator.Threshold, cpu, actuator.Statement));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var sensor = spec.Sensors[0];
        var variable = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
        var loadMax = spec.FixedPoint is { } fixedPoint
            ? (double)fixedPoint.LoadMaxFixed / (1L << fixedPoint.ScaleBits)
            : variable?.Upper is { IsConstant: true } upper ? upper.Constant : double.PositiveInfinity;
        var priceMax = spec.FixedPoint is { } fp ? (double)fp.PriceMaxFixed / (1L << fp.ScaleBits) : double.PositiveInfinity;
        var metrics = Metrics(spec);
        var maps = new SortedDictionary<string, string>(spec.PriceExports.ToDictionary(p => p.Resource, p => p.MapName), StringComparer.Ordinal);
        var fibre = new DaemonFibre(
            spec.Name,
            index.Name,
            index.Key == KernelKey.Tid ? AgentKeyKind.Tid : AgentKeyKind.Pid,
            index.Capacity,
            rows,
            rules,
            Sensor(sensor),
            spec.Solver.Step,
            loadMax,
            priceMax,
            metrics,
            maps,
            PriceScaleBits: spec.FixedPoint?.ScaleBits ?? Sigil.Language.Emit.Llvm.LlvmEmitter.DefaultScaleBits);
        errors.AddRange(fibre.Validate());
        return errors.Count == 0 ? fibre : null;
    }

    /// <summary>
    /// A behaviour fibre (<c>index agent by tree</c>, file sensors): the kernel keeps the price of
    /// its one priced row, a weighted sum of sensed rates, and makes every kill itself; the daemon
    /// reads the prices each tick and reports the kernel's decisions. Its program is the one
    /// <c>BpfBehaviourBuilder</c> plans from the same spec, so the row's terms are taken from it as
    /// they stand (constant coefficients, a constant budget).
    /// </summary>
    private static DaemonFibre? MapBehaviour(FibreSpec spec, IndexSpec index, List<string> errors)
    {
        var sensed = spec.Sensors.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);
        var row = spec.Couplings.FirstOrDefault(c => c.Resource is not null && c.Terms.Any(t => sensed.Contains(t.Variable)));
        if (row is null || !row.Rhs.IsConstant || row.Terms.Any(t => !t.Coefficient.IsConstant || !sensed.Contains(t.Variable)))
        {
            errors.Add($"fibre '{spec.Name}': a behaviour fibre's daemon needs one priced row over its sensed rates, with constant weights and budget (couple @r[a] >= $x[a] + w * $y[a];)");
            return null;
        }

        var rules = new List<ActuatorRule>();
        foreach (var actuator in spec.Actuators)
        {
            if (actuator.Kind is not (ActuatorKind.Kill or ActuatorKind.Freeze))
            {
                errors.Add($"'{actuator.Statement}': not available yet: a behaviour fibre's kernel program kills or freezes at the damaging event; it does not {actuator.Kind.ToString().ToLowerInvariant()}");
                continue;
            }

            rules.Add(new ActuatorRule(actuator.Kind == ActuatorKind.Kill ? ActionKind.Kill : ActionKind.Freeze, actuator.Resource, actuator.Threshold, 0, actuator.Statement));
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var first = row.Terms[0];
        var sensor = spec.Sensors.First(s => s.Variable == first.Variable);
        var variable = spec.Variables.First(v => v.Name == first.Variable);
        var agentRow = new AgentRow(row.Resource!, row.Rhs.Constant, first.Variable, first.Coefficient.Constant, row.Statement)
        {
            Terms = row.Terms.Select(t => new RowTerm(t.Variable, t.Coefficient.Constant)).ToList(),
        };
        var fibre = new DaemonFibre(
            spec.Name,
            index.Name,
            AgentKeyKind.Tree,
            index.Capacity,
            [agentRow],
            rules,
            Sensor(sensor),
            spec.Solver.Step,
            variable.Upper is { IsConstant: true } upper ? upper.Constant : double.PositiveInfinity,
            double.PositiveInfinity,
            Metrics(spec),
            new SortedDictionary<string, string>(spec.PriceExports.ToDictionary(p => p.Resource, p => p.MapName), StringComparer.Ordinal),
            PriceScaleBits: Sigil.Language.Emit.Llvm.LlvmEmitter.DefaultScaleBits)
        {
            Classes = spec.Classes.Select(static c => new ProcessClass(c.Name, c.Weight, List(c.Members), c.Statement)).ToList(),
            Allowed = List(spec.Allowed),
        };
        errors.AddRange(fibre.Validate());
        return errors.Count == 0 ? fibre : null;
    }

    private static ProcessList List(ProcessSetSpec set) => new(set.Executables.ToList(), set.Cgroups.ToList());

    private static List<FibreMetric> Metrics(FibreSpec spec) => spec.Metrics.Select(m => new FibreMetric(
            m.Name,
            m.Aggregate switch
            {
                MetricAggregate.Mean => MetricAggregateKind.Mean,
                MetricAggregate.Sum => MetricAggregateKind.Sum,
                MetricAggregate.Max => MetricAggregateKind.Max,
                MetricAggregate.Min => MetricAggregateKind.Min,
                _ => MetricAggregateKind.Count,
            },
            m.Source,
            m.SourceRole switch
            {
                SigilRole.Variable => MetricSourceKind.Variable,
                SigilRole.Resource => MetricSourceKind.Resource,
                _ => MetricSourceKind.Price,
            },
            m.Unit.ToString(),
            m.Target,
            m.Statement)).ToList();

    private static SensorDescription Sensor(SensorSpec sensor) => new(
        sensor.Variable,
        sensor.Kind.ToString().ToLowerInvariant(),
        sensor.Tracepoints.Select(t => t.Category + ":" + t.Event).ToList(),
        sensor.Keys.ToList(),
        sensor.NanosecondsPerUnit,
        sensor.Statement);

    /// <summary>The variable a placement places: over the agents' dynamic index and one static index, with a utility.</summary>
    private static VariableSpec? PlacementVariable(FibreSpec spec, IndexSpec agents) => spec.Variables.FirstOrDefault(v =>
        v.IndexSets.Count == 2 && v.IndexSets[0] == agents.Name
        && spec.Indices.FirstOrDefault(i => i.Name == v.IndexSets[1]) is { Kind: not IndexKind.Dynamic }
        && spec.Utilities.Any(u => u.Variable == v.Name));

    /// <summary>
    /// A placement: <c>$x[t, d]</c> over the agents and a static index of domains; every row is
    /// either shared per domain (<c>couple @r[d] &gt;= sum(t in thread) a * $x[t, d];</c>) or one per
    /// thread (<c>couple placed: sum(d in domain) b * $x[t, d] == B;</c>); every number is read per
    /// domain from the spec (with <see cref="SpecValues"/>, as <c>sigil solve</c> reads it).
    /// </summary>
    private static DaemonFibre? MapPlacement(FibreSpec spec, IndexSpec threads, VariableSpec x, List<string> errors)
    {
        var domainIndex = spec.Indices.First(i => i.Name == x.IndexSets[1]);
        var domains = domainIndex.Members.ToList();
        var placing = $"placing ${x.Name}[{threads.Name}, {domainIndex.Name}]";
        if (threads.Key != KernelKey.Tid)
        {
            errors.Add($"fibre '{spec.Name}': not available yet: {placing}: a placement pins threads, so index '{threads.Name}' must be keyed by tid (it is keyed by {threads.Key.ToString().ToLowerInvariant()})");
        }

        if (spec.Solver.Method != SolverMethod.Admm)
        {
            errors.Add($"fibre '{spec.Name}': not available yet: needs {NeedsSolvers}: the daemon solves placements by ADMM ('solve admm {{ ... }}'); '{spec.Solver.Statement}' asks for {spec.Solver.Method.ToString().ToLowerInvariant()}");
        }

        var values = new SpecValues(spec.Tables);
        var d = domains.Count;
        double[] PerDomain(ValueSpec value, string? domainVariable, string what)
        {
            var result = new double[d];
            for (var j = 0; j < d; j++)
            {
                var at = new Dictionary<string, int>(StringComparer.Ordinal);
                if (domainVariable is not null)
                {
                    at[domainVariable] = j;
                }

                try
                {
                    result[j] = values.Evaluate(value, at);
                }
                catch (CliException e)
                {
                    errors.Add($"{what}: not available yet: a placement's numbers are read per domain and may not depend on the thread ({e.Message})");
                    return result;
                }
            }

            return result;
        }

        var utility = spec.Utilities.First(u => u.Variable == x.Name);
        var utilityDomain = utility.IndexVariables.Count == 2 ? utility.IndexVariables[1] : null;
        var boundDomain = x.IndexVariables.Count == 2 ? x.IndexVariables[1] : null;
        var family = utility.Family switch
        {
            UtilityFamily.Log => UtilityKind.Log,
            UtilityFamily.AlphaFair => UtilityKind.AlphaFair,
            UtilityFamily.Quadratic => UtilityKind.Quadratic,
            _ => UtilityKind.Linear,
        };
        var placementUtility = new PlacementUtility(
            family,
            PerDomain(utility.Weight, utilityDomain, $"'{utility.Statement}'"),
            PerDomain(utility.Offset, utilityDomain, $"'{utility.Statement}'"),
            PerDomain(utility.Family == UtilityFamily.Quadratic ? utility.Curvature : utility.Alpha, utilityDomain, $"'{utility.Statement}'"),
            utility.Statement);
        var lower = PerDomain(x.Lower, boundDomain, $"the bounds of ${x.Name}");
        var upper = PerDomain(x.Upper, boundDomain, $"the bounds of ${x.Name}");

        var resources = new List<PlacementResource>();
        PlacementAssignment? assignment = null;
        foreach (var coupling in spec.Couplings)
        {
            var term = coupling.Terms.Count == 1 ? coupling.Terms[0] : null;
            var onX = term is not null && term.Variable == x.Name && term.Sums.Count == 1 && term.Subscript.Count == 2
                && coupling.Quantifiers.Count == 1;
            var perDomain = onX && coupling.Resource is not null && coupling.Sense == Language.Model.RowSense.LessOrEqual
                && coupling.Quantifiers[0].Set == domainIndex.Name && term!.Sums[0].Set == threads.Name
                && term.Subscript[0] == term.Sums[0].Variable && term.Subscript[1] == coupling.Quantifiers[0].Variable;
            var perThread = onX && coupling.Quantifiers[0].Set == threads.Name && term!.Sums[0].Set == domainIndex.Name
                && term.Subscript[0] == coupling.Quantifiers[0].Variable && term.Subscript[1] == term.Sums[0].Variable;
            if (perDomain)
            {
                var domainVariable = coupling.Quantifiers[0].Variable;
                var unit = spec.Resources.FirstOrDefault(r => r.Name == coupling.Resource)?.Unit.ToString() ?? string.Empty;
                resources.Add(new PlacementResource(
                    coupling.Resource!,
                    unit,
                    PerDomain(coupling.Rhs, domainVariable, $"'{coupling.Statement}'"),
                    PerDomain(term!.Coefficient, domainVariable, $"'{coupling.Statement}'"),
                    coupling.Statement));
            }
            else if (perThread && assignment is null)
            {
                var total = PerDomain(coupling.Rhs, null, $"'{coupling.Statement}'")[0];
                assignment = new PlacementAssignment(
                    coupling.Name,
                    PerDomain(term!.Coefficient, term.Sums[0].Variable, $"'{coupling.Statement}'"),
                    total,
                    coupling.Sense == Language.Model.RowSense.Equal,
                    coupling.Statement);
            }
            else
            {
                errors.Add($"'{coupling.Statement}': not available yet: {placing}, the daemon's rows are shared per domain "
                    + $"(couple @r[d] >= sum(t in {threads.Name}) a * ${x.Name}[t, d];) or one per thread (couple placed: sum(d in {domainIndex.Name}) ${x.Name}[t, d] == 1;, once)");
            }
        }

        if (assignment is null)
        {
            errors.Add($"fibre '{spec.Name}': {placing} needs one row per thread over the domains (couple placed: sum(d in {domainIndex.Name}) ${x.Name}[t, d] == 1;)");
        }

        var sensor = spec.Sensors[0];
        var sensed = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
        if (spec.Sensors.Count != 1 || sensed is null || sensed.IndexSets.Count != 1 || sensed.IndexSets[0] != threads.Name)
        {
            errors.Add($"fibre '{spec.Name}': not available yet: {placing}, the daemon ranks threads by one sensed variable over '{threads.Name}' (sense ${sensor.Variable}[t] <- oncpu(...) key (tid);)");
        }

        var rules = new List<ActuatorRule>();
        foreach (var actuator in spec.Actuators)
        {
            if (actuator.Kind == ActuatorKind.Affinity)
            {
                rules.Add(new ActuatorRule(ActionKind.Affinity, string.Empty, 0, 0, actuator.Statement));
            }
            else
            {
                errors.Add($"'{actuator.Statement}': not available yet: a placement's prices are per domain, so there is no per-thread price to compare with a threshold (placements act by affinity)");
            }
        }

        var metrics = Metrics(spec);
        foreach (var metric in metrics.Where(m => m.SourceKind == MetricSourceKind.Variable && m.Source != sensor.Variable))
        {
            errors.Add($"'{metric.Statement}': not available yet: a placement daemon aggregates its sensed variable ${sensor.Variable} and the prices and loads of its shared resources, not ${metric.Source}");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var placement = new PlacementDescription(
            x.Name,
            domainIndex.Name,
            domains,
            lower,
            upper,
            resources,
            assignment!,
            placementUtility,
            new PlacementAdmm(spec.Solver.Rho, spec.Solver.AbsoluteTolerance, spec.Solver.RelativeTolerance, spec.Solver.MaxIterations, spec.Solver.Statement),
            spec.FixedPoint?.ScaleBits ?? BpfEmitter.DaemonPriceScaleBits);
        var fibre = new DaemonFibre(
            spec.Name,
            threads.Name,
            AgentKeyKind.Tid,
            threads.Capacity,
            [],
            rules,
            Sensor(sensor),
            0,
            sensed!.Upper is { IsConstant: true } bound ? bound.Constant : double.PositiveInfinity,
            double.PositiveInfinity,
            metrics,
            new SortedDictionary<string, string>(spec.PriceExports.ToDictionary(p => p.Resource, p => p.MapName), StringComparer.Ordinal),
            placement);
        errors.AddRange(fibre.Validate());
        return errors.Count == 0 ? fibre : null;
    }

    private static AgentRow? TryRow(CouplingSpec coupling, IndexSpec index, HashSet<string> sensed, out string? problem)
    {
        problem = null;
        var term = coupling.Terms.Count == 1 ? coupling.Terms[0] : null;
        var perAgent = coupling.Resource is not null && coupling.Sense == RowSense.LessOrEqual
            && coupling.Quantifiers.Count == 1 && coupling.Quantifiers[0].Set == index.Name
            && term is not null && term.Sums.IsEmpty && term.Coefficient.IsConstant && sensed.Contains(term.Variable)
            && term.Subscript.Count == 1 && term.Subscript[0] == coupling.Quantifiers[0].Variable;
        if (!perAgent)
        {
            problem = $"'{coupling.Statement}': not available yet: needs {NeedsSolvers}: the daemon prices only per-agent rows of one sensed variable";
            return null;
        }

        if (!coupling.Rhs.IsConstant)
        {
            problem = $"'{coupling.Statement}': the daemon needs a constant per-agent budget";
            return null;
        }

        return new AgentRow(coupling.Resource!, coupling.Rhs.Constant, term!.Variable, term.Coefficient.Constant, coupling.Statement);
    }
}
