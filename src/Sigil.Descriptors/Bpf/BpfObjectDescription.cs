using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The kernel-facing facts of a fibre's compiled eBPF object, once: what the build writes as the
/// descriptor file beside the object (<c>bpf/&lt;fibre&gt;.bpf.json</c>, <see cref="BpfDescriptorFile"/>)
/// and what the daemon, the CLI and the tests read back (<c>Sigil.Runtime.Bpf.BpfDescriptorReader</c>),
/// instead of rebuilding names from a convention or numbers from the fibre. Value-equatable.
/// </summary>
/// <param name="Format">The descriptor format's version (<see cref="BpfDescriptorFile.FormatVersion"/>).</param>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="ObjectFile">The object file name, e.g. <c>dwell.bpf.o</c>.</param>
/// <param name="AgentKey"><c>tgid</c>, <c>tid</c> or <c>tree</c>: what keys the agents.</param>
/// <param name="StateMap">Per-agent state map (u32 key).</param>
/// <param name="StatsMap">Per-CPU counters (one <c>struct sigil_stats</c>).</param>
/// <param name="ControlMap">The control map (one <c>struct sigil_control</c>).</param>
/// <param name="AllowMap">The allow-list: tgids never signalled.</param>
/// <param name="ScopeMap">The scope set: tgids sensed besides the control's target while sensing is scoped.</param>
/// <param name="EventsMap">The ring buffer of <c>struct sigil_event</c> records.</param>
/// <param name="WakeMap">The wake ring buffer (one byte per decision, to wake a waiting daemon), or null when the kernel makes no decision.</param>
/// <param name="PriceMap">The kernel price map (u32 key, s64 fixed-point value), or null when the kernel keeps no price.</param>
/// <param name="MembersMap">The process-tree members map (each process's agent), or null unless agents are process trees.</param>
/// <param name="PriceScaleBits">Binary digits after the point of every price the object holds or the daemon writes to its price maps.</param>
/// <param name="FixedPoint">The kernel price update's constants (the ones the Coq proofs state), or null without a kernel price.</param>
/// <param name="ThrottlePrice">The throttle price (fixed point), or null.</param>
/// <param name="KillPrice">The kill price (fixed point), or null.</param>
/// <param name="Programs">The programs' names, in object order.</param>
/// <param name="Maps">Every map the fibre declares, in header order, with its layout.</param>
/// <param name="Sources">The files the fibre was compiled from (source and tables) with their SHA-256; empty when unknown.</param>
public sealed record BpfObjectDescription(
    int Format,
    string Fibre,
    string ObjectFile,
    string AgentKey,
    string StateMap,
    string StatsMap,
    string ControlMap,
    string AllowMap,
    string ScopeMap,
    string EventsMap,
    string? WakeMap,
    string? PriceMap,
    string? MembersMap,
    int PriceScaleBits,
    FixedPointSpec? FixedPoint,
    long? ThrottlePrice,
    long? KillPrice,
    EquatableArray<string> Programs,
    EquatableArray<BpfMapDescription> Maps,
    EquatableArray<BpfSourceDigest> Sources);

/// <summary>One map of the object: name, type and layout. Value-equatable.</summary>
/// <param name="Name">The map's name in the object.</param>
/// <param name="Type">The kernel's map type, e.g. <c>BPF_MAP_TYPE_HASH</c>.</param>
/// <param name="MaxEntries">max_entries: entries, or bytes for a ring buffer (0 for task storage).</param>
/// <param name="Key">The key's C type, "" for a ring buffer.</param>
/// <param name="KeySize">The key's size in bytes, 0 for a ring buffer.</param>
/// <param name="Value">The value's C type, "" for a ring buffer.</param>
/// <param name="ValueSize">The value's size in bytes, 0 for a ring buffer.</param>
public sealed record BpfMapDescription(string Name, string Type, long MaxEntries, string Key, int KeySize, string Value, int ValueSize);

/// <summary>A file a fibre was compiled from and the SHA-256 of its text (UTF-8), lower-case hex. Value-equatable.</summary>
/// <param name="Path">The path relative to the fibre's folder (the source's file name, or a table's path).</param>
/// <param name="Sha256">64 lower-case hex digits.</param>
public sealed record BpfSourceDigest(string Path, string Sha256);
