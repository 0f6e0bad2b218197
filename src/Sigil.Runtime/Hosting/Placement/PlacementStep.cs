using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>Where a placement's per-domain prices go in the kernel (the fibre's exported price maps).</summary>
public interface IPlacementPriceWriter
{
    /// <summary>Writes the prices of <paramref name="resource"/>, one per domain in domain order.</summary>
    void WriteDomainPrices(string resource, ReadOnlySpan<double> prices);
}

/// <summary>A placement's state after its latest solve, for metrics and the live table.</summary>
/// <param name="Domains">The domains' names.</param>
/// <param name="Resources">The resources' names.</param>
/// <param name="Prices">Price of resource r at domain d, at <c>r * D + d</c>.</param>
/// <param name="Loads">Load of resource r at domain d (the solved shares), at <c>r * D + d</c>.</param>
/// <param name="Capacities">Capacities solved with (scaled), at <c>r * D + d</c>.</param>
/// <param name="Scale">The factor capacities were scaled by so that the active threads fit.</param>
/// <param name="Threads">Threads in the latest solve.</param>
/// <param name="ThreadsPerDomain">Threads whose target is each domain after the latest solve.</param>
/// <param name="Solves">Solves so far.</param>
/// <param name="Unconverged">Solves whose status was not <see cref="Solvers.SolveStatus.Solved"/>.</param>
/// <param name="Overflow">Threads left out of solves so far (beyond the busiest <see cref="DaemonOptions.PlacementThreads"/>).</param>
/// <param name="SolveSeconds">Duration of the latest solve (build and ADMM).</param>
/// <param name="Iterations">ADMM iterations of the latest solve.</param>
/// <param name="Status">The status of the latest solve (null before the first solve with threads).</param>
public sealed record PlacementSnapshot(
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> Resources,
    IReadOnlyList<double> Prices,
    IReadOnlyList<double> Loads,
    IReadOnlyList<double> Capacities,
    double Scale,
    int Threads,
    IReadOnlyList<int> ThreadsPerDomain,
    long Solves,
    long Unconverged,
    long Overflow,
    double SolveSeconds,
    int Iterations,
    Solvers.SolveStatus? Status = null)
{
    /// <summary>The price of <paramref name="resource"/> at <paramref name="domain"/>.</summary>
    public double Price(int resource, int domain) => Prices[(resource * Domains.Count) + domain];
}

/// <summary>
/// The solver stage of a placement fibre, and its planner. Each tick it adds the sensed on-CPU
/// time per thread; at the end of each placement window (the sensor's, or every placement period)
/// it solves the fibre's instance over the busiest active threads by ADMM, warm-started from the
/// previous prices, writes the per-domain prices to the kernel, and rounds the shares to one target
/// domain per thread. <see cref="Plan"/> then asks for an affinity change where a thread's target
/// differs from where it is (or, unarmed, would be) pinned and has stayed the same for
/// <see cref="DaemonOptions.PlacementHold"/> solves in a row, so that a thread does not flap.
/// Armed, the first change of a thread records its original mask, which
/// <see cref="RestoreRequests"/> puts back at shutdown.
/// </summary>
public sealed class PlacementStep : ISolverStep
{
    private readonly DaemonFibre _fibre;
    private readonly PlacementDescription _placement;
    private readonly PlacementProblem _problem;
    private readonly IPlacementPriceWriter? _writer;
    private readonly string _procRoot;
    private readonly int _topThreads;
    private readonly int _hold;
    private readonly long _periodTicks;
    private readonly Dictionary<int, (ulong Start, string Name, double Amount)> _window = [];
    private readonly Dictionary<int, ThreadPlacement> _threads = [];
    private readonly double[] _prices;
    private readonly double[] _loads;
    private double[] _capacities;
    private int[] _perDomain;
    private double _scale = 1;
    private int _lastThreads;
    private int _lastIterations;
    private Solvers.SolveStatus? _lastStatus;
    private double _lastSeconds;
    private long _solves;
    private long _unconverged;
    private long _overflow;
    private long _lastSolveTick;
    private long _solvedTick = -1;
    private bool _windowed;
    private SolverStepResult _last;

