using System.Collections.Generic;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// A fibre's eBPF object in the kernel, as the daemon drives it: loaded and attached, read once per
/// tick (loads, prices, counters), written on restore (prices), armed and disarmed, and told which
/// processes never to touch. The eBPF backend (Sigil.Runtime.Bpf) implements it.
/// </summary>
/// <remarks>
/// Prices cross this interface as doubles; the kernel keeps them as fixed-point u64 values scaled
/// by 2^ScaleBits (the fibre's FixedPointSpec) in the map named by the fibre's price export
/// (<c>price_dwell</c>, keyed by tgid); the implementation converts.
/// </remarks>
public interface IKernelFibre : ISensor
{
    /// <summary>True when the kernel updates the prices itself (the fibre has a FixedPointSpec).</summary>
    bool KeepsPrices { get; }

    /// <summary>True when the kernel program kills by itself while armed (so the daemon does not).</summary>
    bool KillsInKernel { get; }

    /// <summary>Loads the object, passes the verifier and attaches every program. Throws with the kernel's reason on failure.</summary>
    void Attach();

    /// <summary>Writes the price of agent <paramref name="tgid"/> (used to restore a checkpoint).</summary>
    void WritePrice(int tgid, double price);

    /// <summary>Sets the control map: the <c>armed</c> flag and the daemon's own tgid (which the kernel never acts on).</summary>
    void SetArmed(bool armed, int daemonTgid);

    /// <summary>Adds <paramref name="tgid"/> to the kernel's allow-list map.</summary>
    void Allow(int tgid);

    /// <summary>
    /// Pins the fibre's exported price map under <paramref name="folder"/> (on bpffs), where
    /// instrumented programs' hooks open it, until disposed; returns the pin's path, or null when
    /// there is no such map.
    /// </summary>
    string? PinPriceMap(string folder) => null;

    /// <summary>
    /// Gives the executable at <paramref name="path"/> a class weight that scales its processes'
    /// events (behaviour programs); false when the program has no classes.
    /// </summary>
    bool Weigh(string path, double weight) => false;

    /// <summary>Gives the cgroup v2 <paramref name="id"/> (and its descendants) a class weight; false when the program has no classes.</summary>
    bool WeighCgroup(ulong id, double weight) => false;

    /// <summary>Allow-lists the executable at <paramref name="path"/>: its processes are never signalled nor frozen; false when the program has no such list.</summary>
    bool AllowExecutable(string path) => false;

    /// <summary>Allow-lists the cgroup v2 <paramref name="id"/> and its descendants; false when the program has no such list.</summary>
    bool AllowCgroup(ulong id) => false;

    /// <summary>The processes of agent <paramref name="agent"/> (for a process tree: its root and every member), the agent alone otherwise.</summary>
    IReadOnlyList<int> AgentProcesses(int agent) => [agent];
}

/// <summary>Opens the kernel side of a fibre.</summary>
public interface IKernelFibreFactory
{
    /// <summary>Opens (does not yet attach) the eBPF object of <paramref name="fibre"/>.</summary>
    /// <param name="fibre">The fibre.</param>
    /// <param name="bpfFs">The bpffs mount for pinned maps.</param>
    /// <param name="traceFs">The tracefs mount for tracepoint ids.</param>
    IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs);
}
