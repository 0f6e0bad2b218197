using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Analysis;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.Daemon;

/// <summary>
/// The numbers of the daemon's fibre: <see cref="DaemonShapeAnalysis"/> decides beside the model
/// what the daemon runs (per-agent rows online or per period, a placement, a behaviour fibre) and
/// reports what it cannot as SIG3015-SIG3018 in <c>sigil check</c>; this mapping turns that shape
/// into a <see cref="DaemonFibre"/>, resolving each number (a placement's per domain, from its
/// tables). A shape with problems is refused with the same messages. The build runs it once and
/// writes the result as the fibre's daemon descriptor (<see cref="DaemonEmitter"/>); <c>sigil run</c>
/// and the daemon read that file and never compile.
/// </summary>
public static class DaemonFibreMapper
{
    /// <summary>The daemon's fibre for <paramref name="spec"/>, or null with the reasons in <paramref name="problems"/>.</summary>
    public static DaemonFibre? Map(FibreSpec spec, out IReadOnlyList<string> problems)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var errors = new List<string>();
        problems = errors;

        // What the daemon runs, and why not, is decided beside the model (and reported by `sigil
        // check` as SIG3015-SIG3018); here the shape's numbers are resolved.
        var shape = DaemonShapeAnalysis.Of(spec);
        if (shape.Kind == DaemonShapeKind.Offline)
        {
            errors.Add($"fibre '{spec.Name}' is offline (it senses nothing): solve it with 'sigil solve' instead of running a daemon");
            return null;
        }

        if (!shape.Runs)
        {
            errors.AddRange(shape.Problems.Select(p => $"{p.Descriptor.Id}: not available yet: {p.Message}"));
            return null;
        }

