using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;

namespace Sigil.Cli;

/// <summary>
/// Where the CLI gets the kernel side of a fibre: the eBPF backend, from the fibre's compiled
/// object and the descriptor beside it (an explicit <c>--bpf-object</c>, else the build's output:
/// <c>sigil/&lt;fibre&gt;/bpf/</c> beside this program, in the image's <c>/usr/lib/sigil/</c>, or
/// under <c>src/Sigil.Fibres/bin</c> of the repository it runs from). A searched object counts only
/// when its descriptor records the very source file being run (docs/daemon.md).
/// </summary>
internal static class KernelFibres
{
    public static BpfKernelFibreFactory Factory(string? objectPath = null, IReadOnlyList<int>? scope = null, string? sourceFile = null) =>
        new BpfKernelFibreFactory(objectPath, [.. SearchFolders()])
        {
            Scope = scope is null ? [] : [.. scope.Select(pid => (uint)pid)],
            SourceFile = sourceFile is not null && sourceFile.EndsWith(".sigil", StringComparison.Ordinal) ? sourceFile : null,
        };

    private static IEnumerable<string> SearchFolders()
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
