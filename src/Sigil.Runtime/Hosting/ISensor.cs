using System;
using System.Collections.Generic;

namespace Sigil.Runtime.Hosting;

/// <summary>Event counters of a sensor: what it saw, used, filtered out and lost. Totals since it started.</summary>
/// <param name="Seen">Events (or file descriptors) examined.</param>
/// <param name="Processed">Events that produced a load sample.</param>
/// <param name="Filtered">Events ignored by design (not a regular file, not in scope).</param>
/// <param name="Dropped">Events lost (ring buffer full, process unreadable).</param>
/// <param name="LostUpdates">Kernel price updates given up after the compare-and-swap retry lost every attempt (0 for sensors without a kernel price).</param>
public readonly record struct SensorCounters(ulong Seen, ulong Processed, ulong Filtered, ulong Dropped, ulong LostUpdates = 0);

/// <summary>What a sensor observed of one agent since its previous frame.</summary>
/// <param name="Agent">The agent id: a tgid (pid-keyed index) or a tid.</param>
/// <param name="StartTime">The agent's start time in clock ticks after boot; with the id it names one process.</param>
/// <param name="Name">The command name.</param>
/// <param name="Completed">Loads completed since the previous frame, in the variable's unit (for dwell: seconds each closed file was held).</param>
/// <param name="KernelPrice">The price the kernel holds for the agent, when the kernel keeps prices.</param>
public sealed record AgentObservation(int Agent, ulong StartTime, string Name, IReadOnlyList<double> Completed, double? KernelPrice = null);

/// <summary>One reading of a sensor.</summary>
/// <param name="Variable">The sensed variable family.</param>
/// <param name="Agents">Agents with something to report.</param>
/// <param name="Counters">The sensor's totals.</param>
public sealed record SensorFrame(string Variable, IReadOnlyList<AgentObservation> Agents, SensorCounters Counters)
{
    /// <summary>
    /// Set by a sensor that reports in windows (the placement sensors: on-CPU time per thread over
    /// the placement period) on the frame that closes one: the window's length. Null otherwise.
    /// </summary>
    public TimeSpan? Window { get; init; }

    /// <summary>
    /// What the kernel decided by itself since the previous frame (kills at a damaging event, and
    /// the kills it would have made while disarmed or for a protected process), one entry per
    /// agent and kind, in the order they first happened. Empty for sensors that decide nothing.
    /// </summary>
    public IReadOnlyList<KernelDecision> Decisions { get; init; } = [];
}

/// <summary>What the kernel did (or would have done) about one agent in one frame.</summary>
/// <param name="Kind">Kill or freeze.</param>
/// <param name="Done">True when carried out; false when the kernel was disarmed or the process protected.</param>
/// <param name="Agent">The agent: the root tgid of a process tree, or the process.</param>
/// <param name="Process">The last process the kernel acted on.</param>
/// <param name="Name">That process's command name.</param>
/// <param name="Price">The agent's price at the decision.</param>
/// <param name="Count">How many damaging events it met in the frame (each one a decision).</param>
/// <param name="TimestampNs">The first decision's kernel time (CLOCK_MONOTONIC, nanoseconds).</param>
public sealed record KernelDecision(Enforcement.ActionKind Kind, bool Done, int Agent, int Process, string Name, double Price, int Count, ulong TimestampNs);

/// <summary>A source of sensed loads, read once per daemon tick.</summary>
public interface ISensor : IDisposable
{
    /// <summary>Short name for metrics and logs: <c>kernel</c>, <c>procfs</c>.</summary>
    string Name { get; }

    /// <summary>What it measures, for the start-up log.</summary>
    string Description { get; }

    /// <summary>Reads what happened since the previous call.</summary>
    SensorFrame Sense();
}
