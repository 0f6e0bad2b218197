using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Sigil.Build;

/// <summary>
/// How the build task and the CLI read a fibre and its tables: only regular files (no FIFO, device,
/// socket or directory, which could hang the build or feed it without end), a table only inside
/// its fibre's folder once symbolic links are resolved (so no diagnostic can echo another file),
/// and at most a fixed number of bytes, checked before the text is parsed. Shared as source by
/// Sigil.Build and Sigil.Cli (the generator reads no files: MSBuild hands it the texts).
/// </summary>
/// <remarks>
/// .NET has no API for a file's type, so on Linux this asks <c>statx(2)</c> through libc, whose
/// structure has one layout on every architecture; elsewhere it trusts the file system.
/// </remarks>
internal static class FibreFiles
{
    /// <summary>Most bytes read of a fibre: four per character of the longest text the compiler takes (it reports SIG0009 beyond).</summary>
    public const int MaxFibreBytes = 16 << 20;

    /// <summary>Most bytes a table may have.</summary>
    public const int MaxTableBytes = 64 << 20;

    /// <summary>The text of the fibre at <paramref name="path"/>, or null with why not.</summary>
    public static string? ReadFibre(string path, out string? problem) => Read(path, null, MaxFibreBytes, out problem);

    /// <summary>
    /// The text of the table <paramref name="relative"/> to <paramref name="folder"/>, or null
    /// (the compiler then reports SIG1014) when it is missing, not a regular file, outside the
    /// folder after links are resolved, or larger than <see cref="MaxTableBytes"/>.
    /// </summary>
    public static string? ReadTable(string folder, string relative) => Read(Path.Combine(folder, relative), folder, MaxTableBytes, out _);

    private static string? Read(string path, string? folder, int maxBytes, out string? problem)
    {
        problem = null;
        try
        {
            var full = Path.GetFullPath(path);
            var real = RealPath(full);
            if (real is null)
            {
                problem = "no such file";
                return null;
            }

            if (folder is not null)
            {
                var root = RealPath(Path.GetFullPath(folder)) ?? Path.GetFullPath(folder);
                if (!real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
                {
                    problem = "it lies outside the fibre's folder";
                    return null;
                }
            }

            var kind = FileKind(real);
            if (kind is not null)
            {
                problem = "it is " + kind + ", not a regular file";
                return null;
            }

            using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[Math.Min(maxBytes + 1L, Math.Max(stream.Length + 1, 4096))];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > maxBytes)
            {
                problem = $"it is larger than {maxBytes} bytes";
                return null;
            }

            return new UTF8Encoding(false, false).GetString(buffer, 0, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = e.Message;
            return null;
        }
    }

    // The canonical path with every link resolved, or null when the file does not exist.
    private static string? RealPath(string path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return File.Exists(path) || Directory.Exists(path) ? path : null;
        }

        var result = realpath(path, IntPtr.Zero);
        if (result == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringAnsi(result);
        }
        finally
        {
            free(result);
        }
    }

    // Null for a regular file; otherwise what it is.
    private static string? FileKind(string path)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return File.Exists(path) ? null : "missing";
        }

        var buffer = new byte[256];
        const int AtFdCwd = -100;
        const uint StatxType = 0x0001;
        if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return "unreadable";
        }

        var mode = BitConverter.ToUInt16(buffer, 28) & 0xF000;
        return mode switch
        {
            0x8000 => null,
            0x4000 => "a directory",
            0x1000 => "a FIFO",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr realpath(string path, IntPtr resolved);

    [DllImport("libc")]
    private static extern void free(IntPtr pointer);

    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
