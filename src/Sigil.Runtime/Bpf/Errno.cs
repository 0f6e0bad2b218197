using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// errno values as text: the C library's message (strerror) and the symbolic name. .NET exposes
/// the message but not the name, so the names of the errors the bpf() syscall and libbpf return
/// are listed here by hand (asm-generic/errno-base.h, errno.h; Linux x86-64 and arm64).
/// </summary>
public static class Errno
{
    private static readonly Dictionary<int, string> s_names = new()
    {
        [1] = "EPERM",
        [2] = "ENOENT",
        [3] = "ESRCH",
        [4] = "EINTR",
        [5] = "EIO",
        [6] = "ENXIO",
        [7] = "E2BIG",
        [8] = "ENOEXEC",
        [9] = "EBADF",
        [11] = "EAGAIN",
        [12] = "ENOMEM",
        [13] = "EACCES",
        [14] = "EFAULT",
        [16] = "EBUSY",
        [17] = "EEXIST",
        [19] = "ENODEV",
        [20] = "ENOTDIR",
        [22] = "EINVAL",
        [24] = "EMFILE",
        [28] = "ENOSPC",
        [34] = "ERANGE",
        [38] = "ENOSYS",
        [61] = "ENODATA",
        [75] = "EOVERFLOW",
        [95] = "EOPNOTSUPP",
        [524] = "ENOTSUPP",
    };

    /// <summary><c>EPERM</c>: operation not permitted.</summary>
    public const int EPERM = 1;

    /// <summary><c>ENOENT</c>: no such entry (also: no such map key).</summary>
    public const int ENOENT = 2;

    /// <summary><c>EACCES</c>: permission denied.</summary>
    public const int EACCES = 13;

    /// <summary><c>EEXIST</c>: the key exists.</summary>
    public const int EEXIST = 17;

    /// <summary><c>EINVAL</c>: invalid argument (the verifier's usual answer).</summary>
    public const int EINVAL = 22;

    /// <summary><c>E2BIG</c>: too big (a full map).</summary>
    public const int E2BIG = 7;

    /// <summary><c>EINTR</c>: interrupted by a signal.</summary>
    public const int EINTR = 4;

    /// <summary>The symbolic name, e.g. <c>EPERM</c>, or <c>errno 123</c>.</summary>
    public static string Name(int errno) => s_names.TryGetValue(errno, out var name) ? name : "errno " + errno;

    /// <summary>The C library's message, e.g. <c>Operation not permitted</c>.</summary>
    public static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    /// <summary><c>Operation not permitted (EPERM)</c>.</summary>
    public static string Describe(int errno) => $"{Message(errno)} ({Name(errno)})";
}
