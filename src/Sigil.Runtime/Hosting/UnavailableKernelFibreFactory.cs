using System;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The seam for the eBPF backend until it is wired: opening a fibre's kernel side fails with a
/// clear message. The daemon reports it and exits without arming; <c>--sensor procfs</c> runs the
/// daemon on the /proc sensor instead.
/// </summary>
public sealed class UnavailableKernelFibreFactory : IKernelFibreFactory
{
    /// <summary>The message every call fails with.</summary>
    public const string Message = "not available yet: needs the eBPF backend (Sigil.Runtime.Bpf) to load and attach the fibre's kernel object; run with '--sensor procfs' to sense from /proc instead";

    /// <summary>The single instance.</summary>
    public static UnavailableKernelFibreFactory Instance { get; } = new();

    /// <inheritdoc/>
    public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs) => throw new NotSupportedException(Message);
}
