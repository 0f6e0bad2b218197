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
        [4000] = "LIBBPF_ERRNO__LIBELF",
        [4001] = "LIBBPF_ERRNO__FORMAT",
        [4002] = "LIBBPF_ERRNO__KVERSION",
        [4003] = "LIBBPF_ERRNO__ENDIAN",
        [4004] = "LIBBPF_ERRNO__INTERNAL",
        [4005] = "LIBBPF_ERRNO__RELOC",
        [4006] = "LIBBPF_ERRNO__LOAD",
        [4007] = "LIBBPF_ERRNO__VERIFY",
        [4008] = "LIBBPF_ERRNO__PROG2BIG",
        [4009] = "LIBBPF_ERRNO__KVER",
        [4010] = "LIBBPF_ERRNO__PROGTYPE",
        [4011] = "LIBBPF_ERRNO__WRNGPID",
        [4012] = "LIBBPF_ERRNO__INVSEQ",
        [4013] = "LIBBPF_ERRNO__NLPARSE",
    };

    // libbpf's own error numbers (libbpf_strerror's texts).
    private static readonly Dictionary<int, string> s_libbpfMessages = new()
    {
        [4000] = "Something wrong in libelf",
        [4001] = "BPF object format invalid",
        [4002] = "'version' section incorrect or lost",
        [4003] = "Endian mismatch",
        [4004] = "Internal error in libbpf",
        [4005] = "Relocation failed",
        [4006] = "Load program failed",
        [4007] = "Kernel verifier blocks program loading",
        [4008] = "Program too big",
        [4009] = "Incorrect kernel version",
        [4010] = "Kernel doesn't support this program type",
        [4011] = "Wrong pid in netlink message",
        [4012] = "Invalid netlink sequence",
        [4013] = "Incorrect netlink message parsing",
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
    public static string Message(int errno) => s_libbpfMessages.TryGetValue(errno, out var text) ? text : Marshal.GetPInvokeErrorMessage(errno);

    /// <summary><c>Operation not permitted (EPERM)</c>.</summary>
    public static string Describe(int errno) => $"{Message(errno)} ({Name(errno)})";
}
