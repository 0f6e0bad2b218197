using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The layouts every fibre's eBPF object shares: the control map's value, the per-CPU counters
/// and the ring buffer event, with the event kinds and control flags. They are written into each
/// <c>&lt;fibre&gt;.h</c> and, once, into the runtime's C# mirror
/// (<c>Sigil.Runtime/Bpf/SigilBpfLayouts.g.cs</c>, see <see cref="BpfEmitter.EmitCommonCSharp"/>),
/// so the daemon reads every fibre's control, counters and events with one set of types.
/// </summary>
public static class BpfCommonLayouts
{
    /// <summary>
    /// <c>struct sigil_control</c>: the control map's only value. Zero means disarmed, no scope
    /// and the compiled-in thresholds.
    /// </summary>
    public static BpfStructLayout Control { get; } = new BpfLayoutBuilder("sigil_control", "the control map's value: set by the daemon, read by every program")
        .Add("armed", BpfScalarType.U32, "non-zero: the programs may signal (kill); zero: dry run")
        .Add("daemon_tgid", BpfScalarType.U32, "the daemon's tgid: never signalled; arming needs it")
        .Add("target_tgid", BpfScalarType.U32, "non-zero: sense only this process and the scope set, filter the rest")
        .Add("flags", BpfScalarType.U32, "enum sigil_control_flags")
        .Add("throttle_price", BpfScalarType.S64, "fixed point; zero: the compiled-in default")
        .Add("kill_price", BpfScalarType.S64, "fixed point; zero: the compiled-in default")
        .Build();

    /// <summary>
    /// <c>struct sigil_stats</c>: per-CPU counters. Every program run counts once in
    /// <c>seen</c> and once in exactly one of <c>processed</c>, <c>filtered</c>, <c>dropped</c>;
    /// the other counters say why.
    /// </summary>
    public static BpfStructLayout Stats { get; } = new BpfLayoutBuilder("sigil_stats", "per-CPU counters; seen = processed + filtered + dropped")
        .Add("seen", BpfScalarType.U64, "program runs")
        .Add("processed", BpfScalarType.U64, "runs whose event was fully recorded")
        .Add("filtered", BpfScalarType.U64, "runs ignored: out of scope, no matching open, failed call, stale")
        .Add("dropped", BpfScalarType.U64, "runs that lost something: ring buffer or map full, contention")
        .Add("samples", BpfScalarType.U64, "load samples recorded")
        .Add("price_updates", BpfScalarType.U64, "kernel price updates")
        .Add("throttles", BpfScalarType.U64, "prices that rose to the throttle price")
        .Add("releases", BpfScalarType.U64, "prices that fell below the throttle price")
        .Add("kills", BpfScalarType.U64, "SIGKILLs sent")
        .Add("kills_suppressed", BpfScalarType.U64, "kill prices reached while disarmed or protected")
        .Add("exits", BpfScalarType.U64, "agents cleaned up at exit")
        .Add("stale", BpfScalarType.U64, "opens left by an earlier process with the same key")
        .Add("ring_full", BpfScalarType.U64, "events lost to a full ring buffer")
        .Add("map_full", BpfScalarType.U64, "entries lost to a full map")
        .Add("contended", BpfScalarType.U64, "price updates lost to concurrent updates")
        .Build();

    /// <summary><c>struct sigil_event</c>: one ring buffer record.</summary>
    public static BpfStructLayout Event { get; } = new BpfLayoutBuilder("sigil_event", "a ring buffer record the daemon must see")
        .Add("ts_ns", BpfScalarType.U64, "bpf_ktime_get_ns() (CLOCK_MONOTONIC)")
        .Add("kind", BpfScalarType.U32, "enum sigil_event_kind")
        .Add("tgid", BpfScalarType.U32, "process")
        .Add("tid", BpfScalarType.U32, "thread")
        .Add("fd", BpfScalarType.S32, "file descriptor of a span, else -1")
        .Add("load_ns", BpfScalarType.U64, "the sample, in kernel nanoseconds (or a count)")
        .Add("price", BpfScalarType.S64, "the agent's price after the update, fixed point")
        .Add("sensor", BpfScalarType.U32, "the sensor's number, in fibre order")
        .Add("cpu", BpfScalarType.U32, "the CPU it ran on")
        .Add("comm", BpfScalarType.Char, "the task's command name", 16)
        .Build();

    /// <summary><c>enum sigil_event_kind</c>.</summary>
    public static BpfEnumLayout EventKind { get; } = new(
        "sigil_event_kind",
        "SigilEventKind",
        IsFlags: false,
        EquatableArray.Create(
            new BpfConstant("SIGIL_EVENT_SAMPLE", "Sample", 1, "a load sample (only with SIGIL_CONTROL_SAMPLES)"),
            new BpfConstant("SIGIL_EVENT_THROTTLE", "Throttle", 2, "the price rose to the throttle price: the daemon throttles"),
            new BpfConstant("SIGIL_EVENT_RELEASE", "Release", 3, "the price fell below the throttle price: the daemon releases"),
            new BpfConstant("SIGIL_EVENT_KILL", "Kill", 4, "the program sent SIGKILL"),
            new BpfConstant("SIGIL_EVENT_KILL_SUPPRESSED", "KillSuppressed", 5, "the kill price was reached while disarmed or protected"),
            new BpfConstant("SIGIL_EVENT_EXIT", "Exit", 6, "the agent exited; its state is gone"),
            new BpfConstant("SIGIL_EVENT_FREEZE", "Freeze", 7, "the program stopped the process (SIGSTOP) at the freeze price: the daemon freezes its agent"),
            new BpfConstant("SIGIL_EVENT_FREEZE_SUPPRESSED", "FreezeSuppressed", 8, "the freeze price was reached while disarmed or protected")),
        "what a ring buffer record reports");

    /// <summary><c>enum sigil_control_flags</c>.</summary>
    public static BpfEnumLayout ControlFlags { get; } = new(
        "sigil_control_flags",
        "SigilControlFlags",
        IsFlags: true,
        EquatableArray.Create(
            new BpfConstant("SIGIL_CONTROL_SAMPLES", "Samples", 1, "send every load sample to the ring buffer")),
        "bits of sigil_control.flags");

    /// <summary>The shared structs, in header order.</summary>
    public static EquatableArray<BpfStructLayout> Structs { get; } = EquatableArray.Create(Control, Stats, Event);

    /// <summary>The shared enums, in header order.</summary>
    public static EquatableArray<BpfEnumLayout> Enums { get; } = EquatableArray.Create(EventKind, ControlFlags);
}
