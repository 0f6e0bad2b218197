using System;

namespace Sigil.Runtime.Enforcement;

/// <summary>How the enforcer acts.</summary>
/// <param name="KillGrace">Time between SIGTERM and SIGKILL.</param>
public sealed record EnforcerSettings(TimeSpan KillGrace)
{
    /// <summary>Two seconds of grace.</summary>
    public static EnforcerSettings Default { get; } = new(TimeSpan.FromSeconds(2));
}
