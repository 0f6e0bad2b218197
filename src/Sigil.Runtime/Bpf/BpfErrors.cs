namespace Sigil.Runtime.Bpf;

/// <summary>The usual cause of an errno, per kind of operation, for <see cref="BpfException"/>.</summary>
internal static class BpfErrors
{
    public static string? OpenHint(int errno) => errno switch
    {
        Errno.ENOENT => "no such file; the build writes <fibre>.bpf.o next to the generated <fibre>.bpf.c",
        Errno.EACCES or Errno.EPERM => "the object file is not readable by this user",
        Errno.EINVAL or 8 or 4000 or 4001 or 4003 => "not a BPF ELF object (compile it with clang -target bpf -g)",
        _ => null,
    };

    public static string? LoadHint(int errno) => errno switch
    {
        Errno.EPERM or Errno.EACCES => "loading BPF programs needs CAP_BPF or root (with CAP_PERFMON for tracepoints)",
        Errno.EINVAL => "the verifier rejected a program (see its log) or the kernel lacks a feature the object uses",
        Errno.E2BIG => "a program or map is larger than the kernel allows",
        12 => "not enough locked memory for the maps (RLIMIT_MEMLOCK, or the memory cgroup's limit)",
        28 => "the verifier log did not fit its buffer",
        Errno.ENOENT => "the kernel has no BTF for a type the object needs (CO-RE), or a helper is missing",
        _ => null,
    };

    public static string? AttachHint(int errno) => errno switch
    {
        Errno.EPERM or Errno.EACCES => "attaching to tracepoints needs CAP_BPF and CAP_PERFMON, or root",
        Errno.ENOENT => "no such tracepoint, or tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)",
        Errno.EINVAL => "the program's section does not name an attachable hook",
        _ => null,
    };

    public static string? MapHint(int errno) => errno switch
    {
        Errno.E2BIG => "the map is full",
        Errno.EEXIST => "the key exists and BPF_NOEXIST was asked",
        Errno.ENOENT => "no such key",
        Errno.EPERM or Errno.EACCES => "map access needs CAP_BPF or root",
        _ => null,
    };

    public static string? PinHint(int errno) => errno switch
    {
        Errno.ENOENT => "bpffs is not mounted or the folder does not exist (mount -t bpf bpf /sys/fs/bpf)",
        Errno.EEXIST => "something is already pinned at that path",
        Errno.EPERM or Errno.EACCES => "pinning needs CAP_BPF or root",
        Errno.EINVAL => "the path is not on a bpf file system",
        _ => null,
    };
}
