namespace Sigil.Cli;

/// <summary>The sigil command's exit codes.</summary>
internal static class CliExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: diagnostics with errors, a bad argument, a malformed file.</summary>
    public const int BadInput = 1;

    /// <summary>The environment is not fit: privileges, mounts, cgroups, a port in use.</summary>
    public const int Environment = 2;

    /// <summary>A run failed (the daemon loop, a workload, the demo's expected outcome).</summary>
    public const int Failed = 3;

    /// <summary>The fibre has a shape the command does not handle ("not available yet: ..." names what it lacks).</summary>
    public const int NotAvailable = 4;
}
