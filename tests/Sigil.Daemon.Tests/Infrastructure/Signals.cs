using System.Runtime.InteropServices;

namespace Sigil.Daemon.Tests.Infrastructure;

internal static partial class Signals
{
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
