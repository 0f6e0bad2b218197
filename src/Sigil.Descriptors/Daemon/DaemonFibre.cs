using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting;

/// <summary>The kernel id that keys the daemon's agents.</summary>
public enum AgentKeyKind
{
    /// <summary>A process (thread-group id).</summary>
    Pid,

    /// <summary>A thread.</summary>
    Tid,

    /// <summary>
    /// A process tree, keyed by its root's tgid: a process forked after load joins its parent's
    /// agent in the kernel, so the kernel keeps the prices and makes the decisions.
    /// </summary>
    Tree,
}

/// <summary>How a fibre metric aggregates over agents.</summary>
public enum MetricAggregateKind
{
    /// <summary>Arithmetic mean (0 with no agent).</summary>
    Mean,

    /// <summary>Sum.</summary>
    Sum,

    /// <summary>Maximum (0 with no agent).</summary>
    Max,

    /// <summary>Minimum (0 with no agent).</summary>
    Min,

    /// <summary>Number of agents.</summary>
    Count,
}

/// <summary>What a fibre metric aggregates.</summary>
public enum MetricSourceKind
{
    /// <summary>A sensed variable (<c>$hold</c>): each active agent's latest load sample.</summary>
    Variable,

    /// <summary>A resource (<c>@dwell</c>): each active agent's row load.</summary>
    Resource,

    /// <summary>A price (<c>^dwell</c>): each agent's price.</summary>
    Price,
}

/// <summary>
/// One budgeted row per agent: <c>coefficient * $variable[t] &lt;= budget</c> for every agent t,
/// with a price per agent, updated online as <c>price &lt;- [price + step (load - budget)]+</c>.
/// </summary>
/// <param name="Resource">The resource (and price) name.</param>
/// <param name="Budget">The constant budget c.</param>
/// <param name="Variable">The sensed variable family that loads the row.</param>
/// <param name="Coefficient">Its constant coefficient.</param>
/// <param name="Statement">The coupling statement, for logs.</param>
public sealed record AgentRow(string Resource, double Budget, string Variable, double Coefficient, string Statement)
{
    /// <summary>
    /// Every sensed variable of a row the kernel prices from several rates (a behaviour fibre:
    /// <c>$destroyed[a] + per_mib * $written[a]</c>), in fibre order; the first is
    /// <see cref="Variable"/>. Null for a row of one variable.
    /// </summary>
    public IReadOnlyList<RowTerm>? Terms { get; init; }

    /// <summary>
    /// The row's decided terms (<c>b * $grant[t]</c>, a variable with a utility the daemon solves
    /// for), for a fibre solved per period (<see cref="DaemonFibre.Periodic"/>); null for a row
    /// that only sensed variables load.
    /// </summary>
    public IReadOnlyList<DecidedTerm>? Decided { get; init; }
}

/// <summary>
/// A decided term of a per-agent row, <c>coefficient * $variable[t]</c>, with the variable's
/// utility and bounds: one column per agent of the instance the daemon solves each period.
/// </summary>
/// <param name="Variable">The decided variable family.</param>
/// <param name="Coefficient">Its constant coefficient in the row.</param>
/// <param name="Utility">Its utility's family.</param>
/// <param name="Weight">The utility's weight.</param>
/// <param name="Offset">The utility's offset (log, alpha-fair).</param>
/// <param name="Shape">Alpha (alpha-fair) or the curvature (quadratic); else 0.</param>
/// <param name="Lower">The variable's lower bound.</param>
/// <param name="Upper">The variable's upper bound.</param>
/// <param name="Statement">The utility statement, for logs.</param>
public sealed record DecidedTerm(string Variable, double Coefficient, Solvers.UtilityKind Utility, double Weight, double Offset, double Shape, double Lower, double Upper, string Statement);

/// <summary>
/// How a fibre of per-agent rows with decided terms is solved each period: the fibre's method
/// and settings, with every agent's sensed load as data (its budget less the sensed load).
/// </summary>
/// <param name="Method">Penalty or ADMM.</param>
/// <param name="Parameter">mu (penalty) or rho (ADMM).</param>
/// <param name="AbsoluteTolerance">The absolute tolerance.</param>
/// <param name="RelativeTolerance">The relative tolerance.</param>
/// <param name="FeasibilityTolerance">The feasibility tolerance.</param>
/// <param name="MaxIterations">The iteration cap of one solve.</param>
/// <param name="Statement">The solve statement.</param>
/// <param name="FixedRho">ADMM keeps rho for the whole solve (<c>certify admm</c>, the model's <c>SolverSpec.FixedRho</c>).</param>
public sealed record PeriodicSolve(Solvers.SolverKind Method, double Parameter, double AbsoluteTolerance, double RelativeTolerance, double FeasibilityTolerance, int MaxIterations, string Statement, bool FixedRho = false);

