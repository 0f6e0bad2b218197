using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// One fibre's control loop, one tick at a time: read the sensor, update the prices (solver
/// step), plan and carry out actions through the actuator (observation unless armed), publish
/// metrics. Ticks run on one thread; kills, which wait out a grace period, run in the background
/// and report back at the next tick.
/// </summary>
public sealed class DaemonEngine
{
    private const int TopRows = 15;
    private readonly ISensor _sensor;
    private readonly ISolverStep _solver;
    private readonly IActuator _actuator;
    private readonly IKernelFibre? _kernel;
    private readonly ILogger _logger;
    private readonly DaemonOptions _options;
    private readonly ActionPlanner _planner;
    private readonly PlacementStep? _placement;
    private readonly ConcurrentQueue<ActionResult> _finishedKills = new();
    private readonly List<Task> _kills = [];
    private readonly List<(int Tgid, double Price)> _published = [];
    private readonly string _procRoot;
    private readonly long _identityCheckTicks;
    private readonly long _idleTicks;
    private readonly long _activeTicks;
    private long _tick;

    /// <summary>An engine for <paramref name="fibre"/>.</summary>
    public DaemonEngine(DaemonFibre fibre, DaemonOptions options, ISensor sensor, ISolverStep solver, IActuator actuator, DaemonMetrics metrics, ILogger logger, IKernelFibre? kernel = null)
    {
        Fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _sensor = sensor ?? throw new ArgumentNullException(nameof(sensor));
        _solver = solver ?? throw new ArgumentNullException(nameof(solver));
        _actuator = actuator ?? throw new ArgumentNullException(nameof(actuator));
        Metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _kernel = kernel;
        _procRoot = options.ProcRoot;
        Agents = new AgentTable(fibre.Rows.Count, fibre.Capacity);
        _planner = new ActionPlanner(fibre);
        _placement = solver as PlacementStep;
        if (_placement is not null)
        {
            Metrics.DescribeDomains(_placement.Cpus);
        }

        if (fibre.Placement is not null && _placement is null)
        {
            throw new ArgumentException($"fibre '{fibre.Name}' is a placement: its solver stage must be a {nameof(PlacementStep)}", nameof(solver));
        }
        var tickSeconds = options.Tick.TotalSeconds;
        _identityCheckTicks = Math.Max(1, (long)Math.Ceiling(2 / tickSeconds));
        _idleTicks = Math.Max(1, (long)Math.Ceiling(options.AgentIdle.TotalSeconds / tickSeconds));
        _activeTicks = Math.Max(1, (long)Math.Ceiling(options.ActiveWindow.TotalSeconds / tickSeconds));
    }

    /// <summary>The fibre.</summary>
    public DaemonFibre Fibre { get; }

    /// <summary>Freezes the agents the kernel stopped at the freeze price (armed behaviour fibres with a freeze rule), or null.</summary>
    public CgroupFreezer? Freezer { get; set; }

    /// <summary>The shared price page published after every tick's solver step, or null.</summary>
    public SharedPricePage? PricePage { get; set; }

    /// <summary>The agents.</summary>
    public AgentTable Agents { get; }

    /// <summary>The metrics.</summary>
    public DaemonMetrics Metrics { get; }

    /// <summary>The sensor.</summary>
    public ISensor Sensor => _sensor;

    /// <summary>The solver step.</summary>
    public ISolverStep Solver => _solver;

    /// <summary>Ticks run.</summary>
    public long Ticks => Interlocked.Read(ref _tick);

    /// <summary>True when actions are carried out.</summary>
    public bool Armed => _actuator.Armed;

    /// <summary>Raised after every tick, on the tick thread.</summary>
    public event Action<DaemonSnapshot>? TickCompleted;

