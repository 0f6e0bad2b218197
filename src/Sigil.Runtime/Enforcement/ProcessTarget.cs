namespace Sigil.Runtime.Enforcement;

/// <summary>
/// A process that passed <see cref="ProcessGuard"/>: the only kind of argument the throttler, the
/// killer and the affinity setter accept. Only the guard creates one, so every action on a
/// process goes through the guard's checks. The start time pins the identity: an action verifies
/// it again before touching the process, so a reused pid is never hit.
/// </summary>
public sealed class ProcessTarget
{
    internal ProcessTarget(int pid, int tgid, ulong startTime, string comm)
    {
        Pid = pid;
        Tgid = tgid;
        StartTime = startTime;
        Comm = comm;
    }

    /// <summary>The task id the action is for (a tgid for process agents, a tid for thread agents).</summary>
    public int Pid { get; }

    /// <summary>The thread group (process) the task belongs to.</summary>
    public int Tgid { get; }

    /// <summary>Start time in clock ticks after boot, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    public ulong StartTime { get; }

    /// <summary>The command name.</summary>
    public string Comm { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Pid} ({Comm})";
}
