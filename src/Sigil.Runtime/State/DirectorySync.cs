using System.IO;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.State;

/// <summary>fsync of a directory, which makes a rename inside it durable. .NET has no API for it.</summary>
internal static partial class DirectorySync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000;
    private const int O_CLOEXEC = 0x80000;

    public static void Fsync(string directory)
    {
        var fd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to sync it: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (FsyncNative(fd) != 0)
            {
                throw new IOException($"fsync of directory '{directory}' failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
