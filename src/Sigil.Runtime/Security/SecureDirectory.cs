using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Sigil.Runtime.Security;

/// <summary>
/// A directory the daemon keeps its runtime files in, held open by a file descriptor, the way
/// systemd and containerd keep theirs: it must be owned by the daemon's user (root) and writable
/// by nobody else, or it is refused; a missing one is created with a fixed mode. Every file in it
/// is opened relative to the descriptor with <c>O_NOFOLLOW</c>, created with <c>O_EXCL</c>, renamed
/// and removed with <c>renameat</c> / <c>unlinkat</c>: no path another user could plant or swap is
/// ever followed. Files the daemon reads back must be regular files of its own user that no one
/// else can write.
/// </summary>
public sealed class SecureDirectory : IDisposable
{
    private readonly SafeFileHandle _fd;

    private SecureDirectory(string path, SafeFileHandle fd)
    {
        Path = path;
        _fd = fd;
    }

    /// <summary>The directory's path (for messages).</summary>
    public string Path { get; }

    /// <summary>The directory's descriptor, for *at calls (valid while this object lives).</summary>
    internal int Fd => (int)_fd.DangerousGetHandle();

    /// <summary>
    /// Opens <paramref name="path"/>, creating it (and its parents, which must exist or be made with
    /// the usual 0755) with <paramref name="mode"/> when missing.
    /// </summary>
    /// <exception cref="UnsafeFileException">It is a symbolic link, not a directory, not owned by this user, or writable by group or others.</exception>
    /// <exception cref="IOException">It cannot be created or opened.</exception>
    public static SecureDirectory Open(string path, int mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path).TrimEnd('/');
        if (full.Length == 0)
        {
            full = "/";
        }

        var parent = System.IO.Path.GetDirectoryName(full);
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        var created = UnixFiles.MkdirAt(-100, full, (uint)mode) == 0;
        if (!created && UnixFiles.Errno != UnixFiles.EEXIST)
        {
            throw new IOException($"cannot create directory '{full}': {UnixFiles.Describe(UnixFiles.Errno)}");
        }

