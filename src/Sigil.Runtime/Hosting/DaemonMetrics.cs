using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting.Placement;
using Prometheus;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The daemon's metric families for one fibre, and the fibre's own metrics. Per-agent series are
/// bounded: the top <see cref="TopAgents"/> agents by price, plus one <c>agent="other"</c> series
/// holding the largest value among the rest.
/// </summary>
public sealed class DaemonMetrics
{
    /// <summary>The agent label of the aggregate over agents outside the top k.</summary>
    public const string OtherAgent = "other";

    private static readonly ActionKind[] s_kinds = Enum.GetValues<ActionKind>();
    private readonly DaemonFibre _fibre;
    private readonly Dictionary<string, Counter.Child> _checkpointed = new(StringComparer.Ordinal);
    private readonly Dictionary<ActionKind, Counter.Child> _actions = [];
    private readonly Dictionary<ActionKind, Counter.Child> _wouldBe = [];
    private readonly Dictionary<ActionKind, Counter.Child> _failed = [];
    private readonly Counter _refused;
    private readonly GaugeSnapshot _price;
    private readonly GaugeSnapshot _load;
    private readonly Gauge.Child _agents;
    private readonly Gauge.Child _armed;
    private readonly Counter.Child _overflow;
    private readonly Counter.Child _seen;
    private readonly Counter.Child _processed;
    private readonly Counter.Child _filtered;
    private readonly Counter.Child _dropped;
    private readonly Counter.Child _lostUpdates;
    private readonly Counter.Child _iterations;
    private readonly Gauge.Child _primal;
    private readonly Gauge.Child _dual;
    private readonly Counter.Child _ticks;
    private readonly Gauge.Child _tickSeconds;
    private readonly Counter.Child _checkpoints;
    private readonly Counter.Child _checkpointFailures;
    private readonly (FibreMetric Metric, Gauge.Child Series, int Row)[] _fibreMetrics;
    private readonly PlacementFamilies? _placement;
    private List<GaugeSample> _domainPrices = [];
    private List<GaugeSample> _domainLoads = [];

