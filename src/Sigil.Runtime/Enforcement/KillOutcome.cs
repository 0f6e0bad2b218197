namespace Sigil.Runtime.Enforcement;

/// <summary>How a kill ended.</summary>
public enum KillOutcome
{
    /// <summary>The process exited within the grace period after SIGTERM.</summary>
    Terminated,

    /// <summary>The process ignored SIGTERM for the grace period and was sent SIGKILL.</summary>
    Killed,

    /// <summary>The process was gone (or its pid reused) before the first signal.</summary>
    AlreadyGone,
}
