using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Fixtures;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>eng/bpf.targets: incremental, and a clear skip without the tools.</summary>
[Collection(KernelCollection.Name)]
public sealed class BuildTargetTests
{
    [KernelFact]
    public void SigilBpfCompile_SecondRun_IsSkippedAsUpToDate_AndAnEditRebuilds()
    {
        var folder = Path.Combine(Repository.Scratch("incremental"), "sigil", "dwell");
        var source = BpfObjects.Write(folder, BpfEmitter.Emit(ShippedFibres.Dwell)).Single();
        var obj = Path.ChangeExtension(source, ".o");
        BpfObjects.Compile(new[] { source });
        Assert.True(File.Exists(obj));
        var built = File.GetLastWriteTimeUtc(obj);

        var again = BpfObjects.Compile(new[] { source });
        Assert.Contains("Skipping target \"SigilBpfCompile\" because all output files are up-to-date", again);
        Assert.Equal(built, File.GetLastWriteTimeUtc(obj));

        File.SetLastWriteTimeUtc(Path.Combine(folder, "bpf", "dwell.h"), built.AddSeconds(5));
        var rebuilt = BpfObjects.Compile(new[] { source });
        Assert.Contains("sigil: dwell.bpf.c -> dwell.bpf.o", rebuilt);
    }

    [KernelFact]
    public void SigilBpfCompile_WithoutClang_SkipsWithAMessage()
    {
        var folder = Path.Combine(Repository.Scratch("noclang"), "sigil", "dwell");
        var source = BpfObjects.Write(folder, BpfEmitter.Emit(ShippedFibres.Dwell)).Single();
        File.Delete(Path.ChangeExtension(source, ".o"));
        var output = BpfObjects.Compile(new[] { source }, clang: "clang-does-not-exist");
        Assert.Contains("sigil: eBPF objects not built, missing: clang-does-not-exist (run eng/setup.sh", output);
        Assert.False(File.Exists(Path.ChangeExtension(source, ".o")));
    }

    [KernelFact]
    public void ProjectBuild_SigilFibres_ShipsLoadableObjectsInItsOutput()
    {
        // This test project references Sigil.Fibres: its build ran the artefact step and this target.
        var configuration = new DirectoryInfo(System.AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        foreach (var fibre in new[] { "dwell", "cache" })
        {
            var path = Path.Combine(Repository.Root, "src", "Sigil.Fibres", "bin", configuration, "net10.0", "sigil", fibre, "bpf", fibre + ".bpf.o");
            Assert.True(File.Exists(path), $"no {path}");
            // The descriptor the build wrote beside the object drives it.
            using var loaded = BpfFibre.Open(path);
            Assert.Equal(fibre, loaded.Descriptor.Fibre);
            loaded.Load();
            Assert.Empty(loaded.VerifyLayouts());
        }
    }
}
