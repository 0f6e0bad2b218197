using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Sigil.Generators.Tests;

/// <summary>
/// The generator's incremental contract, step by step: unchanged input is cached, an unrelated
/// C# edit regenerates nothing, a comment edit in one fibre re-compiles that fibre only and
/// leaves its spec unchanged, a real edit changes that fibre's spec only.
/// </summary>
public sealed class IncrementalTests
{
    [Fact]
    public void Generator_SameInput_EverythingCached()
    {
        var (driver, compilation) = FirstRun();

        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(Reasons(result, SigilGeneratorStepNames.Compile), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Generator_UnrelatedCSharpEdit_RegeneratesNothing()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other { internal static class Unrelated { } }"));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(Reasons(result, SigilGeneratorStepNames.Compile), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(Reasons(result, SigilGeneratorStepNames.Spec), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(OutputReasons(result), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    [Fact]
    public void Generator_CommentEditInOneFibre_RecompilesItOnly_SpecUnchanged()
    {
        var (driver, compilation) = FirstRun();
        driver = Replace(driver, "dwell.sigil", text => "// a new leading comment\n" + text.Replace("// One agent per process.", "// One agent per process (edited)."));

        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        // dwell.sigil is compiled again (its output is Unchanged, or Modified when diagnostics moved);
        // the other fibres are not compiled at all.
        var compile = Reasons(result, SigilGeneratorStepNames.Compile);
        Assert.Single(compile, r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Modified);
        Assert.Equal(FibreCount - 1, compile.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, SigilGeneratorStepNames.Spec));
        Assert.DoesNotContain(IncrementalStepRunReason.New, Reasons(result, SigilGeneratorStepNames.Spec));
        Assert.All(OutputReasons(result), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void Generator_RealEditInOneFibre_RegeneratesItOnly()
    {
        var (driver, compilation) = FirstRun();
        driver = Replace(driver, "dwell.sigil", text => text.Replace("param kill_price = 15;", "param kill_price = 16;"));

        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var spec = Reasons(result, SigilGeneratorStepNames.Spec);
        Assert.Single(spec, r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(FibreCount - 1, spec.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("16.0d", result.GeneratedSources.Single(s => s.HintName == "DwellFibre.Fibre.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    private readonly ImmutableArray<AdditionalText> _files = GeneratorHost.ShippedFibres();

    // Every shipped fibre generates two sources (<Fibre>Fibre.Fibre.g.cs and .Solver.g.cs).
    private int FibreCount => _files.Count(f => f.Path.EndsWith(".sigil", StringComparison.Ordinal));

    private (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHost.NewCompilation("namespace Consumer { internal static class Program { } }");
        var driver = GeneratorHost.NewDriver(_files).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(2 * FibreCount, first.GeneratedSources.Length);
        return (driver, compilation);
    }

    private GeneratorDriver Replace(GeneratorDriver driver, string fileName, Func<string, string> edit)
    {
        var old = _files.Single(f => f.Path.EndsWith(fileName, StringComparison.Ordinal));
        var updated = new GeneratorHost.InMemoryText(old.Path, edit(old.GetText()!.ToString()));
        return driver.ReplaceAdditionalText(old, updated);
    }

    private static ImmutableArray<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToImmutableArray()
            : throw new InvalidOperationException("step " + step + " was not tracked");

    private static IEnumerable<IncrementalStepRunReason> OutputReasons(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs).Select(o => o.Reason);
}
