using System;
using System.Collections.Generic;

namespace Sigil.Runtime.State;

/// <summary>
/// What a daemon keeps across restarts: the prices it holds per agent and its counters, with the
/// sequence number of the checkpoint. Agents are identified by id and start time, so that a price
/// is never restored onto an unrelated process that reused the id.
/// </summary>
/// <param name="Fibre">The fibre the state belongs to.</param>
/// <param name="Sequence">Checkpoint number, increasing by one per save over the daemon's life.</param>
/// <param name="SavedAtUnixMilliseconds">Wall-clock time of the save.</param>
/// <param name="Prices">Prices per resource and agent, sorted by resource then agent.</param>
/// <param name="Counters">Counter totals by name, sorted by name.</param>
/// <param name="Throttled">
/// The processes in the throttled cgroup with the cgroup each came from, sorted by agent, so that
/// a daemon restarted after a crash releases them where they were (null in older checkpoints).
/// </param>
/// <param name="Pinned">
/// The threads a placement pinned, with the CPUs each had before and the CPUs it was given, sorted
/// by thread, so that a daemon restarted after a crash still puts the original masks back (null in
/// older checkpoints and for other fibres).
/// </param>
public sealed record DaemonState(
    string Fibre,
    long Sequence,
    long SavedAtUnixMilliseconds,
    IReadOnlyList<PriceState> Prices,
    IReadOnlyList<CounterState> Counters,
    IReadOnlyList<ThrottleOrigin>? Throttled = null,
    IReadOnlyList<PinnedThread>? Pinned = null)
{
    /// <summary>Empty state of <paramref name="fibre"/>.</summary>
    public static DaemonState Empty(string fibre) => new(fibre, 0, 0, Array.Empty<PriceState>(), Array.Empty<CounterState>());
}

/// <summary>The price of one resource for one agent.</summary>
/// <param name="Resource">The resource name.</param>
/// <param name="Agent">The agent id (a tgid for a pid-keyed index; 0 for a shared resource).</param>
/// <param name="StartTime">The agent's start time in clock ticks since boot (from <c>/proc/&lt;pid&gt;/stat</c>), 0 when not a process.</param>
/// <param name="Price">The price.</param>
public sealed record PriceState(string Resource, long Agent, ulong StartTime, double Price);

/// <summary>A throttled process and the cgroup it was moved from.</summary>
/// <param name="Agent">The process id.</param>
/// <param name="StartTime">Its start time in clock ticks since boot (a reused id is not the same process).</param>
/// <param name="Cgroup">Its cgroup before the throttle, relative to the cpu hierarchy's mount (e.g. <c>/user.slice</c>).</param>
public sealed record ThrottleOrigin(long Agent, ulong StartTime, string Cgroup);

/// <summary>A thread a placement pinned.</summary>
/// <param name="Agent">The thread id.</param>
/// <param name="StartTime">Its start time in clock ticks since boot.</param>
/// <param name="Original">The CPUs it was allowed before the daemon's first change.</param>
/// <param name="Applied">The CPUs the daemon gave it.</param>
public sealed record PinnedThread(long Agent, ulong StartTime, IReadOnlyList<int> Original, IReadOnlyList<int> Applied);

/// <summary>A counter's total.</summary>
/// <param name="Name">Counter name.</param>
/// <param name="Value">Total.</param>
public sealed record CounterState(string Name, double Value);
