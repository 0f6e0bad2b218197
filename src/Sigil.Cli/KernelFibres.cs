using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;

namespace Sigil.Cli;

/// <summary>
/// Where the CLI finds the build's output (<see cref="SearchFolders"/>: <c>sigil/&lt;fibre&gt;/</c>
/// beside this program, in the image's <c>/usr/lib/sigil/</c>, or under <c>src/Sigil.Fibres/bin</c>
/// of the repository it runs from) and the kernel side of a fibre: the eBPF object of the same
/// build as its daemon descriptor (<see cref="BuiltFibres"/>), or an explicit <c>--bpf-object</c>;
/// else the object of that name in the build's output (docs/daemon.md).
/// </summary>
internal static class KernelFibres
{
    public static BpfKernelFibreFactory Factory(string? objectPath = null, IReadOnlyList<int>? scope = null) =>
        new BpfKernelFibreFactory(objectPath, [.. SearchFolders()])
        {
            Scope = scope is null ? [] : [.. scope.Select(pid => (uint)pid)],
        };

    /// <summary>The folders that hold the build's output, one folder per fibre, in the order searched.</summary>
    public static IEnumerable<string> SearchFolders()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "sigil");
        // The image (eng/image.sh) keeps the shipped fibres' artefacts here.
        yield return "/usr/lib/sigil";
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
