using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Tests;

public sealed class ShippedFibreTests
{
    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    public void Compile_ShippedFibre_HasNoDiagnostics(string name)
    {
        var result = Fibres.Compile(name);
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.NotNull(result.Spec);
        Assert.Equal(name, result.Spec!.Name);
        Assert.Equal(name + ".sigil", result.Spec.SourceFileName);
    }
}