/// <summary>One weighted term of a row: <c>coefficient * $variable[a]</c>.</summary>
/// <param name="Variable">The sensed variable family.</param>
/// <param name="Coefficient">Its constant coefficient.</param>
public sealed record RowTerm(string Variable, double Coefficient);

/// <summary>An actuator rule with its numbers resolved.</summary>
/// <param name="Kind">The action: <see cref="ActionKind.Throttle"/>, <see cref="ActionKind.Kill"/> or <see cref="ActionKind.Affinity"/>.</param>
/// <param name="Resource">The resource whose price is compared.</param>
/// <param name="Threshold">The price at or above which it fires.</param>
/// <param name="CpuFraction">For a throttle, the quota as a fraction of one CPU.</param>
/// <param name="Statement">The fibre statement, quoted.</param>
public sealed record ActuatorRule(ActionKind Kind, string Resource, double Threshold, double CpuFraction, string Statement);

/// <summary>The fibre's kernel sensor, as the daemon describes and (for the /proc fallback) emulates it.</summary>
/// <param name="Variable">The sensed variable family.</param>
/// <param name="Kind">span, oncpu or count.</param>
/// <param name="Tracepoints">Tracepoints as <c>category:event</c>.</param>
/// <param name="Keys">Key fields (pid, tid, fd, cpu).</param>
/// <param name="NanosecondsPerUnit">Nanoseconds in one unit of the variable.</param>
/// <param name="Statement">The fibre statement.</param>
public sealed record SensorDescription(string Variable, string Kind, IReadOnlyList<string> Tracepoints, IReadOnlyList<string> Keys, double NanosecondsPerUnit, string Statement);

/// <summary>A metric the fibre exports (<c>metric dwell_seconds_current = mean($hold) target 5;</c>).</summary>
/// <param name="Name">The Prometheus name.</param>
/// <param name="Aggregate">The aggregate.</param>
/// <param name="Source">The aggregated family.</param>
/// <param name="SourceKind">Its role.</param>
/// <param name="Unit">Its unit, for HELP.</param>
/// <param name="Target">The autoscaler target, when given.</param>
/// <param name="Statement">The fibre statement, for HELP.</param>
public sealed record FibreMetric(string Name, MetricAggregateKind Aggregate, string Source, MetricSourceKind SourceKind, string Unit, double? Target, string Statement);

/// <summary>Processes by executable path and by cgroup v2 path (from the hierarchy's root): a class's members or the allow-list.</summary>
/// <param name="Executables">Absolute executable paths.</param>
/// <param name="Cgroups">cgroup v2 paths, as /proc/PID/cgroup writes them.</param>
public sealed record ProcessList(IReadOnlyList<string> Executables, IReadOnlyList<string> Cgroups)
{
    /// <summary>No process.</summary>
    public static ProcessList Empty { get; } = new([], []);
}

/// <summary>A class of processes whose events weigh <paramref name="Weight"/> times as much (behaviour fibres; 0: unpriced).</summary>
/// <param name="Name">The class's name.</param>
/// <param name="Weight">The weight, in [0, 1000].</param>
/// <param name="Members">Its executables and cgroups.</param>
/// <param name="Statement">The fibre statement.</param>
public sealed record ProcessClass(string Name, double Weight, ProcessList Members, string Statement);

