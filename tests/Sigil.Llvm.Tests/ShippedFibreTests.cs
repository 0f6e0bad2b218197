using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Emit.Llvm;

namespace Sigil.Llvm.Tests;

/// <summary>The shipped fibres through the real front end: dwell instruments, the others do not.</summary>
public sealed class ShippedFibreTests
{
    [Fact]
    public void Dwell_CompiledByTheFrontEnd_EmitsWhatTheFixtureEmits()
    {
        var spec = Compile("dwell");

        Assert.Equal(Fixtures.Dwell().Instruments, spec.Instruments);
        Assert.Equal(LlvmEmitter.Emit(Fixtures.Dwell()), LlvmEmitter.Emit(spec));
    }

    [Theory]
    [InlineData("atp")]
    [InlineData("cache")]
    public void FibreWithoutInstruments_EmitsNoLlvmArtefact(string fibre)
    {
        Assert.Empty(LlvmEmitter.Emit(Compile(fibre)));
    }

    private static Language.Model.FibreSpec Compile(string fibre)
    {
        var folder = Path.Combine(Toolchain.RepoRoot, "fibres");
        var path = Path.Combine(folder, fibre + ".sigil");
        var result = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path)), relative => File.Exists(Path.Combine(folder, relative)) ? File.ReadAllText(Path.Combine(folder, relative)) : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
        return result.Spec!;
    }
}
