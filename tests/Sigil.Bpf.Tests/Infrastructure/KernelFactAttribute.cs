using System.IO;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>
/// A test that loads programs into the running kernel. It is skipped, with the reason, only when
/// the machine truly lacks what it needs: root, the kernel's BTF, tracefs, libbpf or clang.
/// </summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        var missing = Missing();
        if (missing is not null)
        {
            Skip = missing;
        }
    }

    public static string? Missing()
    {
        if (!BpfSystem.IsRoot)
        {
            return "loading BPF programs needs root";
        }

        if (!BpfSystem.HasKernelBtf)
        {
            return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
        }

        if (!BpfSystem.HasTracefs)
        {
            return "tracefs is not mounted (eng/setup.sh mounts it)";
        }

        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libbpf.so.1") && !File.Exists("/usr/lib/aarch64-linux-gnu/libbpf.so.1") && !File.Exists("/usr/lib/libbpf.so.1"))
        {
            return "libbpf.so.1 is not installed (eng/setup.sh installs libbpf)";
        }

        if (!File.Exists("/usr/bin/clang-14"))
        {
            return "clang-14 is not installed (eng/setup.sh installs it)";
        }

        return null;
    }
}

/// <summary>A theory that loads programs into the running kernel (see <see cref="KernelFactAttribute"/>).</summary>
public sealed class KernelTheoryAttribute : TheoryAttribute
{
    public KernelTheoryAttribute()
    {
        var missing = KernelFactAttribute.Missing();
        if (missing is not null)
        {
            Skip = missing;
        }
    }
}

/// <summary>Kernel tests run one at a time: they attach to the same tracepoints and time real workloads.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