        var index = spec.Indices.First(i => i.Name == shape.AgentIndex);
        return shape.Kind switch
        {
            DaemonShapeKind.Placement => MapPlacement(spec, index, DaemonShapeAnalysis.PlacementVariable(spec, index)!, errors),
            DaemonShapeKind.Behaviour => MapBehaviour(spec, index, errors),
            _ => MapRows(spec, index, shape.Kind == DaemonShapeKind.PeriodicRows, errors),
        };
    }

    /// <summary>
    /// Per-agent rows: priced online by the dual update (one sensed variable per row), or solved
    /// each period by penalty or ADMM (a sensed variable and decided ones per row), the shape
    /// <see cref="DaemonShapeAnalysis"/> accepted.
    /// </summary>
    private static DaemonFibre? MapRows(FibreSpec spec, IndexSpec index, bool periodic, List<string> errors)
    {
        var sensor = spec.Sensors[0];
        var rows = spec.Couplings.Select(c => Row(spec, c, sensor.Variable)).ToList();
        var rules = spec.Actuators.Select(static actuator => actuator.Kind == ActuatorKind.Throttle
            ? new ActuatorRule(ActionKind.Throttle, actuator.Resource, actuator.Threshold, actuator.Arguments.FirstOrDefault(a => a.Name == "cpu")?.Value ?? 0.2, actuator.Statement)
            : new ActuatorRule(ActionKind.Kill, actuator.Resource, actuator.Threshold, 0, actuator.Statement)).ToList();
        var variable = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
        var loadMax = spec.FixedPoint is { } fixedPoint
            ? (double)fixedPoint.LoadMaxFixed / (1L << fixedPoint.ScaleBits)
            : variable?.Upper is { IsConstant: true } upper ? upper.Constant : double.PositiveInfinity;
        var priceMax = spec.FixedPoint is { } fp ? (double)fp.PriceMaxFixed / (1L << fp.ScaleBits) : double.PositiveInfinity;
        var solver = spec.Solver;
        var fibre = new DaemonFibre(
            spec.Name,
            index.Name,
            index.Key == KernelKey.Tid ? AgentKeyKind.Tid : AgentKeyKind.Pid,
            index.Capacity,
            rows,
            rules,
            Sensor(sensor),
            solver.Step,
            loadMax,
            priceMax,
            Metrics(spec),
            new SortedDictionary<string, string>(spec.PriceExports.ToDictionary(p => p.Resource, p => p.MapName), StringComparer.Ordinal),
            PriceScaleBits: spec.FixedPoint?.ScaleBits ?? Llvm.LlvmEmitter.DefaultScaleBits)
        {
            Periodic = periodic
                ? new PeriodicSolve(
                    solver.Method == SolverMethod.Penalty ? SolverKind.Penalty : SolverKind.Admm,
                    solver.Method == SolverMethod.Penalty ? solver.Mu : solver.Rho,
                    solver.AbsoluteTolerance,
                    solver.RelativeTolerance,
                    solver.FeasibilityTolerance,
                    solver.MaxIterations,
                    solver.Statement,
                    solver.FixedRho)
                : null,
        };
        errors.AddRange(fibre.Validate());
        return errors.Count == 0 ? fibre : null;
    }

    // A per-agent row: its sensed term (coefficient 0 when only decided variables load it) and,
    // solved per period, its decided terms with their utilities and bounds.
    private static AgentRow Row(FibreSpec spec, CouplingSpec coupling, string sensed)
    {
        var sensedTerm = coupling.Terms.FirstOrDefault(t => t.Variable == sensed);
        var decided = coupling.Terms.Where(t => t.Variable != sensed).Select(t =>
        {
            var variable = spec.Variables.First(v => v.Name == t.Variable);
            var utility = spec.Utilities.First(u => u.Variable == t.Variable);
            return new DecidedTerm(
                t.Variable,
                t.Coefficient.Constant,
                utility.Family,
                utility.Weight.Constant,
                utility.Offset.Constant,
                utility.Family == UtilityKind.Quadratic ? utility.Curvature.Constant : utility.Family == UtilityKind.AlphaFair ? utility.Alpha.Constant : 0,
                variable.Lower.Constant,
                variable.Upper.Constant,
                utility.Statement);
        }).ToList();
        return new AgentRow(coupling.Resource!, coupling.Rhs.Constant, sensed, sensedTerm?.Coefficient.Constant ?? 0, coupling.Statement)
        {
            Decided = decided.Count > 0 ? decided : null,
        };
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
        // The shape (DaemonShapeAnalysis) has one priced row over sensed rates and kills or freezes only.
        var sensed = new HashSet<string>(spec.Sensors.Select(s => s.Variable), StringComparer.Ordinal);
        var row = spec.Couplings.First(c => c.Resource is not null && c.Terms.Any(t => sensed.Contains(t.Variable)));
        var rules = spec.Actuators.Select(static a => new ActuatorRule(a.Kind == ActuatorKind.Kill ? ActionKind.Kill : ActionKind.Freeze, a.Resource, a.Threshold, 0, a.Statement)).ToList();
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
            PriceScaleBits: Llvm.LlvmEmitter.DefaultScaleBits)
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
            m.Aggregate,
            m.Source,
            m.SourceRole,
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

    /// <summary>
    /// A placement: <c>$x[t, d]</c> over the agents and a static index of domains; every row is
    /// either shared per domain (<c>couple @r[d] &gt;= sum(t in thread) a * $x[t, d];</c>) or one per
    /// thread (<c>couple placed: sum(d in domain) b * $x[t, d] == B;</c>); every number is read per
    /// domain from the spec (with the analyses' <see cref="ValueEvaluator"/>).
    /// </summary>
    private static DaemonFibre? MapPlacement(FibreSpec spec, IndexSpec threads, VariableSpec x, List<string> errors)
    {
        var domainIndex = spec.Indices.First(i => i.Name == x.IndexSets[1]);
        var domains = domainIndex.Members.ToList();
        var values = new ValueEvaluator(spec.Tables);
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

                // A number that is not one per domain (it reads a table at the thread) evaluates to NaN.
                result[j] = values.Evaluate(value, at);
                if (double.IsNaN(result[j]))
                {
                    errors.Add($"{what}: not available yet: a placement's numbers are read per domain and may not depend on the thread");
                    return result;
                }
            }

            return result;
        }

        var utility = spec.Utilities.First(u => u.Variable == x.Name);
        var utilityDomain = utility.IndexVariables.Count == 2 ? utility.IndexVariables[1] : null;
        var boundDomain = x.IndexVariables.Count == 2 ? x.IndexVariables[1] : null;
        var placementUtility = new PlacementUtility(
            utility.Family,
            PerDomain(utility.Weight, utilityDomain, $"'{utility.Statement}'"),
            PerDomain(utility.Offset, utilityDomain, $"'{utility.Statement}'"),
            PerDomain(utility.Family == UtilityKind.Quadratic ? utility.Curvature : utility.Alpha, utilityDomain, $"'{utility.Statement}'"),
            utility.Statement);
        var lower = PerDomain(x.Lower, boundDomain, $"the bounds of ${x.Name}");
        var upper = PerDomain(x.Upper, boundDomain, $"the bounds of ${x.Name}");

        var resources = new List<PlacementResource>();
        PlacementAssignment? assignment = null;
        foreach (var coupling in spec.Couplings)
        {
            var term = coupling.Terms[0];
            var kind = DaemonShapeAnalysis.PlacementRowOf(spec, coupling, threads, x);
            if (kind == PlacementRow.PerDomain)
            {
                var domainVariable = coupling.Quantifiers[0].Variable;
                var unit = spec.Resources.FirstOrDefault(r => r.Name == coupling.Resource)?.Unit.ToString() ?? string.Empty;
                resources.Add(new PlacementResource(
                    coupling.Resource!,
                    unit,
                    PerDomain(coupling.Rhs, domainVariable, $"'{coupling.Statement}'"),
                    PerDomain(term.Coefficient, domainVariable, $"'{coupling.Statement}'"),
                    coupling.Statement));
            }
            else if (kind == PlacementRow.PerThread && assignment is null)
            {
                var total = PerDomain(coupling.Rhs, null, $"'{coupling.Statement}'")[0];
                assignment = new PlacementAssignment(
                    coupling.Name,
                    PerDomain(term.Coefficient, term.Sums[0].Variable, $"'{coupling.Statement}'"),
                    total,
                    coupling.Sense == RowSense.Equal,
                    coupling.Statement);
            }
        }

        var sensor = spec.Sensors[0];
        var sensed = spec.Variables.FirstOrDefault(v => v.Name == sensor.Variable);
        // The shape (DaemonShapeAnalysis) acts by affinity only and aggregates the sensed variable.
        var rules = spec.Actuators.Select(static a => new ActuatorRule(ActionKind.Affinity, string.Empty, 0, 0, a.Statement)).ToList();
        var metrics = Metrics(spec);
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
            new PlacementAdmm(spec.Solver.Rho, spec.Solver.AbsoluteTolerance, spec.Solver.RelativeTolerance, spec.Solver.MaxIterations, spec.Solver.Statement, spec.Solver.FixedRho),
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
}
