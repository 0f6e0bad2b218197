using System;
using System.Runtime.InteropServices;

namespace Sigil.Benchmarks;

/// <summary>
/// User plus system time of this process's reaped children (getrusage RUSAGE_CHILDREN): suites that
/// run one child at a time read it before and after a run, and the difference is that run's
/// processor time.
/// </summary>
internal static class ChildProcessTime
{
    private const int RusageChildren = -1;

    /// <summary>The children's processor time so far, or zero when getrusage fails.</summary>
    public static TimeSpan Total() =>
        getrusage(RusageChildren, out var usage) == 0
            ? TimeSpan.FromTicks(((usage.UserSeconds + usage.SystemSeconds) * TimeSpan.TicksPerSecond) + ((usage.UserMicroseconds + usage.SystemMicroseconds) * 10))
            : TimeSpan.Zero;

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }
}