/// <summary>
/// Everything the daemon needs to run one online fibre, with every number resolved: the agent
/// index, the per-agent rows and their online update, the sensor, the actuator rules and the
/// fibre's own metrics. Built once, at build time, from the compiler's FibreSpec
/// (<c>Sigil.Language.Emit.Daemon.DaemonFibreMapper</c>) and written as the fibre's daemon
/// descriptor (<see cref="DaemonFibreFile"/>), which the daemon reads: the runtime does not
/// depend on the compiler, and nothing is derived twice.
/// </summary>
/// <param name="Name">The fibre's name (a validated identifier).</param>
/// <param name="AgentIndex">The dynamic index whose members are the agents.</param>
/// <param name="AgentKey">What keys an agent.</param>
/// <param name="Capacity">Most agents tracked at once.</param>
/// <param name="Rows">The per-agent rows.</param>
/// <param name="Rules">The actuator rules.</param>
/// <param name="Sensor">The sensor.</param>
/// <param name="Step">The dual step gamma.</param>
/// <param name="LoadMax">Loads are clamped to [0, LoadMax] before the update.</param>
/// <param name="PriceMax">Prices saturate at PriceMax.</param>
/// <param name="Metrics">The fibre's own metrics.</param>
/// <param name="PriceMaps">Exported price map names by resource (the kernel's maps).</param>
/// <param name="Placement">
/// For a placement fibre (threads placed over domains, solved by ADMM, acted on by CPU affinity):
/// the placement's shape and numbers; its rows are shared per domain, so <paramref name="Rows"/>
/// is empty. Null for a fibre of per-agent rows.
/// </param>
/// <param name="PriceScaleBits">
/// Binary digits after the point of the prices hooks read (the exported price map and the shared
/// price page): the fibre's fixed point, 20 when it has none.
/// </param>
public sealed record DaemonFibre(
    string Name,
    string AgentIndex,
    AgentKeyKind AgentKey,
    int Capacity,
    IReadOnlyList<AgentRow> Rows,
    IReadOnlyList<ActuatorRule> Rules,
    SensorDescription Sensor,
    double Step,
    double LoadMax,
    double PriceMax,
    IReadOnlyList<FibreMetric> Metrics,
    IReadOnlyDictionary<string, string> PriceMaps,
    Placement.PlacementDescription? Placement = null,
    int PriceScaleBits = Sigil.Language.Model.FixedPointSpec.DefaultScaleBits)
{
    /// <summary>The descriptor format's version (<see cref="DaemonFibreFile.FormatVersion"/>); a reader refuses any other.</summary>
    public int Format { get; init; } = DaemonFibreFile.FormatVersion;

    /// <summary>
    /// The files the fibre was compiled from (source and tables) with their SHA-256, as the eBPF
    /// object's descriptor of the same build records them; empty for a fibre not built from a file.
    /// </summary>
    public IReadOnlyList<BpfSourceDigest> Sources { get; init; } = [];

    /// <summary>The fibre's classes of processes (behaviour fibres), resolved to kernel ids at load.</summary>
    public IReadOnlyList<ProcessClass> Classes { get; init; } = [];

    /// <summary>The fibre's allow-list by executable and cgroup (behaviour fibres): never signalled nor frozen.</summary>
    public ProcessList Allowed { get; init; } = ProcessList.Empty;

    /// <summary>
    /// For a fibre whose per-agent rows also hold decided terms: the method that solves them each
    /// period (the daemon's <c>PeriodicRowStep</c>); null for the online dual update of sensed rows.
    /// </summary>
    public PeriodicSolve? Periodic { get; init; }

    /// <summary>The most agents a descriptor may ask for (the price page's largest table holds half as many slots again).</summary>
    public const int MaxCapacity = 1 << 22;

    /// <summary>The row of <paramref name="resource"/>, or null.</summary>
    public AgentRow? Row(string resource) => Rows.FirstOrDefault(r => string.Equals(r.Resource, resource, StringComparison.Ordinal));

    /// <summary>True when some rule throttles.</summary>
    public bool Throttles => Rules.Any(r => r.Kind == ActionKind.Throttle);

    /// <summary>Internal consistency problems (none for a fibre built by the compiler).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Format != DaemonFibreFile.FormatVersion)
        {
            problems.Add($"fibre '{Name}': descriptor format {Format} is not {DaemonFibreFile.FormatVersion} (rebuild the fibre with this version of sigil)");
        }

        if (PriceScaleBits is < 0 or > Sigil.Language.Model.FixedPointSpec.MaxScaleBits)
        {
            problems.Add($"fibre '{Name}': price scale 2^{PriceScaleBits} is out of range (0 to {Sigil.Language.Model.FixedPointSpec.MaxScaleBits} bits)");
        }

        // The compiler's rules for numbers: finite, and in range; a descriptor that is not the
        // compiler's output is refused before anything runs.
        // Bounds are infinite where the fibre states none (no fixed point); NaN, zero or negative are refused.
        if (!(LoadMax > 0))
        {
            problems.Add($"fibre '{Name}': the load bound {LoadMax} must be positive");
        }

        if (!(PriceMax > 0))
        {
            problems.Add($"fibre '{Name}': the price bound {PriceMax} must be positive");
        }

        if (Capacity > MaxCapacity)
        {
            problems.Add($"fibre '{Name}': agent capacity {Capacity} is more than {MaxCapacity}");
        }

        if (Sensor is { } sensor && (!Sigil.Descriptors.DoubleFacts.IsFinite(sensor.NanosecondsPerUnit) || sensor.NanosecondsPerUnit < 1 || sensor.NanosecondsPerUnit > Sigil.Language.Model.FixedPointSpec.MaxNanosecondsPerUnit))
        {
            problems.Add($"fibre '{Name}': '{sensor.Statement}': {sensor.NanosecondsPerUnit} nanoseconds per unit is out of range (1 to 2^32)");
        }

        foreach (var row in Rows)
        {
            if (!Sigil.Descriptors.DoubleFacts.IsFinite(row.Budget) || row.Budget < 0 || !Sigil.Descriptors.DoubleFacts.IsFinite(row.Coefficient))
            {
                problems.Add($"'{row.Statement}': budget {row.Budget} and coefficient {row.Coefficient} must be finite, the budget not negative");
            }
        }

        if (string.IsNullOrEmpty(Name) || Name.Any(static c => !(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')))
        {
            problems.Add($"'{Name}' is not a valid fibre name");
        }

        if (Placement is { } placement)
        {
            problems.AddRange(placement.Validate(Name));
            if (AgentKey != AgentKeyKind.Tid)
            {
                problems.Add($"fibre '{Name}': a placement pins threads: its agent index '{AgentIndex}' must be keyed by tid");
            }
        }
        else if (Rows.Count == 0)
        {
            problems.Add($"fibre '{Name}' has no per-agent row");
        }

        if (Periodic is { } periodic)
        {
            if (periodic.Method is not (Solvers.SolverKind.Penalty or Solvers.SolverKind.Admm) || !(periodic.Parameter > 0) || !Sigil.Descriptors.DoubleFacts.IsFinite(periodic.Parameter) || periodic.MaxIterations <= 0)
            {
                problems.Add($"'{periodic.Statement}': the daemon solves per period by penalty or ADMM with a positive, finite parameter and iteration cap");
            }

            if (Placement is not null || Rows.All(r => r.Decided is not { Count: > 0 }))
            {
                problems.Add($"fibre '{Name}': a periodic solve needs per-agent rows with decided terms");
            }

            foreach (var term in Rows.SelectMany(r => r.Decided ?? []))
            {
                if (!Sigil.Descriptors.DoubleFacts.IsFinite(term.Coefficient) || !Sigil.Descriptors.DoubleFacts.IsFinite(term.Weight) || !Sigil.Descriptors.DoubleFacts.IsFinite(term.Lower) || !(term.Upper >= term.Lower))
                {
                    problems.Add($"'{term.Statement}': the coefficient, weight and bounds of ${term.Variable} must be finite, the bounds ordered");
                }
            }
        }
        else if (Rows.Any(r => r.Decided is { Count: > 0 }))
        {
            problems.Add($"fibre '{Name}': its rows hold decided terms, which only a periodic solve prices");
        }

        if (Placement is null && Periodic is null && (!(Step > 0) || !Sigil.Descriptors.DoubleFacts.IsFinite(Step)))
        {
            problems.Add($"fibre '{Name}': the dual step {Step} must be positive and finite");
        }

        if (Capacity <= 0)
        {
            problems.Add($"fibre '{Name}': agent capacity {Capacity} must be positive");
        }

        foreach (var rule in Rules)
        {
            if (rule.Kind == ActionKind.Affinity)
            {
                if (Placement is null)
                {
                    problems.Add($"'{rule.Statement}': affinity follows a solved placement, and fibre '{Name}' has none");
                }

                continue;
            }

            if (!Sigil.Descriptors.DoubleFacts.IsFinite(rule.Threshold) || rule.Threshold < 0)
            {
                problems.Add($"'{rule.Statement}': threshold {rule.Threshold} must be finite and not negative");
            }

            if (Row(rule.Resource) is null)
            {
                problems.Add($"'{rule.Statement}' prices '{rule.Resource}', which has no per-agent row");
            }

            if (rule.Kind == ActionKind.Throttle && !(rule.CpuFraction > 0 && rule.CpuFraction <= 64))
            {
                problems.Add($"'{rule.Statement}': CPU quota {rule.CpuFraction} is out of range");
            }

            if (rule.Kind is ActionKind.Release)
            {
                problems.Add($"'{rule.Statement}': release is not a rule");
            }
        }

        foreach (var metric in Metrics)
        {
            if (!Sigil.Runtime.Metrics.MetricNames.IsValidMetricName(metric.Name))
            {
                problems.Add($"metric '{metric.Name}' is not a valid Prometheus name");
            }

            if (metric.SourceKind != MetricSourceKind.Variable && Row(metric.Source) is null && (Placement?.IndexOfResource(metric.Source) ?? -1) < 0)
            {
                problems.Add($"metric '{metric.Name}' aggregates '{metric.Source}', which is neither a per-agent row nor a placement resource");
            }
        }

        return problems;
    }
}