    /// <summary>The stage for the placement fibre <paramref name="fibre"/>.</summary>
    /// <param name="fibre">A fibre with a placement.</param>
    /// <param name="options">The placement period, the thread bound, the hold and the tick.</param>
    /// <param name="cpus">The CPUs of each domain on this machine.</param>
    /// <param name="writer">Where the prices go in the kernel, or null.</param>
    public PlacementStep(DaemonFibre fibre, DaemonOptions options, DomainCpuMap cpus, IPlacementPriceWriter? writer = null)
    {
        _fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));
        ArgumentNullException.ThrowIfNull(options);
        _placement = fibre.Placement ?? throw new ArgumentException($"fibre '{fibre.Name}' is not a placement fibre", nameof(fibre));
        Cpus = cpus ?? throw new ArgumentNullException(nameof(cpus));
        if (cpus.Cpus.Count != _placement.DomainCount)
        {
            throw new ArgumentException($"the CPU map has {cpus.Cpus.Count} domains, the placement {_placement.DomainCount}", nameof(cpus));
        }

        _problem = new PlacementProblem(_placement);
        _writer = writer;
        _procRoot = options.ProcRoot;
        _topThreads = options.PlacementThreads;
        _hold = options.PlacementHold;
        _periodTicks = Math.Max(1, (long)Math.Round(options.PlacementPeriod.TotalSeconds / options.Tick.TotalSeconds));
        var cells = _placement.Resources.Count * _placement.DomainCount;
        _prices = new double[cells];
        _loads = new double[cells];
        _capacities = new double[cells];
        _perDomain = new int[_placement.DomainCount];
        for (var r = 0; r < _placement.Resources.Count; r++)
        {
            for (var d = 0; d < _placement.DomainCount; d++)
            {
                _capacities[(r * _placement.DomainCount) + d] = _placement.Resources[r].Capacity[d];
            }
        }
    }

    /// <inheritdoc/>
    public string Name => $"admm placement of the busiest {_topThreads} threads over {_placement.DomainCount} domains";

    /// <summary>The CPUs of each domain.</summary>
    public DomainCpuMap Cpus { get; }

    /// <summary>The instance family (for tests and benchmarks).</summary>
    public PlacementProblem Problem => _problem;

    /// <summary>The latest solve, or null before the first.</summary>
    public PlacementSolution? LastSolution { get; private set; }

    /// <summary>The domain each solved thread is pinned to (or, unarmed, would be), by tid; -1 when none yet.</summary>
    public int PlacedDomain(int tid) => _threads.TryGetValue(tid, out var t) ? t.Placed : -1;

    /// <summary>The target domain of <paramref name="tid"/> after the latest solve it was in, or -1.</summary>
    public int TargetDomain(int tid) => _threads.TryGetValue(tid, out var t) ? t.Target : -1;

    /// <inheritdoc/>
    public SolverStepResult Step(SensorFrame frame, AgentTable agents, long tick)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(agents);
        foreach (var observation in frame.Agents)
        {
            var amount = 0.0;
            foreach (var sample in observation.Completed)
            {
                amount += Math.Max(0, sample);
            }

            var state = agents.Get(observation.Agent, observation.StartTime, observation.Name);
            if (state is null)
            {
                continue;
            }

            state.LastSeenTick = tick;
            if (amount <= 0)
            {
                continue;
            }

            state.LastSample = amount;
            state.LastActiveTick = tick;
            _window[observation.Agent] = _window.TryGetValue(observation.Agent, out var known) && known.Start == observation.StartTime
                ? (known.Start, observation.Name, known.Amount + amount)
                : (observation.StartTime, observation.Name, amount);
        }

        _windowed |= frame.Window is not null;
        var due = frame.Window is not null || (!_windowed && tick - _lastSolveTick >= _periodTicks);
        if (!due)
        {
            return _last with { Iterations = 0 };
        }

        _lastSolveTick = tick;
        Solve(agents, tick);
        return _last;
    }

    /// <summary>The affinity changes the latest solve calls for (only on the tick it ran).</summary>
    /// <param name="agents">The agent table (the actions name its states).</param>
    /// <param name="armed">Whether the actuator is armed: armed, each thread's original mask is recorded before its first change.</param>
    /// <param name="tick">The current tick.</param>
    public IReadOnlyList<PlannedAction> Plan(AgentTable agents, bool armed, long tick)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (tick != _solvedTick)
        {
            return [];
        }

        var plan = new List<PlannedAction>();
        foreach (var thread in _threads.Values.OrderBy(t => t.Rank))
        {
            if (thread.Solve != _solves || thread.Blocked || thread.Target < 0)
            {
                continue;
            }

            var agent = agents.Find(thread.Tid);
            if (agent is null || agent.StartTime != thread.StartTime)
            {
                continue;
            }

            if (thread.Target == thread.Placed && (thread.Real || !armed))
            {
                thread.Pending = -1;
                thread.PendingCount = 0;
                continue;
            }

            thread.PendingCount = thread.Pending == thread.Target ? thread.PendingCount + 1 : 1;
            thread.Pending = thread.Target;
            if (thread.PendingCount < _hold)
            {
                continue;
            }

            if (armed && thread.Original is null)
            {
                try
                {
                    thread.Original = [.. AffinitySetter.Get(thread.Tid)];
                }
                catch (IOException)
                {
                    continue; // gone meanwhile
                }
            }

            var cpus = Cpus.Cpus[thread.Target];
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"${_placement.Variable}[{thread.Tid}, {_placement.Domains[thread.Target]}] = {thread.Share:0.###} is its largest share "
                + $"({thread.Amount:0.###} {_fibre.Sensor.Variable} in the last window): domain {_placement.Domains[thread.Target]}, CPUs {DomainCpuMap.FormatList(cpus)}");
            plan.Add(new PlannedAction(new ActionRequest(ActionKind.Affinity, thread.Tid, reason, cpus), agent, EnforcementLevel.None));
        }

        return plan;
    }

    /// <summary>Records how a planned change ended.</summary>
    public void Completed(PlannedAction planned, ActionResult result)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(result);
        if (!_threads.TryGetValue(planned.Request.Pid, out var thread))
        {
            return;
        }

        switch (result.Status)
        {
            case ActionStatus.Applied:
                thread.Placed = thread.Pending;
                thread.Real = true;
                thread.Applied = [.. planned.Request.Cpus ?? []];
                break;
            case ActionStatus.WouldApply:
                thread.Placed = thread.Pending;
                break;
            case ActionStatus.Refused:
                // The guard's answer does not change for this thread (kernel thread, allow-listed, the daemon).
                thread.Blocked = true;
                break;
        }

        thread.Pending = -1;
        thread.PendingCount = 0;
    }

    /// <summary>
    /// At shutdown (while still armed): the requests that put back each thread's original mask, for
    /// the threads this daemon pinned that still run and whose mask is still the one it set.
    /// </summary>
    public IReadOnlyList<ActionRequest> RestoreRequests()
    {
        var requests = new List<ActionRequest>();
        foreach (var thread in _threads.Values.Where(t => t.Real && t.Original is not null).OrderBy(t => t.Tid))
        {
            if (ProcStat.TryRead(thread.Tid, _procRoot) is not { } stat || stat.StartTime != thread.StartTime || stat.State == 'Z')
            {
                continue;
            }

            IReadOnlyList<int> now;
            try
            {
                now = AffinitySetter.Get(thread.Tid);
            }
            catch (IOException)
            {
                continue;
            }

            if (thread.Applied is { } applied && !now.SequenceEqual(applied))
            {
                // Someone else changed the mask since: theirs stands.
                continue;
            }

            requests.Add(new ActionRequest(ActionKind.Affinity, thread.Tid, $"restore the affinity it had before placement (CPUs {DomainCpuMap.FormatList(thread.Original!)})", thread.Original));
        }

        return requests;
    }

    /// <summary>Records how a restore ended.</summary>
    public void Restored(ActionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status == ActionStatus.Applied && _threads.TryGetValue(result.Request.Pid, out var thread))
        {
            thread.Real = false;
            thread.Placed = -1;
        }
    }

    /// <summary>The threads this daemon pinned, with their original and given CPUs, sorted by thread (for checkpoints).</summary>
    public IReadOnlyList<PinnedThread> Pinned() =>
        [.. _threads.Values.Where(static t => t.Real && t.Original is not null && t.Applied is not null).OrderBy(static t => t.Tid)
            .Select(static t => new PinnedThread(t.Tid, t.StartTime, t.Original!, t.Applied!))];

    /// <summary>
    /// Takes over the pins a previous daemon checkpointed, for the threads that still run (same id
    /// and start time): their original masks are what <see cref="RestoreRequests"/> puts back, not
    /// the masks that daemon left. Returns how many were taken.
    /// </summary>
    public int Adopt(IEnumerable<PinnedThread> pinned)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        var adopted = 0;
        foreach (var pin in pinned)
        {
            if (pin.Agent is <= 0 or > int.MaxValue || pin.Original.Count == 0 || pin.Applied.Count == 0
                || ProcStat.TryRead((int)pin.Agent, _procRoot) is not { } stat || stat.StartTime != pin.StartTime)
            {
                continue;
            }

            var tid = (int)pin.Agent;
            if (!_threads.TryGetValue(tid, out var thread) || thread.StartTime != stat.StartTime)
            {
                _threads[tid] = thread = new ThreadPlacement(tid, stat.StartTime) { Name = stat.Comm };
            }

            thread.Original = [.. pin.Original];
            thread.Applied = [.. pin.Applied];
            thread.Real = true;
            thread.Placed = Cpus.Cpus.ToList().FindIndex(c => c.SequenceEqual(pin.Applied));
            adopted++;
        }

        return adopted;
    }

    /// <summary>The per-domain prices to checkpoint (agent = the domain's member number, no start time).</summary>
    public IEnumerable<PriceState> CaptureState()
    {
        var d = _placement.DomainCount;
        for (var r = 0; r < _placement.Resources.Count; r++)
        {
            for (var j = 0; j < d; j++)
            {
                if (_prices[(r * d) + j] > 0)
                {
                    yield return new PriceState(_placement.Resources[r].Name, j, 0, _prices[(r * d) + j]);
                }
            }
        }
    }

    /// <summary>Restores one checkpointed per-domain price (and writes it to the kernel); false when it is not one.</summary>
    public bool RestorePrice(PriceState price)
    {
        ArgumentNullException.ThrowIfNull(price);
        var r = _placement.IndexOfResource(price.Resource);
        var d = _placement.DomainCount;
        if (r < 0 || price.Agent < 0 || price.Agent >= d || !double.IsFinite(price.Price) || price.Price < 0)
        {
            return false;
        }

        _prices[(r * d) + (int)price.Agent] = price.Price;
        _writer?.WriteDomainPrices(_placement.Resources[r].Name, _prices.AsSpan(r * d, d));
        return true;
    }

    /// <summary>The state after the latest solve.</summary>
    public PlacementSnapshot Snapshot() => new(
        _placement.Domains,
        _placement.Resources.Select(r => r.Name).ToList(),
        [.. _prices],
        [.. _loads],
        [.. _capacities],
        _scale,
        _lastThreads,
        [.. _perDomain],
        _solves,
        _unconverged,
        _overflow,
        _lastSeconds,
        _lastIterations,
        _lastStatus);

    private void Solve(AgentTable agents, long tick)
    {
        // The active threads: those still tracked, busiest first; the rest beyond the bound are counted.
        var active = new List<(int Tid, ulong Start, string Name, double Amount)>();
        foreach (var (tid, seen) in _window)
        {
            if (agents.Find(tid) is { } agent && agent.StartTime == seen.Start)
            {
                active.Add((tid, seen.Start, seen.Name, seen.Amount));
            }
        }

        _window.Clear();
        active.Sort(static (a, b) => b.Amount.CompareTo(a.Amount) is var c && c != 0 ? c : a.Tid.CompareTo(b.Tid));
        if (active.Count > _topThreads)
        {
            _overflow += active.Count - _topThreads;
            active.RemoveRange(_topThreads, active.Count - _topThreads);
        }

        var n = active.Count;
        var warm = new double[n];
        var current = new int[n];
        for (var i = 0; i < n; i++)
        {
            var known = _threads.TryGetValue(active[i].Tid, out var t) && t.StartTime == active[i].Start;
            warm[i] = known ? t!.AssignmentPrice : double.NaN;
            current[i] = known ? t!.Placed : -1;
        }

        var solution = _problem.Solve(n, _prices, warm);
        LastSolution = solution;
        _solves++;
        _solvedTick = tick;
        solution.Prices.CopyTo(_prices, 0);
        solution.Loads.CopyTo(_loads, 0);
        _capacities = solution.Capacities;
        _scale = solution.Scale;
        _lastThreads = n;
        _lastSeconds = solution.Elapsed.TotalSeconds;
        _lastIterations = solution.Result?.Iterations ?? 0;
        _lastStatus = solution.Result?.Status ?? _lastStatus;
        if (solution.Result is { Converged: false })
        {
            _unconverged++;
        }

        var d = _placement.DomainCount;
        if (_writer is not null)
        {
            for (var r = 0; r < _placement.Resources.Count; r++)
            {
                _writer.WriteDomainPrices(_placement.Resources[r].Name, _prices.AsSpan(r * d, d));
            }
        }

        var targets = _problem.Round(solution, current);
        _perDomain = new int[d];
        for (var i = 0; i < n; i++)
        {
            var (tid, start, name, amount) = active[i];
            if (!_threads.TryGetValue(tid, out var thread) || thread.StartTime != start)
            {
                thread = new ThreadPlacement(tid, start);
                _threads[tid] = thread;
            }

            thread.Name = name;
            thread.Amount = amount;
            thread.Rank = i;
            thread.Solve = _solves;
            thread.Target = targets[i];
            thread.Share = solution.Share(i, targets[i]);
            thread.AssignmentPrice = solution.AssignmentPrices[i];
            _perDomain[targets[i]]++;
        }

        // Threads the table forgot are dropped, except those pinned for real (restored at shutdown).
        List<int>? gone = null;
        foreach (var (tid, thread) in _threads)
        {
            if (thread.Solve != _solves)
            {
                // Not in this solve: a pending change must be seen again in consecutive solves.
                thread.Pending = -1;
                thread.PendingCount = 0;
            }

            if (!thread.Real && (agents.Find(tid) is not { } agent || agent.StartTime != thread.StartTime))
            {
                (gone ??= []).Add(tid);
            }
        }

        foreach (var tid in gone ?? [])
        {
            _threads.Remove(tid);
        }

        var result = solution.Result;
        _last = new SolverStepResult(result?.Iterations ?? 0, result?.PrimalResidual ?? 0, result?.DualResidual ?? 0);
    }

    /// <summary>What the placement knows of one thread.</summary>
    private sealed class ThreadPlacement(int tid, ulong startTime)
    {
        public int Tid { get; } = tid;

        public ulong StartTime { get; } = startTime;

        public string Name { get; set; } = string.Empty;

        public double Amount { get; set; }

        public int Rank { get; set; }

        public long Solve { get; set; }

        public int Target { get; set; } = -1;

        public double Share { get; set; }

        public double AssignmentPrice { get; set; } = double.NaN;

        /// <summary>The domain it is pinned to (or, unarmed, would be), or -1.</summary>
        public int Placed { get; set; } = -1;

        /// <summary>True when this daemon really changed its mask.</summary>
        public bool Real { get; set; }

        public int Pending { get; set; } = -1;

        public int PendingCount { get; set; }

        public bool Blocked { get; set; }

        public int[]? Original { get; set; }

        public int[]? Applied { get; set; }
    }
}
