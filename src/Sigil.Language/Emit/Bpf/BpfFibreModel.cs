using System.Linq;
using System.Collections.Generic;

namespace Sigil.Language.Emit.Bpf;

// The view models the templates in templates/bpf receive. Every string here is final C text:
// identifiers checked by BpfNames, comments escaped by BpfNames.CommentText, numbers formatted
// by BpfNames.CLiteral. The templates only place them.

/// <summary>Everything <c>fibre.bpf.c.scriban</c> and <c>fibre.h.scriban</c> render for one fibre.</summary>
internal sealed class BpfFibreModel
{
    public string Fibre { get; init; } = "";

    public string SourceFile { get; init; } = "";

    public string SourceName => $"{Fibre}.bpf.c";

    public string HeaderName => $"{Fibre}.h";

    public string ObjectName => $"{Fibre}.bpf.o";

    public string HeaderGuard => $"SIGIL_{BpfNames.ToUpperSnake(Fibre)}_H";

    public IReadOnlyList<string> Summary { get; init; } = new List<string>();

    public IReadOnlyList<BpfEnumModel> Enums { get; init; } = new List<BpfEnumModel>();

    public IReadOnlyList<BpfStructModel> Structs { get; init; } = new List<BpfStructModel>();

    public IReadOnlyList<BpfTunableModel> Tunables { get; init; } = new List<BpfTunableModel>();

    public IReadOnlyList<BpfMapModel> Maps { get; init; } = new List<BpfMapModel>();

    /// <summary>The maps every program has; the templates read them by role below.</summary>
    public CommonMaps Common { get; init; } = new("", "", "", "", "", "");

    public string StatsMap => Common.Stats;

    public string ControlMap => Common.Control;

    public string AllowMap => Common.Allow;

    public string ScopeMap => Common.Scope;

    public string EventsMap => Common.Events;

    public string WakeMap => Common.Wake;

    public BpfAgentModel Agent { get; init; } = new();

    public IReadOnlyList<BpfSensorModel> Sensors { get; init; } = new List<BpfSensorModel>();

    public IReadOnlyList<BpfSensorModel> SpanSensors { get; init; } = new List<BpfSensorModel>();

    /// <summary>Whether a kernel timer charges open spans (a priced span sensor).</summary>
    public bool HasHoldTimer => SpanSensors.Any(static s => s.HasHoldTimer);

    public BpfPriceModel? Price { get; init; }

    /// <summary>Set for a behaviour program (process-tree agents, file events); the template differs.</summary>
    public BpfBehaviourModel? Behaviour { get; init; }

    /// <summary>Every program: section and name, for the empty-program baseline.</summary>
    public IReadOnlyList<BpfProgramModel> Programs { get; init; } = new List<BpfProgramModel>();

    /// <summary>Prices exported by name but kept by the daemon (not updated in the kernel).</summary>
    public IReadOnlyList<BpfExportedPriceModel> DaemonPrices { get; init; } = new List<BpfExportedPriceModel>();
}

internal sealed class BpfEnumModel
{
    public string CName { get; init; } = "";

    public string Comment { get; init; } = "";

    public IReadOnlyList<BpfConstantModel> Members { get; init; } = new List<BpfConstantModel>();
}

internal sealed class BpfConstantModel
{
    public string CName { get; init; } = "";

    public string Value { get; init; } = "";

    public string Comment { get; init; } = "";
}

internal sealed class BpfStructModel
{
    public string CName { get; init; } = "";

    public string Comment { get; init; } = "";

    public int Size { get; init; }

    public IReadOnlyList<string> Lines { get; init; } = new List<string>();
}

internal sealed class BpfTunableModel
{
    public string CType { get; init; } = "";

    public string Name { get; init; } = "";

    public string Value { get; init; } = "";

    public string Comment { get; init; } = "";
}

internal sealed class BpfMapModel
{
    public string Name { get; init; } = "";

    public string Comment { get; init; } = "";

    /// <summary>The map type, e.g. <c>BPF_MAP_TYPE_HASH</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>max_entries: entries, or bytes for a ring buffer.</summary>
    public long MaxEntries { get; init; }

    /// <summary>The key's C type, "" for a ring buffer.</summary>
    public string Key { get; init; } = "";

    /// <summary>The value's C type, "" for a ring buffer.</summary>
    public string Value { get; init; } = "";

    public IReadOnlyList<string> Attributes { get; init; } = new List<string>();
}

/// <summary>The agent: the dynamic index the sensors key their state by.</summary>
internal sealed class BpfAgentModel
{
    /// <summary>The index set's name, e.g. <c>task</c>.</summary>
    public string Index { get; init; } = "";

    /// <summary>True when keyed by process (tgid), false when by thread (tid).</summary>
    public bool IsProcess { get; init; }

    /// <summary><c>tgid</c> or <c>tid</c>: the key field's name in span keys.</summary>
    public string KeyField { get; init; } = "";

    /// <summary>The key from <c>struct task_struct *task = bpf_get_current_task_btf()</c>.</summary>
    public string KeyExpr { get; init; } = "";

    /// <summary>The start time path from a <c>struct task_struct *</c>.</summary>
    public string StartTimePath { get; init; } = "";

    public string StateStruct { get; init; } = "";

    public string StateMap { get; init; } = "";

    public string Noun { get; init; } = "";
}

/// <summary>One sensor: the handlers it needs and the state fields it writes.</summary>
internal sealed class BpfSensorModel
{
    public int Number { get; set; }

    public string Variable { get; set; } = "";

    public string Statement { get; set; } = "";

    public bool IsSpan { get; set; }

    public bool IsOnCpu { get; set; }

    public bool IsCount { get; set; }

    public bool IsPriced { get; set; }

    public string Unit { get; set; } = "";

    public string OpenEnter { get; set; } = "";

    public string OpenExit { get; set; } = "";

    public string CloseEnter { get; set; } = "";

    public string Category { get; set; } = "";

    public string Event { get; set; } = "";

    public string KeyStruct { get; set; } = "";

    public string SpanStruct { get; set; } = "";

    public string PendingStruct { get; set; } = "";

    public string OpenMap { get; set; } = "";

    public string PendingMap { get; set; } = "";

    public string CpuMap { get; set; } = "";

    public string LastField { get; set; } = "";

    public string TotalField { get; set; } = "";

    public string SamplesField { get; set; } = "";

    public string FdBoundField { get; set; } = "";

    public string StateStruct { get; set; } = "";

    public string StateMap { get; set; } = "";

    public string KeyField { get; set; } = "";

    public string KeyExpr { get; set; } = "";

    /// <summary>A priced span: a kernel timer charges its open spans while they stay open.</summary>
    public bool HasHoldTimer { get; set; }

    public string TickMap { get; set; } = "";
}

/// <summary>The price the kernel keeps, and the actions on it.</summary>
internal sealed class BpfPriceModel
{
    public string Map { get; init; } = "";

    public string Resource { get; init; } = "";

    public string CoupleStatement { get; init; } = "";

    public string SolveStatement { get; init; } = "";

    public BpfActionModel? Throttle { get; init; }

    public BpfActionModel? Kill { get; init; }

    public bool HasActions => Throttle is not null || Kill is not null;
}

internal sealed class BpfActionModel
{
    public string Statement { get; init; } = "";

    public string Tunable { get; init; } = "";
}

internal sealed class BpfProgramModel
{
    public string Section { get; init; } = "";

    public string Name { get; init; } = "";

    public string Context { get; init; } = "";
}

internal sealed class BpfExportedPriceModel
{
    public string Map { get; init; } = "";

    public string Resource { get; init; } = "";
}
