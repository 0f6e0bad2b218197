namespace Sigil.Runtime.Enforcement;

/// <summary>What an actuator does to a process.</summary>
public enum ActionKind
{
    /// <summary>Move the process into the throttled cgroup.</summary>
    Throttle,

    /// <summary>Move a throttled process back where it came from.</summary>
    Release,

    /// <summary>SIGTERM, then SIGKILL after the grace period.</summary>
    Kill,

    /// <summary>Set the task's CPU affinity.</summary>
    Affinity,

    /// <summary>Freeze the agent's processes in a cgroup of their own (cgroup v2 freezer), until thawed.</summary>
    Freeze,
}
