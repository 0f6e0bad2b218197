using System;
using System.Buffers.Text;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Hosting.Sensors;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> a scan needs, parsed from bytes without allocating.</summary>
internal readonly struct StatFields
{
    public StatFields(int parentPid, byte state, uint flags, ulong startTime)
    {
        ParentPid = parentPid;
        State = state;
        Flags = flags;
        StartTime = startTime;
    }

    public int ParentPid { get; }

    public byte State { get; }

    public uint Flags { get; }

    public ulong StartTime { get; }

    public bool IsKernelThread => (Flags & Enforcement.ProcStat.KernelThreadFlag) != 0;
}

/// <summary>
/// Allocation-free reads of procfs for the /proc sensor, which reads every process's stat file
/// and resolves every file descriptor once per scan: paths are built as bytes on the stack and
/// passed to open(2), read(2) and readlink(2) directly. Written by hand because the .NET file
/// APIs allocate a path string and a handle object per call, which at thousands of descriptors a
/// scan is most of the daemon's idle cost.
/// </summary>
internal static unsafe partial class ProcFs
{
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;
    private const int EACCES = 13;

    /// <summary>Reads and parses <c>&lt;root&gt;/&lt;pid&gt;/stat</c>; false when the process is gone or the file is malformed.</summary>
    public static bool TryReadStat(ReadOnlySpan<byte> root, int pid, out StatFields fields, Span<byte> comm, out int commLength)
    {
        fields = default;
        commLength = 0;
        Span<byte> path = stackalloc byte[256];
        var n = Path(root, pid, "/stat"u8, path);
        if (n < 0)
        {
            return false;
        }

        Span<byte> text = stackalloc byte[1024];
        var length = ReadFile(path, text);
        return length > 0 && TryParseStat(text[..length], out fields, comm, out commLength);
    }

    /// <summary>Parses the bytes of a stat file.</summary>
    public static bool TryParseStat(ReadOnlySpan<byte> text, out StatFields fields, Span<byte> comm, out int commLength)
    {
        fields = default;
        commLength = 0;
        var open = text.IndexOf((byte)'(');
        var close = text.LastIndexOf((byte)')');
        if (open <= 0 || close < open || close + 2 >= text.Length)
        {
            return false;
        }

        var name = text[(open + 1)..close];
        commLength = Math.Min(name.Length, comm.Length);
        name[..commLength].CopyTo(comm);

        // Fields from 3 (state) on, separated by single spaces.
        var rest = text[(close + 2)..];
        byte state = 0;
        int ppid = 0;
        uint flags = 0;
        ulong start = 0;
        for (var field = 3; field <= 22; field++)
        {
            var space = rest.IndexOf((byte)' ');
            var token = space < 0 ? rest : rest[..space];
            var ok = field switch
            {
                3 => token.Length == 1,
                4 => Utf8Parser.TryParse(token, out ppid, out _),
                9 => Utf8Parser.TryParse(token, out flags, out _),
                22 => Utf8Parser.TryParse(token, out start, out _),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }

            if (field == 3)
            {
                state = token[0];
            }

            if (space < 0)
            {
                if (field < 22)
                {
                    return false;
                }

                break;
            }

            rest = rest[(space + 1)..];
        }

        fields = new StatFields(ppid, state, flags, start);
        return true;
    }

    /// <summary>
    /// Opens <c>&lt;root&gt;/&lt;pid&gt;/fd</c> for <see cref="NextFd"/>; <see cref="IntPtr.Zero"/> when
    /// it cannot be, with <paramref name="denied"/> true when that was for lack of privilege.
    /// </summary>
    public static nint OpenFdDirectory(ReadOnlySpan<byte> root, int pid, out bool denied)
    {
        denied = false;
        Span<byte> path = stackalloc byte[256];
        if (Path(root, pid, "/fd"u8, path) < 0)
        {
            return 0;
        }

        fixed (byte* p = path)
        {
            var dir = OpenDir(p);
            if (dir == 0)
            {
                denied = Marshal.GetLastPInvokeError() == EACCES;
            }

            return dir;
        }
    }

    /// <summary>
    /// The next descriptor of an open fd directory and the target of its link (read with
    /// readlinkat relative to the directory, so the kernel does not walk the path again);
    /// false at the end.
    /// </summary>
    public static bool NextFd(nint dir, Span<byte> target, out int fd, out int length)
    {
        fd = -1;
        length = -1;
        while (true)
        {
            var entry = ReadDir(dir);
            if (entry == null)
            {
                return false;
            }

            // struct dirent (glibc, 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name.
            var name = entry + 19;
            var nameSpan = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            if (!Utf8Parser.TryParse(nameSpan, out fd, out var consumed) || consumed != nameSpan.Length)
            {
                continue;
            }

            fixed (byte* t = target)
            {
                var n = ReadLinkAt(DirFd(dir), name, t, (nuint)target.Length);
                length = (int)Math.Min(n, target.Length);
            }

            return true;
        }
    }

    /// <summary>Closes a directory from <see cref="OpenFdDirectory"/>.</summary>
    public static void CloseDirectory(nint dir)
    {
        if (dir != 0)
        {
            _ = CloseDir(dir);
        }
    }

    // "<root>/<pid><suffix>\0" into path; returns the length without the terminator, or -1.
    private static int Path(ReadOnlySpan<byte> root, int pid, ReadOnlySpan<byte> suffix, Span<byte> path)
    {
        if (root.Length + 1 + 11 + suffix.Length + 1 > path.Length)
        {
            return -1;
        }

        root.CopyTo(path);
        var n = root.Length;
        path[n++] = (byte)'/';
        Utf8Formatter.TryFormat(pid, path[n..], out var written);
        n += written;
        suffix.CopyTo(path[n..]);
        n += suffix.Length;
        path[n] = 0;
        return n;
    }

    private static int ReadFile(ReadOnlySpan<byte> path, Span<byte> buffer)
    {
        fixed (byte* p = path)
        {
            var fd = Open(p, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
            {
                return -1;
            }

            try
            {
                fixed (byte* b = buffer)
                {
                    return (int)Read(fd, b, (nuint)buffer.Length);
                }
            }
            finally
            {
                _ = Close(fd);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open")]
    private static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial nint OpenDir(byte* path);

    [LibraryImport("libc", EntryPoint = "readdir64")]
    private static partial byte* ReadDir(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(nint dir);

    [LibraryImport("libc", EntryPoint = "dirfd")]
    private static partial int DirFd(nint dir);

    [LibraryImport("libc", EntryPoint = "readlinkat")]
    private static partial nint ReadLinkAt(int dirFd, byte* path, byte* buffer, nuint size);
}
