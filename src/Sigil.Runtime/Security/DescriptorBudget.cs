using System;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Security;

/// <summary>
/// The daemon's file descriptors: the soft limit raised to the hard one at start, a reserve kept
/// for enforcement, checkpoints, /proc reads and the eBPF objects, and the rest, within a cap, for
/// metrics connections. A flood of connections then cannot take the descriptors a throttle or a
/// checkpoint needs.
/// </summary>
public static partial class DescriptorBudget
{
    /// <summary>Descriptors kept for everything but metrics connections.</summary>
    public const int Reserved = 1024;

    /// <summary>The most metrics connections at once, whatever the limit.</summary>
    public const int MaxConnections = 2048;

    /// <summary>The fewest metrics connections at once, however low the limit.</summary>
    public const int MinConnections = 16;

    private const int RLIMIT_NOFILE = 7;

    /// <summary>Raises the soft descriptor limit to the hard one; returns the soft limit now in force.</summary>
    public static ulong RaiseToHard()
    {
        var limit = default(RLimit);
        if (GetRLimit(RLIMIT_NOFILE, ref limit) != 0)
        {
            return 1024;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(RLIMIT_NOFILE, ref raised) == 0)
            {
                limit = raised;
            }
        }

        return limit.Current;
    }

    /// <summary>Metrics connections allowed under a soft limit of <paramref name="descriptors"/>: half of what the reserve leaves, within the bounds.</summary>
    public static int Connections(ulong descriptors) =>
        (int)Math.Clamp(descriptors > Reserved ? (descriptors - Reserved) / 2 : 0, MinConnections, MaxConnections);

    [StructLayout(LayoutKind.Sequential)]
    private record struct RLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, ref RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);
}