        var fd = UnixFiles.OpenAt(-100, full, UnixFiles.O_RDONLY | UnixFiles.O_DIRECTORY | UnixFiles.O_NOFOLLOW | UnixFiles.O_CLOEXEC, 0);
        if (fd < 0)
        {
            // O_NOFOLLOW | O_DIRECTORY fails with ENOTDIR on a link (ELOOP without O_DIRECTORY).
            var errno = UnixFiles.Errno;
            var link = UnixFiles.Stat(-100, full, UnixFiles.AT_SYMLINK_NOFOLLOW, out _) is { } what && (what.Mode & UnixFiles.S_IFMT) == UnixFiles.S_IFLNK;
            throw link || errno == UnixFiles.ELOOP
                ? new UnsafeFileException($"refused: directory '{full}' is a symbolic link")
                : errno == UnixFiles.ENOTDIR
                    ? new UnsafeFileException($"refused: '{full}' is not a directory")
                    : new IOException($"cannot open directory '{full}': {UnixFiles.Describe(errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (created && UnixFiles.Fchmod(fd, (uint)mode) != 0)
            {
                throw new IOException($"cannot set the mode of '{full}': {UnixFiles.Describe(UnixFiles.Errno)}");
            }

            var status = UnixFiles.Stat(fd, string.Empty, 0, out var statErrno)
                ?? throw new IOException($"cannot stat '{full}': {UnixFiles.Describe(statErrno)}");
            RequireSafe(full, status, "directory");
            return new SecureDirectory(full, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The reason <paramref name="status"/> is not safe for the daemon to trust, or null.</summary>
    internal static string? Unsafe(UnixFiles.FileStatus status)
    {
        var euid = UnixFiles.GetEuid();
        if (status.Uid != euid)
        {
            return $"is owned by uid {status.Uid.ToString(CultureInfo.InvariantCulture)}, not {euid.ToString(CultureInfo.InvariantCulture)}";
        }

        return (status.Permissions & UnixFiles.GroupOrOtherWrite) != 0
            ? $"is writable by group or others (mode {Convert.ToString(status.Permissions, 8)})"
            : null;
    }

    private static void RequireSafe(string path, UnixFiles.FileStatus status, string what)
    {
        if (what == "directory" && !status.IsDirectory)
        {
            throw new UnsafeFileException($"refused: '{path}' is not a directory");
        }

        if (what != "directory" && !status.IsRegular)
        {
            throw new UnsafeFileException($"refused: '{path}' is not a regular file");
        }

        if (Unsafe(status) is { } reason)
        {
            throw new UnsafeFileException($"refused: {what} '{path}' {reason}");
        }
    }

    /// <summary>The path of <paramref name="name"/> in this directory (for messages and readers).</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Creates <paramref name="name"/> afresh (<c>O_CREAT | O_EXCL | O_NOFOLLOW</c>, after removing
    /// a leftover of that name) with exactly <paramref name="mode"/>, open for reading and writing.
    /// </summary>
    public SafeFileHandle CreateExclusive(string name, int mode)
    {
        RequireName(name);
        Delete(name);
        var fd = UnixFiles.OpenAt(Fd, name, UnixFiles.O_RDWR | UnixFiles.O_CREAT | UnixFiles.O_EXCL | UnixFiles.O_NOFOLLOW | UnixFiles.O_CLOEXEC, (uint)mode);
        if (fd < 0)
        {
            throw new IOException($"cannot create '{Combine(name)}': {UnixFiles.Describe(UnixFiles.Errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (UnixFiles.Fchmod(fd, (uint)mode) != 0)
        {
            var errno = UnixFiles.Errno;
            handle.Dispose();
            throw new IOException($"cannot set the mode of '{Combine(name)}': {UnixFiles.Describe(errno)}");
        }

        return handle;
    }

    /// <summary>A fresh temporary name beside <paramref name="name"/> (<c>.name.XXXXXXXX</c>).</summary>
    public static string TemporaryName(string name) =>
        "." + name + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Writes <paramref name="bytes"/> to <paramref name="name"/> atomically and durably: a fresh
    /// exclusive file <paramref name="temporary"/>, synced, renamed over the name, directory synced.
    /// </summary>
    public void WriteAtomic(string name, ReadOnlySpan<byte> bytes, int mode, string? temporary = null)
    {
        temporary ??= TemporaryName(name);
        using (var handle = CreateExclusive(temporary, mode))
        {
            RandomAccess.Write(handle, bytes, 0);
            Sync(handle);
        }

        Rename(temporary, name);
        Sync();
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/> inside this directory (atomic; replaces <paramref name="to"/>).</summary>
    public void Rename(string from, string to)
    {
        RequireName(from);
        RequireName(to);
        if (UnixFiles.RenameAt(Fd, from, Fd, to) != 0)
        {
            throw new IOException($"cannot rename '{Combine(from)}' to '{to}': {UnixFiles.Describe(UnixFiles.Errno)}");
        }
    }

    /// <summary>Removes <paramref name="name"/> (the entry itself, never what a link points at); false when it was not there.</summary>
    public bool Delete(string name)
    {
        RequireName(name);
        if (UnixFiles.UnlinkAt(Fd, name, 0) == 0)
        {
            return true;
        }

        var errno = UnixFiles.Errno;
        return errno == UnixFiles.ENOENT
            ? false
            : throw new IOException($"cannot remove '{Combine(name)}': {UnixFiles.Describe(errno)}");
    }

    /// <summary>Removes the empty directory <paramref name="name"/>; false when it is missing or not empty.</summary>
    public bool DeleteDirectory(string name)
    {
        RequireName(name);
        return UnixFiles.UnlinkAt(Fd, name, UnixFiles.AT_REMOVEDIR) == 0;
    }

    /// <summary>
    /// Removes the empty directory <paramref name="name"/> inside <paramref name="parent"/> (by a
    /// descriptor of the parent, whatever its owner: removing an empty directory follows no link).
    /// </summary>
    public static bool DeleteEmptyDirectory(string parent, string name)
    {
        RequireName(name);
        var fd = UnixFiles.OpenAt(-100, parent, UnixFiles.O_RDONLY | UnixFiles.O_DIRECTORY | UnixFiles.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return UnixFiles.UnlinkAt(fd, name, UnixFiles.AT_REMOVEDIR) == 0;
    }

    /// <summary>What <paramref name="name"/> is (not following a link), or null when it does not exist.</summary>
    internal UnixFiles.FileStatus? Status(string name)
    {
        RequireName(name);
        return UnixFiles.Stat(Fd, name, UnixFiles.AT_SYMLINK_NOFOLLOW, out _);
    }

    /// <summary>True when <paramref name="name"/> exists (as anything, links included).</summary>
    public bool Exists(string name) => Status(name) is not null;

    /// <summary>
    /// Reads <paramref name="name"/> whole when it is a regular file of this user that no one else
    /// can write, of at most <paramref name="maxBytes"/>; null when it does not exist.
    /// </summary>
    /// <exception cref="UnsafeFileException">A link, not a regular file, another user's, writable by others, or too large.</exception>
    public byte[]? ReadTrusted(string name, int maxBytes)
    {
        RequireName(name);
        var fd = UnixFiles.OpenAt(Fd, name, UnixFiles.O_RDONLY | UnixFiles.O_NOFOLLOW | UnixFiles.O_NONBLOCK | UnixFiles.O_NOCTTY | UnixFiles.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = UnixFiles.Errno;
            return errno switch
            {
                UnixFiles.ENOENT => null,
                UnixFiles.ELOOP => throw new UnsafeFileException($"refused: '{Combine(name)}' is a symbolic link"),
                _ => throw new IOException($"cannot open '{Combine(name)}': {UnixFiles.Describe(errno)}"),
            };
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var status = UnixFiles.Stat(fd, string.Empty, 0, out var statErrno)
            ?? throw new IOException($"cannot stat '{Combine(name)}': {UnixFiles.Describe(statErrno)}");
        RequireSafe(Combine(name), status, "file");
        if (status.Size > (ulong)maxBytes)
        {
            throw new UnsafeFileException($"refused: '{Combine(name)}' is {status.Size} bytes, more than the {maxBytes}-byte limit");
        }

        var bytes = new byte[(int)status.Size];
        var read = RandomAccess.Read(handle, bytes, 0);
        return read == bytes.Length ? bytes : bytes[..read];
    }

    /// <summary>
    /// Takes an exclusive <c>flock</c> on <paramref name="name"/> (created 0600 when missing, never
    /// through a link; an existing one must be this user's and is set to 0600), without waiting.
    /// </summary>
    /// <exception cref="IOException">Another process holds it.</exception>
    public SafeFileHandle Lock(string name)
    {
        RequireName(name);
        var fd = UnixFiles.OpenAt(Fd, name, UnixFiles.O_RDWR | UnixFiles.O_CREAT | UnixFiles.O_NOFOLLOW | UnixFiles.O_NONBLOCK | UnixFiles.O_NOCTTY | UnixFiles.O_CLOEXEC, 0x180);
        if (fd < 0)
        {
            var errno = UnixFiles.Errno;
            throw errno == UnixFiles.ELOOP
                ? new UnsafeFileException($"refused: lock file '{Combine(name)}' is a symbolic link")
                : new IOException($"cannot open lock file '{Combine(name)}': {UnixFiles.Describe(errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var status = UnixFiles.Stat(fd, string.Empty, 0, out var statErrno)
                ?? throw new IOException($"cannot stat '{Combine(name)}': {UnixFiles.Describe(statErrno)}");
            if (!status.IsRegular || status.Uid != UnixFiles.GetEuid())
            {
                RequireSafe(Combine(name), status, "lock file");
            }

            if (status.Permissions != 0x180 && UnixFiles.Fchmod(fd, 0x180) != 0)
            {
                throw new IOException($"cannot set the mode of '{Combine(name)}': {UnixFiles.Describe(UnixFiles.Errno)}");
            }

            if (UnixFiles.Flock(fd, UnixFiles.LOCK_EX | UnixFiles.LOCK_NB) != 0)
            {
                throw new IOException($"'{Combine(name)}' is locked by another process ({UnixFiles.Describe(UnixFiles.Errno)})");
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>fsync of the directory: makes renames inside it durable.</summary>
    public void Sync()
    {
        if (UnixFiles.Fsync(Fd) != 0)
        {
            throw new IOException($"fsync of directory '{Path}' failed: {UnixFiles.Describe(UnixFiles.Errno)}");
        }
    }

    /// <summary>fsync of a file.</summary>
    public static void Sync(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (UnixFiles.Fsync((int)file.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fsync failed: {UnixFiles.Describe(UnixFiles.Errno)}");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();

    private static void RequireName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a file name", nameof(name));
        }
    }
}

/// <summary>A runtime file or directory the daemon refuses to use because another user could control it.</summary>
public sealed class UnsafeFileException : IOException
{
    /// <summary>A refusal saying what and why.</summary>
    public UnsafeFileException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal.</summary>
    public UnsafeFileException()
    {
    }

    /// <summary>A refusal with its cause.</summary>
    public UnsafeFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