    /// <summary>Registers the families of <paramref name="fibre"/> in <paramref name="registry"/>.</summary>
    public DaemonMetrics(CollectorRegistry registry, DaemonFibre fibre, string sensorName, int topAgents = 10)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));
        if (topAgents < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(topAgents));
        }

        Registry = registry;
        TopAgents = topAgents;
        var f = fibre.Name;

        var actions = registry.CreateCounter("sigil_actions_total", "Actions carried out on processes, by kind.", "fibre", "kind");
        var wouldBe = registry.CreateCounter("sigil_would_be_actions_total", "Actions observation mode would have carried out, by kind.", "fibre", "kind");
        var failed = registry.CreateCounter("sigil_failed_actions_total", "Actions the system refused (no privilege, process gone), by kind.", "fibre", "kind");
        _refused = registry.CreateCounter("sigil_refused_actions_total", "Actions the safety guard refused, by kind and reason.", "fibre", "kind", "reason");
        foreach (var kind in s_kinds)
        {
            var k = KindLabel(kind);
            _actions[kind] = Checkpointed(actions, f, k);
            _wouldBe[kind] = Checkpointed(wouldBe, f, k);
            _failed[kind] = Checkpointed(failed, f, k);
        }

        var budget = registry.CreateGauge("sigil_budget", "Per-agent budget of each resource (the row's right-hand side).", "fibre", "resource");
        foreach (var row in fibre.Rows)
        {
            budget.WithLabels(f, row.Resource).Set(row.Budget);
        }

        _price = fibre.Placement is null
            ? registry.CreateGaugeSnapshot("sigil_price", $"Price per resource of the top {topAgents} agents by price; agent=\"other\" is the largest price among the rest.", "fibre", "resource", "agent", "name")
            : registry.CreateGaugeSnapshot("sigil_price", "Price per resource and domain of the latest placement solve (agent = the domain's number, the key of the kernel's price map; name = the domain).", "fibre", "resource", "agent", "name");
        _price.Publish([]);
        _load = fibre.Placement is null
            ? registry.CreateGaugeSnapshot("sigil_load", $"Latest load per resource of the same agents as sigil_price; agent=\"other\" is the largest load among the rest.", "fibre", "resource", "agent", "name")
            : registry.CreateGaugeSnapshot("sigil_load", "Load per resource and domain of the latest placement solve (the solved shares), labelled as sigil_price.", "fibre", "resource", "agent", "name");
        _agents = registry.CreateGauge("sigil_agents", "Agents tracked.", "fibre").WithLabels(f);
        _overflow = Checkpointed(registry.CreateCounter("sigil_agent_overflow_total", "Agents not tracked because the agent table was full.", "fibre"), f);
        _armed = registry.CreateGauge("sigil_armed", "1 when enforcement is armed, 0 in observation mode.", "fibre").WithLabels(f);

        _seen = Checkpointed(registry.CreateCounter("sigil_kernel_seen_total", "Events the sensor examined.", "fibre", "sensor"), f, sensorName);
        _processed = Checkpointed(registry.CreateCounter("sigil_kernel_processed_total", "Events that produced a load sample.", "fibre", "sensor"), f, sensorName);
        _filtered = Checkpointed(registry.CreateCounter("sigil_kernel_filtered_total", "Events ignored by design (not a regular file, out of scope).", "fibre", "sensor"), f, sensorName);
        _dropped = Checkpointed(registry.CreateCounter("sigil_kernel_dropped_total", "Events lost (ring buffer full, process unreadable).", "fibre", "sensor"), f, sensorName);
        _lostUpdates = Checkpointed(registry.CreateCounter("sigil_kernel_price_updates_lost_total", "Kernel price updates given up after 8 lost compare-and-swap attempts (each at most one step; the hold timer retries its own at the next tick).", "fibre", "sensor"), f, sensorName);

        _iterations = Checkpointed(registry.CreateCounter("sigil_solver_iterations_total", "Price updates made by the solver stage.", "fibre"), f);
        _primal = registry.CreateGauge("sigil_solver_primal_residual", "Largest row violation [load - budget]+ in the latest tick.", "fibre").WithLabels(f);
        _dual = registry.CreateGauge("sigil_solver_dual_residual", "Largest price change in the latest tick.", "fibre").WithLabels(f);

        _ticks = Checkpointed(registry.CreateCounter("sigil_ticks_total", "Daemon ticks (sense, solve, act).", "fibre"), f);
        _tickSeconds = registry.CreateGauge("sigil_tick_duration_seconds", "Duration of the latest tick.", "fibre").WithLabels(f);
        _checkpoints = Checkpointed(registry.CreateCounter("sigil_checkpoints_total", "State checkpoints written.", "fibre"), f);
        _checkpointFailures = Checkpointed(registry.CreateCounter("sigil_checkpoint_failures_total", "State checkpoints that failed.", "fibre"), f);

        _fibreMetrics = fibre.Metrics.Select(m =>
        {
            var help = $"{m.Statement} (unit: {m.Unit}{(m.Target is { } t ? string.Create(CultureInfo.InvariantCulture, $", autoscaler target {t}") : string.Empty)})";
            var series = registry.CreateGauge(m.Name, help, "fibre").WithLabels(f);
            var row = m.SourceKind == MetricSourceKind.Variable ? -1 : RowIndex(m.Source);
            return (m, series, row);
        }).ToArray();

        if (fibre.Placement is { } placement)
        {
            _placement = new PlacementFamilies(this, registry, f, placement);
        }
    }

    /// <summary>The registry the families live in.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Agents exported per resource before the aggregate.</summary>
    public int TopAgents { get; }

    /// <summary>Counts one action outcome.</summary>
    public void Record(ActionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var kind = result.Request.Kind;
        switch (result.Status)
        {
            case ActionStatus.Applied:
                _actions[kind].Inc();
                break;
            case ActionStatus.WouldApply:
                _wouldBe[kind].Inc();
                break;
            case ActionStatus.Failed:
                _failed[kind].Inc();
                break;
            case ActionStatus.Refused:
                var series = _refused.WithLabels(_fibre.Name, KindLabel(kind), result.Refusal.ToString().ToLowerInvariant());
                _checkpointed.TryAdd(Key(_refused.Name, KindLabel(kind), result.Refusal.ToString().ToLowerInvariant()), series);
                series.Inc();
                break;
        }
    }

    /// <summary>Sets whether enforcement is armed.</summary>
    public void SetArmed(bool armed) => _armed.Set(armed ? 1 : 0);

    /// <summary>Counts a checkpoint.</summary>
    public void RecordCheckpoint(bool ok) => (ok ? _checkpoints : _checkpointFailures).Inc();

    /// <summary>Publishes one tick: sensor totals, solver step, agents (top k) and the fibre's metrics.</summary>
    public void PublishTick(AgentTable agents, SensorCounters counters, SolverStepResult step, long tick, long activeWindowTicks, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(agents);
        _seen.IncTo(counters.Seen);
        _processed.IncTo(counters.Processed);
        _filtered.IncTo(counters.Filtered);
        _dropped.IncTo(counters.Dropped);
        _lostUpdates.IncTo(counters.LostUpdates);
        _iterations.Inc(step.Iterations);
        _primal.Set(step.PrimalResidual);
        _dual.Set(step.DualResidual);
        _ticks.Inc();
        _tickSeconds.Set(duration.TotalSeconds);
        _agents.Set(agents.Count);
        _overflow.IncTo(agents.Overflow);

        var ranked = agents.OrderByDescending(a => a.MaxPrice).ThenBy(a => a.Agent).ToList();
        var prices = new List<GaugeSample>();
        var loads = new List<GaugeSample>();
        for (var r = 0; r < _fibre.Rows.Count; r++)
        {
            var resource = _fibre.Rows[r].Resource;
            for (var i = 0; i < ranked.Count && i < TopAgents; i++)
            {
                var a = ranked[i];
                var id = a.Agent.ToString(CultureInfo.InvariantCulture);
                prices.Add(new GaugeSample([_fibre.Name, resource, id, a.Name], a.Prices[r]));
                loads.Add(new GaugeSample([_fibre.Name, resource, id, a.Name], a.Loads[r]));
            }

            if (ranked.Count > TopAgents)
            {
                var rest = ranked.Skip(TopAgents).ToList();
                prices.Add(new GaugeSample([_fibre.Name, resource, OtherAgent, string.Empty], rest.Max(a => a.Prices[r])));
                loads.Add(new GaugeSample([_fibre.Name, resource, OtherAgent, string.Empty], rest.Max(a => a.Loads[r])));
            }
        }

        prices.AddRange(_domainPrices);
        loads.AddRange(_domainLoads);
        _price.Publish(prices);
        _load.Publish(loads);

        foreach (var (metric, series, row) in _fibreMetrics)
        {
            if (row <= PlacementRow)
            {
                continue; // a placement resource: set by PublishPlacement
            }

            var values = metric.SourceKind switch
            {
                MetricSourceKind.Variable => agents.Where(a => a.LastActiveTick >= 0 && tick - a.LastActiveTick < activeWindowTicks).Select(a => a.LastSample),
                MetricSourceKind.Resource => agents.Where(a => a.LastActiveTick >= 0 && tick - a.LastActiveTick < activeWindowTicks).Select(a => a.Loads[row]),
                _ => agents.Select(a => a.Prices[row]),
            };
            series.Set(Aggregate(metric.Aggregate, values.ToList()));
        }
    }

    /// <summary>
    /// Publishes a placement's latest solve: its per-domain prices and loads as <c>sigil_price</c> and
    /// <c>sigil_load</c> series (agent = the domain's member number, name = the domain), the
    /// placement families, and the fibre's metrics over placement resources (over domains).
    /// </summary>
    public void PublishPlacement(PlacementSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_placement is null)
        {
            throw new InvalidOperationException($"fibre '{_fibre.Name}' is not a placement fibre");
        }

        var d = snapshot.Domains.Count;
        var prices = new List<GaugeSample>(snapshot.Prices.Count);
        var loads = new List<GaugeSample>(snapshot.Loads.Count);
        for (var r = 0; r < snapshot.Resources.Count; r++)
        {
            for (var j = 0; j < d; j++)
            {
                string[] labels = [_fibre.Name, snapshot.Resources[r], j.ToString(CultureInfo.InvariantCulture), snapshot.Domains[j]];
                prices.Add(new GaugeSample(labels, snapshot.Prices[(r * d) + j]));
                loads.Add(new GaugeSample(labels, snapshot.Loads[(r * d) + j]));
            }
        }

        _domainPrices = prices;
        _domainLoads = loads;
        _placement.Publish(snapshot);
        foreach (var (metric, series, row) in _fibreMetrics)
        {
            if (row > PlacementRow)
            {
                continue;
            }

            var r = PlacementRow - row;
            var values = Enumerable.Range(0, d).Select(j => metric.SourceKind == MetricSourceKind.Price ? snapshot.Prices[(r * d) + j] : snapshot.Loads[(r * d) + j]).ToList();
            series.Set(Aggregate(metric.Aggregate, values));
        }
    }

    /// <summary>Exports the CPUs of each placement domain (<c>sigil_placement_domain_cpus</c>, labelled with the CPU list).</summary>
    public void DescribeDomains(DomainCpuMap cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        _placement?.Describe(cpus);
    }

    /// <summary>The value of fibre metric <paramref name="name"/>.</summary>
    public double FibreMetric(string name) => _fibreMetrics.First(m => m.Metric.Name == name).Series.Value;

    /// <summary>Totals of every daemon counter, for a checkpoint, sorted by name.</summary>
    public IReadOnlyList<CounterState> CaptureCounters() =>
        _checkpointed.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CounterState(c.Key, c.Value.Value)).ToList();

    /// <summary>Raises every counter to its checkpointed total, so totals carry on across restarts.</summary>
    public void RestoreCounters(IEnumerable<CounterState> counters)
    {
        foreach (var counter in counters)
        {
            if (!double.IsFinite(counter.Value) || counter.Value < 0)
            {
                continue;
            }

            if (_checkpointed.TryGetValue(counter.Name, out var series))
            {
                series.IncTo(counter.Value);
            }
            else if (counter.Name.StartsWith(_refused.Name + "|", StringComparison.Ordinal)
                && counter.Name.Split('|') is [_, var kind, var reason] && Enum.TryParse<ActionKind>(kind, true, out _))
            {
                var refused = _refused.WithLabels(_fibre.Name, kind, reason);
                _checkpointed[counter.Name] = refused;
                refused.IncTo(counter.Value);
            }
        }
    }

    /// <summary>The total of <paramref name="kind"/> actions with <paramref name="status"/>.</summary>
    public double Count(ActionKind kind, ActionStatus status) => status switch
    {
        ActionStatus.Applied => _actions[kind].Value,
        ActionStatus.WouldApply => _wouldBe[kind].Value,
        ActionStatus.Failed => _failed[kind].Value,
        _ => RefusedTotal(kind),
    };

    internal static string KindLabel(ActionKind kind) => kind.ToString().ToLowerInvariant();

    private double RefusedTotal(ActionKind kind) =>
        _checkpointed.Where(c => c.Key.StartsWith(Key(_refused.Name, KindLabel(kind), string.Empty), StringComparison.Ordinal)).Sum(c => c.Value.Value);

    private static double Aggregate(MetricAggregateKind aggregate, List<double> values) => aggregate switch
    {
        MetricAggregateKind.Count => values.Count,
        MetricAggregateKind.Sum => values.Sum(),
        _ when values.Count == 0 => 0,
        MetricAggregateKind.Mean => values.Average(),
        MetricAggregateKind.Max => values.Max(),
        MetricAggregateKind.Min => values.Min(),
        _ => throw new ArgumentOutOfRangeException(nameof(aggregate)),
    };

    private Counter.Child Checkpointed(Counter family, params string[] labels)
    {
        var series = family.WithLabels(labels);
        _checkpointed[Key(family.Name, labels[1..])] = series;
        return series;
    }

    private static string Key(string family, params string[] labelsAfterFibre) =>
        labelsAfterFibre.Length == 0 ? family : family + "|" + string.Join("|", labelsAfterFibre);

    // Fibre metrics over a placement resource r are marked PlacementRow - r.
    private const int PlacementRow = -2;

    private int RowIndex(string resource)
    {
        for (var r = 0; r < _fibre.Rows.Count; r++)
        {
            if (_fibre.Rows[r].Resource == resource)
            {
                return r;
            }
        }

        if (_fibre.Placement?.IndexOfResource(resource) is { } p && p >= 0)
        {
            return PlacementRow - p;
        }

        throw new ArgumentException($"metric source '{resource}' has no per-agent row", nameof(resource));
    }

    /// <summary>The families only placement fibres have.</summary>
    private sealed class PlacementFamilies
    {
        private readonly string _fibre;
        private readonly PlacementDescription _placement;
        private readonly Gauge.Child[] _capacity;
        private readonly Gauge.Child[] _domainThreads;
        private readonly Gauge.Child _scale;
        private readonly Gauge.Child _threads;
        private readonly Gauge.Child _seconds;
        private readonly Gauge.Child _iterations;
        private readonly Counter.Child _solves;
        private readonly Counter.Child _unconverged;
        private readonly (Solvers.SolveStatus Status, Gauge.Child Series)[] _status;
        private readonly Counter.Child _overflow;
        private readonly Gauge _cpus;
        private long _solvesSeen;
        private long _unconvergedSeen;
        private long _overflowSeen;

        public PlacementFamilies(DaemonMetrics owner, CollectorRegistry registry, string fibre, PlacementDescription placement)
        {
            _fibre = fibre;
            _placement = placement;
            var capacity = registry.CreateGauge("sigil_placement_capacity", "Capacity of each resource per domain in the latest placement solve (scaled when the active threads did not fit).", "fibre", "resource", "domain");
            _capacity = placement.Resources.SelectMany(r => placement.Domains.Select(d => capacity.WithLabels(fibre, r.Name, d))).ToArray();
            var threads = registry.CreateGauge("sigil_placement_domain_threads", "Threads whose target is each domain after the latest placement solve.", "fibre", "domain");
            _domainThreads = placement.Domains.Select(d => threads.WithLabels(fibre, d)).ToArray();
            _scale = registry.CreateGauge("sigil_placement_scale", "Factor every capacity was multiplied by so that the active threads fit (1: they fit as given).", "fibre").WithLabels(fibre);
            _threads = registry.CreateGauge("sigil_placement_threads", "Threads placed by the latest solve.", "fibre").WithLabels(fibre);
            _seconds = registry.CreateGauge("sigil_placement_solve_seconds", "Duration of the latest placement solve (instance and ADMM).", "fibre").WithLabels(fibre);
            _iterations = registry.CreateGauge("sigil_placement_iterations", "ADMM iterations of the latest placement solve.", "fibre").WithLabels(fibre);
            _solves = owner.Checkpointed(registry.CreateCounter("sigil_placement_solves_total", "Placement solves.", "fibre"), fibre);
            _unconverged = owner.Checkpointed(registry.CreateCounter("sigil_placement_unconverged_total", "Placement solves whose status was not solved (see sigil_placement_status).", "fibre"), fibre);
            _overflow = owner.Checkpointed(registry.CreateCounter("sigil_placement_overflow_total", "Active threads left out of placement solves (beyond the busiest placement-threads).", "fibre"), fibre);
            _cpus = registry.CreateGauge("sigil_placement_domain_cpus", "CPUs each domain's threads are pinned to on this machine (the list is the cpus label).", "fibre", "domain", "cpus");
            var status = registry.CreateGauge("sigil_placement_status", "1 for the status of the latest placement solve (solved, solved_inaccurate, iteration_limit, ...), 0 for the others.", "fibre", "status");
            _status = Enum.GetValues<Solvers.SolveStatus>().Select(s => (s, status.WithLabels(fibre, StatusLabel(s)))).ToArray();
            _scale.Set(1);
        }

        /// <summary>The status as a label value: <c>solved</c>, <c>solved_inaccurate</c>, <c>primal_infeasible</c>, ...</summary>
        public static string StatusLabel(Solvers.SolveStatus status) =>
            string.Concat(status.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

        public void Publish(PlacementSnapshot snapshot)
        {
            for (var i = 0; i < _capacity.Length && i < snapshot.Capacities.Count; i++)
            {
                _capacity[i].Set(snapshot.Capacities[i]);
            }

            for (var j = 0; j < _domainThreads.Length && j < snapshot.ThreadsPerDomain.Count; j++)
            {
                _domainThreads[j].Set(snapshot.ThreadsPerDomain[j]);
            }

            _scale.Set(snapshot.Scale);
            _threads.Set(snapshot.Threads);
            _seconds.Set(snapshot.SolveSeconds);
            _iterations.Set(snapshot.Iterations);
            if (snapshot.Status is { } latest)
            {
                foreach (var (s, series) in _status)
                {
                    series.Set(s == latest ? 1 : 0);
                }
            }

            // The step counts from its start; the counters carry on from a restored checkpoint.
            _solves.Inc(snapshot.Solves - _solvesSeen);
            _unconverged.Inc(snapshot.Unconverged - _unconvergedSeen);
            _overflow.Inc(snapshot.Overflow - _overflowSeen);
            (_solvesSeen, _unconvergedSeen, _overflowSeen) = (snapshot.Solves, snapshot.Unconverged, snapshot.Overflow);
        }

        public void Describe(DomainCpuMap cpus)
        {
            for (var j = 0; j < _placement.DomainCount && j < cpus.Cpus.Count; j++)
            {
                _cpus.WithLabels(_fibre, _placement.Domains[j], DomainCpuMap.FormatList(cpus.Cpus[j])).Set(cpus.Cpus[j].Count);
            }
        }
    }
}
