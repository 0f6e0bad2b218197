using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting;

namespace Sigil.Cli;

/// <summary>
/// Where the CLI gets the kernel side of a fibre: the eBPF backend's
/// <see cref="BpfKernelFibreFactory"/> over the folder that holds the compiled objects
/// (<c>&lt;folder&gt;/&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c>): <c>--bpf-objects</c>, else the
/// <c>sigil</c> folder beside this program, else the fibre project's build output in the
/// repository this program runs from.
/// </summary>
internal static class KernelFibres
{
    /// <summary>The factory; <paramref name="scopeTgid"/> non-zero senses (and can act on) that one process only.</summary>
    public static KernelFactory Factory(string? objectFolder = null, uint scopeTgid = 0) => new(objectFolder, scopeTgid);

    /// <summary>Opens the kernel fibre from the first folder that holds its object, scoped when asked.</summary>
    internal sealed class KernelFactory(string? objectFolder, uint scopeTgid) : IKernelFibreFactory
    {
        /// <summary>The folder holding <paramref name="fibre"/>'s object, or null.</summary>
        public string? Find(DaemonFibre fibre) =>
            (objectFolder is null ? SearchFolders() : [objectFolder])
                .FirstOrDefault(folder => File.Exists(Path.Combine(folder, fibre.Name, "bpf", fibre.Name + ".bpf.o")));

        public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
        {
            var folder = Find(fibre) ?? objectFolder ?? Path.Combine(AppContext.BaseDirectory, "sigil");
            var kernel = new BpfKernelFibreFactory(folder).Open(fibre, bpfFs, traceFs);
            return scopeTgid == 0 || kernel is not BpfKernelFibre bpf ? kernel : new ScopedKernelFibre(bpf, scopeTgid);
        }
    }

    private static IEnumerable<string> SearchFolders()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "sigil");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "src", "Sigil.Fibres", "bin");
            if (Directory.Exists(bin))
            {
                foreach (var configuration in new[] { "Release", "Debug" })
                {
                    yield return Path.Combine(bin, configuration, "net10.0", "sigil");
                }

                yield break;
            }
        }
    }
}

/// <summary>
/// The kernel fibre sensing one process: the control map's target is set as soon as the
/// object is loaded, before anything is armed, so the programs price (and can kill) that
/// process only.
/// </summary>
internal sealed class ScopedKernelFibre(BpfKernelFibre inner, uint tgid) : IKernelFibre
{
    public string Name => inner.Name;

    public string Description => inner.Description + $"; process {tgid} only";

    public bool KeepsPrices => inner.KeepsPrices;

    public bool KillsInKernel => inner.KillsInKernel;

    public BpfKernelFibre Inner => inner;

    public void Attach()
    {
        inner.Attach();
        inner.Object.Scope(tgid);
    }

    public SensorFrame Sense() => inner.Sense();

    public void WritePrice(int agent, double price) => inner.WritePrice(agent, price);

    public void SetArmed(bool armed, int daemonTgid) => inner.SetArmed(armed, daemonTgid);

    public void Allow(int agent) => inner.Allow(agent);

    public void Dispose() => inner.Dispose();
}
