using System;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Emit;
using Sigil.Language.Model;
using Sigil.Testing;

namespace Sigil.Language.Tests;

/// <summary>
/// Check is build: every backend limit is a diagnostic of the compiler at the statement, and a
/// fibre the compiler accepts goes through every emitter.
/// </summary>
public sealed class TargetLimitTests
{
    [Theory]
    [MemberData(nameof(LimitCases.Names), MemberType = typeof(LimitCases))]
    public void Compile_LimitCase_ReportsItsCodeAtTheStatement(string name)
    {
        var c = LimitCases.All.Single(x => x.Name == name);
        var result = SigilCompiler.Compile(new SourceFile("hostile.sigil", c.Text));
        var errors = result.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Null(result.Spec);
        Assert.All(errors, d => Assert.Equal(c.Code, d.Id));
        var error = Assert.Single(errors);
        Assert.Equal((c.Line, c.Column), (error.LineSpan.Start.Line, error.LineSpan.Start.Character));
    }

    [Theory]
    [MemberData(nameof(LimitCases.DaemonWarningNames), MemberType = typeof(LimitCases))]
    public void Compile_DaemonLimit_WarnsAtTheStatement_AndStillCompiles(string name)
    {
        var c = LimitCases.DaemonWarnings.Single(x => x.Name == name);
        var result = SigilCompiler.Compile(new SourceFile("daemon.sigil", c.Text));
        Assert.NotNull(result.Spec);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal((c.Code, DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal((c.Line, c.Column), (warning.LineSpan.Start.Line, warning.LineSpan.Start.Character));
        Assert.StartsWith("The daemon cannot ", warning.Message, StringComparison.Ordinal);
        Assert.False(Sigil.Language.Analysis.DaemonShapeAnalysis.Of(result.Spec!).Runs);
    }

    [Theory]
    [InlineData("dwell", "OnlineRows")]
    [InlineData("cache", "Placement")]
    [InlineData("ransomware", "Behaviour")]
    [InlineData("atp", "Offline")]
    public void DaemonShape_ShippedFibres_AreReadAsTheDaemonRunsThem(string fibre, string kind)
    {
        var result = SigilCompiler.Compile(new SourceFile(fibre + ".sigil", Fibres.Text(fibre)), Fibres.ReadTable);
        var shape = Sigil.Language.Analysis.DaemonShapeAnalysis.Of(result.Spec!);
        Assert.Equal(kind, shape.Kind.ToString());
        Assert.Empty(shape.Problems);
        Assert.DoesNotContain(result.Diagnostics, static d => d.Id is "SIG3015" or "SIG3016" or "SIG3017" or "SIG3018");
    }

    [Fact]
    public void Compile_DwellWithASecondThrottle_ReportsSig3009AtTheAddedLine()
    {
        var lines = Fibres.Text("dwell").Split('\n').ToList();
        var kill = lines.FindIndex(static l => l.TrimStart().StartsWith("act kill", StringComparison.Ordinal));
        lines.Insert(kill, "    act throttle(cpu = 10%) when ^dwell[t] >= 7;");
        var result = SigilCompiler.Compile(new SourceFile("dwell.sigil", string.Join("\n", lines)), Fibres.ReadTable);
        var error = Assert.Single(result.Diagnostics, static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("SIG3009", error.Id);
        Assert.Equal((kill, 4), (error.LineSpan.Start.Line, error.LineSpan.Start.Character));
        Assert.Contains("the kernel applies one throttle threshold per price", error.Message);
    }

    [Theory]
    [InlineData("act kill when ^r[t] >= 0;", "SIG2015")]
    [InlineData("act kill when ^r[t] >= 15;", null)]
    [InlineData("instrument calls(\"*\") pass (site) respond refuse(errno = 11);", "SIG2017")]
    [InlineData("instrument calls(\"read*\") pass (site) respond refuse(errno = 11);", null)]
    [InlineData("instrument calls(\"*\") pass (site) respond backoff(us = 100);", null)]
    public void Compile_DangerousAction_Warns(string member, string? code)
    {
        var result = SigilCompiler.Compile(new SourceFile("f.sigil", LimitCases.Online(extra: new[] { member })));
        Assert.NotNull(result.Spec);
        Assert.Equal(code is null ? Array.Empty<string>() : new[] { code }, result.Diagnostics.Select(static d => d.Id).ToArray());
    }

    [Fact]
    public void Compile_ThresholdAbovePriceMax_Warns()
    {
        var text = LimitCases.Online(extra: new[] { "act kill when ^r[t] >= 15;" }).Replace("solve dual { step = 0.5; online; }", "solve dual { step = 0.5; online; price_max = 10; }");
        var result = SigilCompiler.Compile(new SourceFile("f.sigil", text));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("SIG2016", warning.Id);
        Assert.Contains("price_max = 10, below its threshold 15", warning.Message);
    }

    [Theory]
    [InlineData('\u202E')]
    [InlineData('\u2066')]
    public void Compile_BidirectionalOverrideInAComment_Warns(char control)
    {
        var text = LimitCases.Offline("// " + control + " looks harmless");
        var result = SigilCompiler.Compile(new SourceFile("f.sigil", text));
        Assert.NotNull(result.Spec);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal("SIG0011", warning.Id);
        Assert.Equal(text.IndexOf(control), warning.Span.Start);
    }

    [Fact]
    public void Emit_EveryShippedFibre_IsTotalAndHasNoLimitLeft()
    {
        foreach (var name in new[] { "dwell", "atp", "cache" })
        {
            var spec = SigilCompiler.Compile(new SourceFile(name + ".sigil", Fibres.Text(name)), Fibres.ReadTable).Spec!;
            Assert.Empty(ArtefactEmitter.Check(spec));
            var emission = ArtefactEmitter.Emit(spec, name + ".sigil");
            Assert.Empty(emission.Diagnostics);
            Assert.NotEmpty(emission.Artefacts);
        }
    }

    [Fact]
    public void Emit_EmitterFailure_IsSig9999AtTheFileNotAnException()
    {
        var spec = SigilCompiler.Compile(new SourceFile("dwell.sigil", Fibres.Text("dwell")), Fibres.ReadTable).Spec!;
        // A spec no compilation returns (a second kernel throttle added after the check).
        var broken = spec with { Actuators = spec.Actuators.Concat(spec.Actuators.Where(static a => a.Kind == ActuatorKind.Throttle)).ToEquatableArray() };
        var emission = ArtefactEmitter.Emit(broken, "/x/dwell.sigil");
        Assert.Empty(emission.Artefacts);
        var error = Assert.Single(emission.Diagnostics);
        Assert.Equal(("SIG9999", "/x/dwell.sigil", 0), (error.Id, error.FilePath, error.Span.Start));
        Assert.StartsWith("Internal compiler error: emitting fibre 'dwell' failed: ", error.Message);
    }
}