    /// <summary>
    /// Compiles the path from a kernel decision to the log and the metrics before the first one
    /// arrives (<see cref="ReportPathWarmer"/>); <paramref name="formatters"/> are the console
    /// log's formatters. Nothing is logged, counted or acted on.
    /// </summary>
    public void WarmReportPath(IEnumerable<Microsoft.Extensions.Logging.Console.ConsoleFormatter> formatters)
    {
        (_sensor as IWakingSensor)?.WarmDecisionPath();
        foreach (var done in (ReadOnlySpan<bool>)[true, false])
        {
            foreach (var kind in (ReadOnlySpan<ActionKind>)[ActionKind.Kill, ActionKind.Freeze])
            {
                _ = DescribeDecision(new KernelDecision(kind, done, 0, 1, string.Empty, 0, 2, 0), out _, out _, out _);
            }
        }

        ReportPathWarmer.Warm(_logger, Fibre.Name, formatters, [GetType(), _sensor.GetType(), typeof(DaemonMetrics), typeof(AgentTable), typeof(AgentState), typeof(KernelDecision), typeof(ActionResult), typeof(ActionRequest)]);
    }

    /// <summary>Runs one tick.</summary>
    public async Task<DaemonSnapshot> TickAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var tick = Interlocked.Increment(ref _tick);
        var results = new List<ActionResult>();
        while (_finishedKills.TryDequeue(out var finished))
        {
            if (Agents.Find(finished.Request.Pid) is { } killed)
            {
                killed.LastAction = Describe(finished);
            }

            Report(finished);
            results.Add(finished);
        }

        _kills.RemoveAll(t => t.IsCompleted);

        var frame = _sensor.Sense();
        var step = _solver.Step(frame, Agents, tick);
        // The kernel kills while armed; a behaviour program (agents by tree) also reports the kills it
        // would make while disarmed, so the daemon plans no kill of its own for it either way. The
        // kills the kernel would have made are reported here only when the planner does not plan them.
        _planner.KernelKills = _kernel is { KillsInKernel: true } && (_actuator.Armed || Fibre.AgentKey == AgentKeyKind.Tree);
        foreach (var decision in frame.Decisions)
        {
            if (decision.Done || _planner.KernelKills || decision.Kind == ActionKind.Freeze)
            {
                results.Add(Decided(decision, tick));
            }
        }

        Forget(tick);
        if (PricePage is { } page)
        {
            _published.Clear();
            foreach (var agent in Agents)
            {
                _published.Add((agent.Agent, agent.Prices[0]));
            }

            page.Publish(_published);
        }

        var plan = _placement is not null ? _placement.Plan(Agents, _actuator.Armed, tick) : _planner.Plan(Agents);
        foreach (var planned in plan)
        {
            if (planned.Request.Kind is ActionKind.Throttle or ActionKind.Kill && !InScope(planned.Request.Pid))
            {
                // Only processes inside the scope are ever acted on, whatever price they hold.
                planned.Agent.Blocked = planned.Level;
                planned.Agent.LastAction = "out of scope";
                continue;
            }

            if (planned.Request.Kind == ActionKind.Kill && _actuator.Armed)
            {
                // SIGTERM, grace, SIGKILL: seconds; the tick loop does not wait for it.
                planned.Agent.Level = EnforcementLevel.Killed;
                planned.Agent.LastAction = "kill sent";
                _kills.Add(Task.Run(async () => _finishedKills.Enqueue(await _actuator.ApplyAsync(planned.Request, cancellationToken).ConfigureAwait(false)), CancellationToken.None));
                continue;
            }

            var result = await _actuator.ApplyAsync(planned.Request, cancellationToken).ConfigureAwait(false);
            if (result.Status is ActionStatus.Applied or ActionStatus.WouldApply)
            {
                planned.Agent.Level = planned.Level;
                planned.Agent.Blocked = null;
            }
            else
            {
                planned.Agent.Blocked = planned.Level;
            }

            _placement?.Completed(planned, result);
            planned.Agent.LastAction = Describe(result);
            Report(result);
            results.Add(result);
        }

        Metrics.SetArmed(_actuator.Armed);
        if (_placement is not null)
        {
            Metrics.PublishPlacement(_placement.Snapshot());
        }

