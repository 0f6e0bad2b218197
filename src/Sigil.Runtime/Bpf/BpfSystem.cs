using System;
using System.IO;

namespace Sigil.Runtime.Bpf;

/// <summary>What the machine offers for eBPF, and process-wide switches.</summary>
public static class BpfSystem
{
    /// <summary>The kernel's own BTF, needed by CO-RE objects.</summary>
    public const string KernelBtfPath = "/sys/kernel/btf/vmlinux";

    /// <summary>True when the kernel publishes its BTF.</summary>
    public static bool HasKernelBtf => File.Exists(KernelBtfPath);

    /// <summary>True when tracefs is mounted (tracepoint ids are read there).</summary>
    public static bool HasTracefs => Directory.Exists("/sys/kernel/tracing/events") || Directory.Exists("/sys/kernel/debug/tracing/events");

    /// <summary>True when bpffs is mounted at /sys/fs/bpf (for pins).</summary>
    public static bool HasBpffs => IsBpffs("/sys/fs/bpf");

    /// <summary>True when <paramref name="path"/> is the mount point of a bpf file system.</summary>
    public static bool IsBpffs(string path)
    {
        var mount = " " + Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)) + " bpf ";
        return File.ReadAllText("/proc/mounts").Contains(mount, StringComparison.Ordinal);
    }

    /// <summary>True when the process runs as root (effective uid 0).</summary>
    public static bool IsRoot => GetEffectiveUid() == 0;

    /// <summary>
    /// Turns on per-program run time and count statistics (BPF_STATS_RUN_TIME) until the returned
    /// handle is disposed; <see cref="BpfProgram.GetInfo"/> reads them.
    /// </summary>
    public static IDisposable EnableRunTimeStatistics()
    {
        var fd = Libbpf.bpf_enable_stats(0);
        if (fd < 0)
        {
            throw new BpfException("enabling BPF run-time statistics", -fd, fd == -Errno.EPERM ? "needs CAP_SYS_ADMIN or root" : null);
        }

        return new SafeBpfFdHandle(fd);
    }

    private static uint GetEffectiveUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var parts = line.Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 2 && uint.TryParse(parts[2], out var euid) ? euid : uint.MaxValue;
            }
        }

        return uint.MaxValue;
    }
}
