using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;

namespace Sigil.Cli;

/// <summary>
/// The daemon's view of a compiled fibre: a <see cref="FibreSpec"/> becomes a
/// <see cref="DaemonFibre"/> when it is an online fibre whose rows the daemon can price itself
/// (one row per agent, loaded by one sensed variable, with a constant budget, updated by the
/// online dual rule). Anything else is explained: an offline fibre is solved, not run; a fibre
/// whose update or actuator needs a solved placement waits for the solver engines.
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

        if (spec.Solver.Method != SolverMethod.Dual || !spec.Solver.Online)
        {
            var how = spec.Solver.Method.ToString().ToLowerInvariant() + (spec.Solver.Online ? string.Empty : " (offline)");
            errors.Add($"running fibre '{spec.Name}': not available yet: needs {NeedsSolvers}: it is solved by {how}; the daemon itself runs only the online dual update");
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
            var kind = actuator.Kind switch
            {
                ActuatorKind.Throttle => ActionKind.Throttle,
                ActuatorKind.Kill => ActionKind.Kill,
                _ => ActionKind.Affinity,
            };
            if (kind == ActionKind.Affinity)
            {
                errors.Add($"'{actuator.Statement}': not available yet: needs {NeedsSolvers}: affinity follows a solved placement");
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
        var metrics = spec.Metrics.Select(m => new FibreMetric(
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
        var maps = new SortedDictionary<string, string>(spec.PriceExports.ToDictionary(p => p.Resource, p => p.MapName), StringComparer.Ordinal);
        var fibre = new DaemonFibre(
            spec.Name,
            index.Name,
            index.Key == KernelKey.Tid ? AgentKeyKind.Tid : AgentKeyKind.Pid,
            index.Capacity,
            rows,
            rules,
            new SensorDescription(
                sensor.Variable,
                sensor.Kind.ToString().ToLowerInvariant(),
                sensor.Tracepoints.Select(t => t.Category + ":" + t.Event).ToList(),
                sensor.Keys.ToList(),
                sensor.NanosecondsPerUnit,
                sensor.Statement),
            spec.Solver.Step,
            loadMax,
            priceMax,
            metrics,
            maps);
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
