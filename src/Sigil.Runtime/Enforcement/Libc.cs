using System.Runtime.InteropServices;

namespace Sigil.Runtime.Enforcement;

/// <summary>The few libc calls enforcement needs and .NET does not expose (glibc 2.36 or later for the pidfd calls).</summary>
internal static partial class Libc
{
    public const int SIGTERM = 15;
    public const int SIGKILL = 9;
    public const int SIGCONT = 18;
    public const int EPERM = 1;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const short POLLIN = 0x001;

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "pidfd_open", SetLastError = true)]
    public static partial int PidfdOpen(int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "pidfd_send_signal", SetLastError = true)]
    public static partial int PidfdSendSignal(int pidfd, int signal, nint info, uint flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, ulong count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    public static unsafe partial int SchedSetAffinity(int pid, nuint size, ulong* mask);

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    public static unsafe partial int SchedGetAffinity(int pid, nuint size, ulong* mask);

    /// <summary>stat(2) into a struct stat buffer (144 bytes on x86_64; st_dev at 0, st_ino at 8 there and on aarch64).</summary>
    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Stat(string path, byte* buffer);

    /// <summary>glibc: returns freed heap memory to the system; 1 when some was released.</summary>
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    public static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    public static string Describe(int errno)
    {
        var text = Marshal.PtrToStringUTF8(StrError(errno));
        return $"{text ?? "error"} (errno {errno})";
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
