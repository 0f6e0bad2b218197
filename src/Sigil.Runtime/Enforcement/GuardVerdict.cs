namespace Sigil.Runtime.Enforcement;

/// <summary>Why the guard refused a process.</summary>
public enum RefusalReason
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>Pid 1 (init) or a pid below it.</summary>
    Init,

    /// <summary>The daemon's own process.</summary>
    Self,

    /// <summary>A kernel thread (PF_KTHREAD set, or no executable).</summary>
    KernelThread,

    /// <summary>On the allow-list, by pid or by command name.</summary>
    AllowListed,

    /// <summary>No such process (it exited, or its pid was reused).</summary>
    NotFound,
}

/// <summary>The guard's answer for one process: a target when allowed, else the reason.</summary>
/// <param name="Target">The target, when allowed.</param>
/// <param name="Reason">The refusal reason, <see cref="RefusalReason.None"/> when allowed.</param>
/// <param name="Detail">A sentence for logs.</param>
public sealed record GuardVerdict(ProcessTarget? Target, RefusalReason Reason, string Detail)
{
    /// <summary>True when the action may proceed.</summary>
    public bool IsAllowed => Target is not null;
}
