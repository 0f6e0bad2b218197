using System.Runtime.InteropServices;

namespace Sigil.Benchmarks.Bpf;

/// <summary>The system calls the bpf suite times, called directly (no .NET file layer in between).</summary>
internal static unsafe partial class Syscalls
{
    public const int AtFdCwd = -100;
    public const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "openat")]
    public static partial int OpenAt(int directory, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int fd);

    public const int ReadWrite = 2;
    public const int Create = 0x40;

    [LibraryImport("libc", EntryPoint = "pwrite")]
    public static partial nint PWrite(int fd, byte* buffer, nuint count, long offset);

    /// <summary>The size of struct stat on x86-64 and arm64 (144 and 128 bytes): a buffer of this many holds either.</summary>
    public const int StatSize = 144;

    [LibraryImport("libc", EntryPoint = "fstat")]
    public static partial int FStat(int fd, byte* stat);

    [LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getppid")]
    public static partial int GetParentPid();

    [LibraryImport("libc", EntryPoint = "sched_setaffinity")]
    private static partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    /// <summary>Keeps the calling thread on <paramref name="cpu"/> (so every configuration runs on the same CPU); false when refused.</summary>
    public static bool PinToCpu(int cpu)
    {
        var mask = 1UL << cpu;
        return SchedSetAffinity(0, sizeof(ulong), &mask) == 0;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, TimeSpec* time);

    /// <summary>
    /// This thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID): user and system time,
    /// the system calls and the programs they run included, time spent waiting for a CPU not.
    /// </summary>
    public static long ThreadCpuNanoseconds()
    {
        TimeSpec time;
        ClockGetTime(3, &time);
        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
