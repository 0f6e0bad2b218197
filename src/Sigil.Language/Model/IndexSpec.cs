namespace Sigil.Language.Model;

/// <summary>How the members of an index set are known.</summary>
public enum IndexKind
{
    /// <summary>Members appear at run time, keyed in the kernel (a tgid, a tid, a cpu).</summary>
    Dynamic,

    /// <summary>Members are the rows of a data table, named by its first column.</summary>
    Table,

    /// <summary>Members are the integers of a closed range.</summary>
    Range,
}

/// <summary>The kernel id that keys a dynamic index set.</summary>
public enum KernelKey
{
    /// <summary>Not a dynamic index.</summary>
    None,

    /// <summary>The process (thread-group) id, <c>tgid</c>; written <c>pid</c> in sigil.</summary>
    Pid,

    /// <summary>The thread id.</summary>
    Tid,

    /// <summary>The CPU number.</summary>
    Cpu,

    /// <summary>
    /// A process tree: the tgid of its root. A process forked after load joins its parent's tree
    /// (unless the parent is a boundary), so a new process per file does not shed the agent.
    /// </summary>
    Tree,
}

/// <summary>An index set (<c>index task by pid;</c>). Value-equatable.</summary>
/// <param name="Name">Validated identifier.</param>
/// <param name="Kind">How members are known.</param>
/// <param name="Key">The kernel key of a dynamic index, else <see cref="KernelKey.None"/>.</param>
/// <param name="Capacity">Most members at once: the kernel maps' size for a dynamic index, the member count otherwise.</param>
/// <param name="Table">The table of a <see cref="IndexKind.Table"/> index, else null.</param>
/// <param name="Members">Member names of a static index, in order; empty for a dynamic index.</param>
public sealed record IndexSpec(
    string Name,
    IndexKind Kind,
    KernelKey Key,
    int Capacity,
    string? Table,
    EquatableArray<string> Members);
