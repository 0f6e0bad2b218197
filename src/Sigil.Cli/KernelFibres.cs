using Sigil.Runtime.Hosting;

namespace Sigil.Cli;

/// <summary>
/// Where the CLI gets the kernel side of a fibre. Until the eBPF backend (Sigil.Runtime.Bpf) is
/// wired in here, it is the seam that reports "not available yet".
/// </summary>
internal static class KernelFibres
{
    public static IKernelFibreFactory Factory => UnavailableKernelFibreFactory.Instance;
}
