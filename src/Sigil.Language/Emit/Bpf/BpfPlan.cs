using System.Collections.Generic;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// What the eBPF backend decided for one fibre: the template view model, the fibre's own struct
/// layouts and the names and defaults the C# mirror needs. Built once by
/// <see cref="BpfModelBuilder"/>; the C emitter and the C# emitter both read it, which is what
/// keeps the two sides of every layout and name in agreement.
/// </summary>
internal sealed class BpfPlan
{
    public BpfFibreModel Model { get; init; } = new();

    /// <summary>The fibre's own structs (keys, state, spans), after the common ones in the header.</summary>
    public IReadOnlyList<BpfStructLayout> FibreStructs { get; init; } = new List<BpfStructLayout>();

    /// <summary>Tunables with their C# names and default values.</summary>
    public IReadOnlyList<BpfTunablePlan> Tunables { get; init; } = new List<BpfTunablePlan>();

    public string PriceMap { get; init; } = "";

    public string StateMap { get; init; } = "";

    public string AgentKey { get; init; } = "";

    /// <summary>The scale of the prices the object holds or the daemon writes to its price maps.</summary>
    public int ScaleBits { get; init; }

    public long? ThrottlePrice { get; init; }

    public long? KillPrice { get; init; }
}

/// <summary>A <c>const volatile</c> tunable: C name and type, C# name, default.</summary>
internal sealed class BpfTunablePlan
{
    public string CName { get; init; } = "";

    public string CSharpName { get; init; } = "";

    public BpfScalarType Type { get; init; }

    public long Value { get; init; }

    public string Comment { get; init; } = "";
}
