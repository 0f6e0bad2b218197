namespace Sigil.Runtime.Hosting;

/// <summary>The daemon's process exit codes.</summary>
public static class DaemonExitCodes
{
    /// <summary>Stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: options, configuration, the fibre.</summary>
    public const int BadInput = 1;

    /// <summary>The environment is not fit (privileges, mounts, cgroups, a port in use); nothing was armed.</summary>
    public const int Environment = 2;

    /// <summary>The running loop failed.</summary>
    public const int Failed = 3;
}
