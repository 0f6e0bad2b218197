using System.Collections.Generic;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// The names and defaults of one fibre's eBPF object, as the compiler generated it
/// (<c>&lt;Fibre&gt;Bpf.Descriptor</c>): enough for <see cref="BpfFibre"/> to open, configure and
/// read it without knowing the fibre.
/// </summary>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="ObjectFile">The object file name, e.g. <c>dwell.bpf.o</c>.</param>
/// <param name="AgentKey"><c>tgid</c> or <c>tid</c>: what keys the agents.</param>
/// <param name="StateMap">Per-agent state map (u32 key).</param>
/// <param name="StatsMap">Per-CPU <see cref="SigilStats"/> (one entry).</param>
/// <param name="ControlMap">The <see cref="SigilControl"/> (one entry).</param>
/// <param name="AllowMap">The allow-list: tgids never signalled.</param>
/// <param name="ScopeMap">The scope set: tgids sensed besides the control's target while sensing is scoped.</param>
/// <param name="EventsMap">The ring buffer of <see cref="SigilEvent"/> records.</param>
/// <param name="WakeMap">The wake ring buffer (one byte per decision, to wake a waiting daemon), or null when the kernel makes no decision.</param>
/// <param name="PriceMap">The kernel price map (u32 key, s64 fixed-point value), or null when the kernel keeps no price.</param>
/// <param name="FixedPoint">The default fixed-point parameters, or null without a kernel price.</param>
/// <param name="ThrottlePrice">The default throttle price (fixed point), or null.</param>
/// <param name="KillPrice">The default kill price (fixed point), or null.</param>
/// <param name="Programs">The programs' names.</param>
public sealed record BpfFibreDescriptor(
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
    FixedPointParameters? FixedPoint,
    long? ThrottlePrice,
    long? KillPrice,
    IReadOnlyList<string> Programs);
