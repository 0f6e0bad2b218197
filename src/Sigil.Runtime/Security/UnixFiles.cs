using System;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Security;

/// <summary>
/// The *at(2) system calls the daemon writes its runtime files with: .NET's file APIs take paths
/// and follow symbolic links, and have no openat, renameat, unlinkat, flock or fchmod. Hand-written
/// because no library served here wraps them (Mono.Posix is not served).
/// </summary>
internal static partial class UnixFiles
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;
    public const int AT_REMOVEDIR = 0x200;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int EWOULDBLOCK = 11;
    public const int ELOOP = 40;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const ushort S_IFMT = 0xF000;
    public const ushort S_IFREG = 0x8000;
    public const ushort S_IFDIR = 0x4000;
    public const ushort S_IFLNK = 0xA000;
    public const int ENOTDIR = 20;

    /// <summary>Group- or other-writable permission bits.</summary>
    public const int GroupOrOtherWrite = 0x12; // 022

    private const int STATX_BASIC_STATS = 0x7ff;

    // The generic (AArch64) and x86-64 ABIs number these two differently.
    public static readonly int O_DIRECTORY = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x10000 : 0x4000;
    public static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 0x20000 : 0x8000;

    /// <summary>What <c>statx(2)</c> says of a file (its layout is one on every architecture).</summary>
    public readonly record struct FileStatus(uint Uid, uint Gid, ushort Mode, ulong Inode, ulong Size, ulong Device)
    {
        public bool IsRegular => (Mode & S_IFMT) == S_IFREG;

        public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;

        public int Permissions => Mode & 0xFFF;
    }

    public static int Errno => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenAt(int dirfd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int MkdirAt(int dirfd, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "renameat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int RenameAt(int olddirfd, string oldpath, int newdirfd, string newpath);

    [LibraryImport("libc", EntryPoint = "unlinkat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int UnlinkAt(int dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>statx of <paramref name="path"/> relative to <paramref name="dirfd"/> (the fd itself when empty); null with the errno on failure.</summary>
    public static unsafe FileStatus? Stat(int dirfd, string path, int flags, out int errno)
    {
        var buffer = stackalloc byte[256];
        if (Statx(dirfd, path, flags | (path.Length == 0 ? AT_EMPTY_PATH : 0), STATX_BASIC_STATS, buffer) != 0)
        {
            errno = Errno;
            return null;
        }

        errno = 0;
        var span = new ReadOnlySpan<byte>(buffer, 256);
        var major = MemoryMarshal.Read<uint>(span[136..]);
        var minor = MemoryMarshal.Read<uint>(span[140..]);
        return new FileStatus(
            MemoryMarshal.Read<uint>(span[20..]),
            MemoryMarshal.Read<uint>(span[24..]),
            MemoryMarshal.Read<ushort>(span[28..]),
            MemoryMarshal.Read<ulong>(span[32..]),
            MemoryMarshal.Read<ulong>(span[40..]),
            ((ulong)major << 32) | minor);
    }

    /// <summary>The text of an errno.</summary>
    public static string Describe(int errno) => Sigil.Runtime.Enforcement.Libc.Describe(errno);
}