        Metrics.PublishTick(Agents, frame.Counters, step, tick, _activeTicks, clock.Elapsed);
        var snapshot = new DaemonSnapshot(
            tick,
            _actuator.Armed,
            (_placement is null ? Agents.OrderByDescending(a => a.MaxPrice) : Agents.OrderByDescending(a => a.LastActiveTick).ThenByDescending(a => a.LastSample))
                .ThenBy(a => a.Agent).Take(TopRows)
                .Select(a => new AgentView(a.Agent, a.Name, a.Loads.Length > 0 ? a.Loads[0] : a.LastSample, a.Prices.Length > 0 ? a.Prices[0] : 0, a.Level, a.LastAction)).ToList(),
            Agents.Count,
            frame.Counters,
            step,
            Fibre.Metrics.ToDictionary(m => m.Name, m => Metrics.FibreMetric(m.Name), StringComparer.Ordinal),
            results);
        TickCompleted?.Invoke(snapshot);
        return snapshot;
    }

    /// <summary>
    /// At shutdown, while still armed: puts back the CPU affinity of every thread a placement
    /// pinned (through the actuator and its guard), when the thread still runs with the mask the
    /// daemon set. Nothing to do for other fibres or unarmed.
    /// </summary>
    public async Task<IReadOnlyList<ActionResult>> RestorePlacementAsync(CancellationToken cancellationToken = default)
    {
        if (_placement is null || !_actuator.Armed)
        {
            return [];
        }

        var results = new List<ActionResult>();
        foreach (var request in _placement.RestoreRequests())
        {
            var result = await _actuator.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
            _placement.Restored(result);
            if (Agents.Find(request.Pid) is { } agent)
            {
                agent.LastAction = result.Status == ActionStatus.Applied ? "affinity restored" : Describe(result);
            }

            Report(result);
            results.Add(result);
        }

        return results;
    }

    /// <summary>Waits for kills still in flight.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var pending = _kills.Where(t => !t.IsCompleted).ToArray();
        if (pending.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(timeout)).ConfigureAwait(false);
        }

        while (_finishedKills.TryDequeue(out var finished))
        {
            Report(finished);
        }
    }

    /// <summary>
    /// The state to checkpoint: every non-zero price with its agent's identity, the counters, the
    /// throttled processes' own cgroups and a placement's pinned threads.
    /// </summary>
    public DaemonState CaptureState(long sequence)
    {
        var prices = new List<PriceState>();
        foreach (var agent in Agents.OrderBy(a => a.Agent))
        {
            for (var r = 0; r < Fibre.Rows.Count; r++)
            {
                if (agent.Prices[r] > 0)
                {
                    prices.Add(new PriceState(Fibre.Rows[r].Resource, agent.Agent, agent.StartTime, agent.Prices[r]));
                }
            }
        }

        if (_placement is not null)
        {
            prices.AddRange(_placement.CaptureState());
        }

        prices.Sort(static (a, b) => string.CompareOrdinal(a.Resource, b.Resource) is var c && c != 0 ? c : a.Agent.CompareTo(b.Agent));
        return new DaemonState(Fibre.Name, sequence, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), prices, Metrics.CaptureCounters(), (_actuator as Enforcer)?.Throttler?.Origins(), _placement?.Pinned());
    }

    /// <summary>
    /// Restores a checkpoint: prices of agents that still run (same id and start time; a reused id
    /// gets nothing), written back to the kernel when it keeps them, and the counters' totals.
    /// Returns the number of prices restored.
    /// </summary>
    public int Restore(DaemonState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var restored = 0;
        foreach (var price in state.Prices)
        {
            if (_placement?.RestorePrice(price) == true)
            {
                restored++;
                continue;
            }

            var row = IndexOfRow(price.Resource);
            if (row < 0 || price.Agent is <= 0 or > int.MaxValue || !(price.Price >= 0))
            {
                continue;
            }

            var pid = (int)price.Agent;
            if (ProcStat.TryRead(pid, _procRoot) is not { } stat || stat.StartTime != price.StartTime || !InScope(pid))
            {
                continue;
            }

            var agent = Agents.Get(pid, stat.StartTime, stat.Comm);
            if (agent is null)
            {
                continue;
            }

            agent.Prices[row] = Math.Min(price.Price, Fibre.PriceMax);
            if (_kernel is { KeepsPrices: true } && row == 0)
            {
                _kernel.WritePrice(pid, agent.Prices[row]);
            }

            restored++;
        }

        Metrics.RestoreCounters(state.Counters);
        _placement?.Adopt(state.Pinned ?? []);
        return restored;
    }

    /// <summary>
    /// True when <paramref name="pid"/> is inside the daemon's scope: no scope, one of the scoped
    /// processes, or a descendant of one (its parents read from /proc, at most 64 levels up).
    /// </summary>
    public bool InScope(int pid)
    {
        if (_options.Scope.Count == 0)
        {
            return true;
        }

        for (var (at, level) = (pid, 0); at > 0 && level < 64; level++)
        {
            if (_options.Scope.Contains(at))
            {
                return true;
            }

            if (ProcStat.TryRead(at, _procRoot) is not { } stat || stat.ParentPid == at)
            {
                return false;
            }

            at = stat.ParentPid;
        }

        return false;
    }

    private int IndexOfRow(string resource)
    {
        for (var r = 0; r < Fibre.Rows.Count; r++)
        {
            if (Fibre.Rows[r].Resource == resource)
            {
                return r;
            }
        }

        return -1;
    }

    // Agents whose process is gone are forgotten (checked every couple of seconds, not every tick);
    // so are agents with no price that have been idle for a long time.
    private void Forget(long tick)
    {
        List<int>? gone = null;
        foreach (var agent in Agents)
        {
            var idle = tick - Math.Max(agent.LastActiveTick, 0);
            if (agent.MaxPrice == 0 && agent.Level == EnforcementLevel.None && idle >= _idleTicks)
            {
                (gone ??= []).Add(agent.Agent);
                continue;
            }

            if (tick - agent.LastSeenTick < _identityCheckTicks)
            {
                continue;
            }

            agent.LastSeenTick = tick;
            if (ProcStat.TryRead(agent.Agent, _procRoot) is not { } stat || stat.StartTime != agent.StartTime || stat.State == 'Z')
            {
                // A killed agent stays on the table (as killed) for the active window, so the
                // operator sees what was stopped; then it goes like any other.
                if (agent.Level == EnforcementLevel.Killed && tick - agent.LastActiveTick < _activeTicks)
                {
                    continue;
                }

                (gone ??= []).Add(agent.Agent);
            }
        }

        if (gone is not null)
        {
            foreach (var agent in gone)
            {
                Agents.Remove(agent);
            }
        }
    }

    /// <summary>
    /// A decision the kernel made by itself (a kill at a damaging event, or one it would have made
    /// while disarmed or for a protected process): on the agent's row, in the actions metric and in
    /// the log, as an action of the daemon's own would be.
    /// </summary>
    private ActionResult Decided(KernelDecision decision, long tick)
    {
        var detail = DescribeDecision(decision, out var status, out var because, out var events);
        var agent = Agents.Find(decision.Agent) ?? Agents.Get(decision.Agent, 0, decision.Name);
        string? thaw = null;
        if (decision.Done && decision.Kind == ActionKind.Freeze)
        {
            // The kernel stopped the process (SIGSTOP); the whole agent goes into its own frozen cgroup.
            (status, detail, thaw) = Freeze(decision, agent, detail);
        }

        var result = new ActionResult(new ActionRequest(decision.Kind, decision.Agent, because), status, detail, status == ActionStatus.Refused ? RefusalReason.AllowListed : RefusalReason.None);
        if (agent is not null)
        {
            agent.LastActiveTick = tick;
            if (decision.Done && decision.Kind == ActionKind.Kill)
            {
                agent.Level = EnforcementLevel.Killed;
                agent.LastAction = $"killed in the kernel ({events})";
            }
            else if (thaw is not null)
            {
                agent.Level = EnforcementLevel.Frozen;
                agent.LastAction = "frozen: " + thaw;
            }
            else
            {
                agent.LastAction = decision.Done ? "stopped in the kernel" : _actuator.Armed ? "protected" : "would " + DaemonMetrics.KindLabel(decision.Kind);
            }

            agent.Prices[0] = Math.Max(agent.Prices[0], decision.Price);
        }

        Report(result);
        return result;
    }

    // The log's sentence for a kernel decision, its outcome, the rule it met and the events counted.
    private string DescribeDecision(KernelDecision decision, out ActionStatus status, out string because, out string events)
    {
        var rule = Fibre.Rules.FirstOrDefault(r => r.Kind == decision.Kind);
        // A behaviour program decides at damaging file events; a span program at the event that prices (a close).
        var what = Fibre.AgentKey == AgentKeyKind.Tree ? "damaging event" : "kernel event";
        events = decision.Count == 1 ? $"1 {what}" : $"{decision.Count} {what}s";
        var who = decision.Process == decision.Agent ? $"process {decision.Process} ({decision.Name})" : $"process {decision.Process} ({decision.Name}) of agent {decision.Agent}";
        because = rule is null
            ? string.Create(CultureInfo.InvariantCulture, $"price {decision.Price:0.###}")
            : string.Create(CultureInfo.InvariantCulture, $"^{rule.Resource} = {decision.Price:0.###} >= {rule.Threshold:0.###} ({rule.Statement})");
        status = decision.Done ? ActionStatus.Applied : _actuator.Armed ? ActionStatus.Refused : ActionStatus.WouldApply;

        // The kernel's clock at the decision (CLOCK_MONOTONIC, as bpf_ktime_get_ns reads it): what a
        // reader pairs the line with, and how late the daemon reported it.
        var at = string.Create(CultureInfo.InvariantCulture, $"decided at {decision.TimestampNs / 1e9:0.000000} s (monotonic clock)");
        return decision.Done
            ? $"in the kernel: {who} stopped at {events}; {because}; {at}"
            : $"in the kernel: {who} {(_actuator.Armed ? "is protected (allow-listed or the daemon)" : "would be stopped (dry run)")} at {events}; {because}; {at}";
    }

    // Freezes the agent's processes (those the guard allows) in the agent's cgroup; returns the
    // outcome, the log's sentence and, when frozen, the command that thaws it.
    private (ActionStatus Status, string Detail, string? Thaw) Freeze(KernelDecision decision, AgentState? agent, string stopped)
    {
        if (Freezer is null)
        {
            return (ActionStatus.Failed, stopped + "; not frozen (no cgroup v2 hierarchy): the process stays stopped; kill -CONT resumes it", null);
        }

        var guard = (_actuator as Enforcer)?.Guard;
        var processes = (_kernel?.AgentProcesses(decision.Agent) ?? [decision.Agent]).Append(decision.Process).Distinct()
            .Where(pid => guard is null || guard.Check(pid).IsAllowed).ToList();
        try
        {
            var frozen = Freezer.Freeze(Fibre.Name, decision.Agent, agent?.StartTime ?? 0, processes);
            return (ActionStatus.Applied, $"{stopped}; agent frozen in {frozen.Cgroup} ({frozen.Pids.Count} process(es): {string.Join(", ", frozen.Pids)}); thaw with: {frozen.ThawCommand}", frozen.ThawCommand);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (ActionStatus.Failed, $"{stopped}; not frozen ({e.Message}): the process stays stopped; kill -CONT resumes it", null);
        }
    }

    private void Report(ActionResult result)
    {
        Metrics.Record(result);
        var kind = DaemonMetrics.KindLabel(result.Request.Kind);
        switch (result.Status)
        {
            case ActionStatus.Applied:
                DaemonLog.Action(_logger, Fibre.Name, kind, result.Request.Pid, result.Detail);
                break;
            case ActionStatus.WouldApply:
                DaemonLog.WouldAct(_logger, Fibre.Name, kind, result.Request.Pid, result.Detail);
                break;
            default:
                DaemonLog.ActionNotDone(_logger, Fibre.Name, kind, result.Request.Pid, result.Detail);
                break;
        }
    }

    private static string Describe(ActionResult result) => result.Status switch
    {
        ActionStatus.Applied => result.Request.Kind switch
        {
            ActionKind.Throttle => "throttled",
            ActionKind.Release => "released",
            ActionKind.Kill => "killed",
            _ => "pinned to CPUs " + DomainCpuMap.FormatList(result.Request.Cpus ?? []),
        },
        ActionStatus.WouldApply when result.Request.Kind == ActionKind.Affinity => "would pin to CPUs " + DomainCpuMap.FormatList(result.Request.Cpus ?? []),
        ActionStatus.WouldApply => "would " + DaemonMetrics.KindLabel(result.Request.Kind),
        ActionStatus.Refused => "refused: " + result.Refusal.ToString().ToLowerInvariant(),
        _ => DaemonMetrics.KindLabel(result.Request.Kind) + " failed",
    };
}
