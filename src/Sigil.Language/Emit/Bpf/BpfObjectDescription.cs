using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// What a fibre's eBPF object holds, by name, and its compiled-in defaults: the facts the
/// generated <c>&lt;Fibre&gt;Bpf.Descriptor</c> carries, for tools that compile a fibre at run
/// time instead of through the generator. Value-equatable.
/// </summary>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="ObjectFile">The object file name, e.g. <c>dwell.bpf.o</c>.</param>
/// <param name="AgentKey"><c>tgid</c> or <c>tid</c>.</param>
/// <param name="StateMap">Per-agent state map.</param>
/// <param name="StatsMap">Per-CPU counters.</param>
/// <param name="ControlMap">The control map.</param>
/// <param name="AllowMap">The allow-list.</param>
/// <param name="ScopeMap">The scope set: tgids sensed besides the control's target while sensing is scoped.</param>
/// <param name="EventsMap">The ring buffer.</param>
/// <param name="WakeMap">The wake ring buffer (one byte per decision, to wake a waiting daemon), or null when the kernel makes no decision.</param>
/// <param name="PriceMap">The kernel price map, or null.</param>
/// <param name="FixedPoint">The kernel price update's parameters, or null without a kernel price.</param>
/// <param name="ThrottlePrice">Default throttle price (fixed point), or null.</param>
/// <param name="KillPrice">Default kill price (fixed point), or null.</param>
/// <param name="Programs">Program names, in object order.</param>
public sealed record BpfObjectDescription(
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
    FixedPointSpec? FixedPoint,
    long? ThrottlePrice,
    long? KillPrice,
    EquatableArray<string> Programs);
