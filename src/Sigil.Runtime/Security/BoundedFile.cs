using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Sigil.Runtime.Security;

/// <summary>
/// Reads a file a user names (a descriptor, a configuration): a regular file only (a FIFO or a
/// device would hang or never end), opened without blocking, and no larger than a cap.
/// </summary>
public static class BoundedFile
{
    /// <summary>The cap for configuration and descriptor files.</summary>
    public const int MaxConfigBytes = 4 * 1024 * 1024;

    /// <summary>The text of <paramref name="path"/> (UTF-8).</summary>
    /// <exception cref="IOException">Missing, not a regular file, too large, or unreadable.</exception>
    public static string ReadText(string path, int maxBytes = MaxConfigBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = UnixFiles.OpenAt(-100, path, UnixFiles.O_RDONLY | UnixFiles.O_NONBLOCK | UnixFiles.O_NOCTTY | UnixFiles.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = UnixFiles.Errno;
            throw errno == UnixFiles.ENOENT
                ? new FileNotFoundException($"Could not find file '{path}'.", path)
                : new IOException($"cannot open '{path}': {UnixFiles.Describe(errno)}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = UnixFiles.Stat(fd, string.Empty, 0, out var statErrno)
            ?? throw new IOException($"cannot stat '{path}': {UnixFiles.Describe(statErrno)}");
        if (!status.IsRegular)
        {
            throw new IOException($"'{path}' is not a regular file");
        }

        if (status.Size > (ulong)maxBytes)
        {
            throw new IOException($"'{path}' is {status.Size} bytes, more than the {maxBytes}-byte limit");
        }

        var bytes = new byte[(int)status.Size];
        var read = RandomAccess.Read(handle, bytes, 0);
        return System.Text.Encoding.UTF8.GetString(bytes, 0, read);
    }
}
