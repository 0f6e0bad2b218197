namespace Sigil.Language.Model;

/// <summary>What a kernel sensor measures.</summary>
public enum SensorKind
{
    /// <summary>Time between an opening and a closing event with the same key (<c>span(open, close)</c>).</summary>
    Span,

    /// <summary>On-CPU time from <c>sched:sched_switch</c> (<c>oncpu(sched:sched_switch)</c>).</summary>
    OnCpu,

    /// <summary>Number of events (<c>count(tp)</c>).</summary>
    Count,

    /// <summary>
    /// Distinct files per agent that file events touched (<c>files(file:overwrite, file:remove)</c>):
    /// each file counts once per agent. A rate, drained over time by the row's budget.
    /// </summary>
    Files,

    /// <summary>The bytes a size-carrying file event moved (<c>bytes(file:write)</c>), summed per agent.</summary>
    Bytes,
}

/// <summary>A tracepoint, <c>category:event</c>; both parts validated identifiers.</summary>
/// <param name="Category">Tracepoint category, e.g. <c>syscalls</c>.</param>
/// <param name="Event">Event name, e.g. <c>sys_enter_openat</c>.</param>
public sealed record TracepointSpec(string Category, string Event);

/// <summary>A kernel sensor for a sensed load (<c>sense $hold[t] &lt;- span(...) key (pid, fd);</c>). Value-equatable.</summary>
/// <param name="Variable">The variable family it senses.</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Tracepoints">Tracepoints, in the order written (opening first for a span).</param>
/// <param name="Keys">Key fields (<c>pid</c>, <c>tid</c>, <c>fd</c>, <c>cpu</c>).</param>
/// <param name="NanosecondsPerUnit">How many kernel nanoseconds one unit of the variable is (1e9 for seconds); 0 for counts; for a
/// <see cref="SensorKind.Files"/> or <see cref="SensorKind.Bytes"/> rate, the nanoseconds of its time unit (1e9 for <c>files/s</c>).</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record SensorSpec(
    string Variable,
    SensorKind Kind,
    EquatableArray<TracepointSpec> Tracepoints,
    EquatableArray<string> Keys,
    double NanosecondsPerUnit,
    string Statement);
