using System.Collections.Generic;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The view model of a behaviour program (<c>templates/bpf/behaviour.bpf.c.scriban</c>): agents that
/// are process trees, file events with per-file facts, and one kernel price over a weighted row.
/// </summary>
internal sealed class BpfBehaviourModel
{
    public string Resource { get; init; } = "";

    public string PriceMap { get; init; } = "";

    public int ScaleBits { get; init; }

    public string CoupleStatement { get; init; } = "";

    public string SolveStatement { get; init; } = "";

    public string KillStatement { get; init; } = "";

    public string FreezeStatement { get; init; } = "";

    public string MemberMap { get; init; } = "";

    public string MemberStruct { get; init; } = "";

    public string BoundaryMap { get; init; } = "";

    public string FileMap { get; init; } = "";

    public string FileKeyStruct { get; init; } = "";

    /// <summary>Task storage: each task's agent and the last settled file it met.</summary>
    public string TaskMap { get; init; } = "";

    public string TaskStruct { get; init; } = "";

    public string ClassMap { get; init; } = "";

    public string ExeKeyStruct { get; init; } = "";

    /// <summary>cgroup ids (v2) with a class weight; a cgroup's class covers its descendants.</summary>
    public string CgroupClassMap { get; init; } = "";

    /// <summary>Executables whose processes are never signalled nor frozen.</summary>
    public string AllowExeMap { get; init; } = "";

    /// <summary>cgroup ids (v2) whose processes, and their descendants', are never signalled nor frozen.</summary>
    public string AllowCgroupMap { get; init; } = "";

    /// <summary>True when the fibre gives a cgroup a class: every event then looks its cgroup up.</summary>
    public bool HasCgroupClasses { get; init; }

    /// <summary>The file events some sensor of the priced row reads, in catalogue order.</summary>
    public IReadOnlyList<BpfFileEventModel> Events { get; init; } = new List<BpfFileEventModel>();

    public bool HasWrite { get; init; }

    public bool HasFill { get; init; }

    public bool HasOverwrite { get; init; }

    public bool HasTruncate { get; init; }

    public bool HasRemove { get; init; }
}

/// <summary>One file event and the row terms it loads.</summary>
internal sealed class BpfFileEventModel
{
    public string Name { get; init; } = "";

    public string Meaning { get; init; } = "";

    /// <summary>The number reported in events: the first sensor (in fibre order) that reads it.</summary>
    public int Number { get; init; }

    public IReadOnlyList<BpfTermModel> Terms { get; init; } = new List<BpfTermModel>();
}

/// <summary>A sensed variable's term: amount * weight >> shift is added to the price.</summary>
internal sealed class BpfTermModel
{
    public string Statement { get; init; } = "";

    public string Variable { get; init; } = "";

    /// <summary>The tunable holding step * coefficient (per unit of the variable), fixed point.</summary>
    public string Weight { get; init; } = "";

    /// <summary>log2 of the event amounts per unit of the variable (bytes per MiB: 20).</summary>
    public int Shift { get; init; }
}
