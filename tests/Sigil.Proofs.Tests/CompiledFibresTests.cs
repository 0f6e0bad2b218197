using System;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>The shipped fibres as the compiler lowers them: their Coq files are accepted, with the model's own numbers.</summary>
public sealed class CompiledFibresTests
{
    private readonly ITestOutputHelper _output;

    public CompiledFibresTests(ITestOutputHelper output) => _output = output;

    internal static FibreSpec Compile(string name, params (string Find, string Replace)[] edits)
    {
        var path = Path.Combine(Coq.Repository, "fibres", name + ".sigil");
        var folder = Path.GetDirectoryName(path)!;
        var text = File.ReadAllText(path);
        foreach (var (find, replace) in edits)
        {
            Assert.Contains(find, text);
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }

        var result = SigilCompiler.Compile(new SourceFile(path, text), table =>
        {
            var file = Path.Combine(folder, table);
            return File.Exists(file) ? File.ReadAllText(file) : null;
        });
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    [CoqTheory]
    [MemberData(nameof(CoqEmitterTests.FibreNames), MemberType = typeof(CoqEmitterTests))]
    public void Report_CompiledFibre_EveryTheoremAccepted_OnlyRealsAxioms(string name)
    {
        var spec = Compile(name);
        var result = ProofReport.Run(spec, Coq.Options);
        _output.WriteLine(result.Format());
        Assert.True(result.AllAccepted, result.Format());
        Assert.True(result.OnlyRealsAxioms, string.Join(", ", result.Axioms ?? Array.Empty<string>()));
        Assert.NotEmpty(result.Rows);
        var code = CoqLibraryTests.StripComments(CoqEmitter.Emit(spec).Content);
        foreach (var banned in new[] { "Admitted", "admit", "Axiom", "Parameter", "Conjecture", "Hypothesis" })
        {
            Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"\b" + banned + @"\b"), code);
        }
    }

    public static TheoryData<string, string, string, string, string> EditedFibres => new()
    {
        { "dwell", "step = 2.0", "step = 0.75", "param kill_price = 15;", "param kill_price = 40;" },
        { "dwell", "param budget : s = 5.0;", "param budget : s = 2.5;", "param throttle_price = 5;", "param throttle_price = 1.5;" },
        { "cache", "rho = 1.0;", "rho = 0.3;", "param footprint : MiB = 8;", "param footprint : MiB = 12;" },
    };

    [CoqTheory]
    [MemberData(nameof(EditedFibres))]
    public void Report_CompiledFibreWithOtherNumbers_EveryTheoremAccepted(string name, string find1, string replace1, string find2, string replace2)
    {
        var spec = Compile(name, (find1, replace1), (find2, replace2));
        var result = ProofReport.Run(spec, Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(result.Format());
        Assert.True(result.AllAccepted, result.Format());
        Assert.NotEqual(CoqEmitter.Emit(Compile(name)).Content, CoqEmitter.Emit(spec).Content);
    }

    [Fact]
    public void Build_CompiledDwell_StatesTheKillBoundOfTheBrief()
    {
        // "a process whose dwell exceeds the 5 s budget by at least 1 s is killed within 8 price updates"
        var document = CoqEmitter.Build(Compile("dwell"));
        var kill = Assert.Single(document.Theorems, t => t.Bound is { Kind: "detection", Kernel: false } b && b.Price == 15);
        Assert.Equal(8, kill.Bound!.Updates);
        Assert.Contains("exceeds the 5 s budget by at least 1 s at every update is killed", kill.Meaning);
        Assert.Contains(document.Theorems, t => t.Bound is { Kind: "detection", Kernel: true } b && b.Price == 15 && b.Updates == 8);
    }

    [Fact]
    public void Build_CompiledFibres_EmitTheCertificatesTheyAskFor()
    {
        static string[] Certificates(string name) => CoqEmitter.Build(Compile(name)).Theorems.Select(t => t.Certificate).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();

        Assert.Equal(new[] { "detection", "kernel", "lyapunov", "price" }, Certificates("dwell"));
        // atp asks for no certificate (a linear and quadratic programme solved by ADMM in OSQP's form,
        // whose adaptive rho the fixed-rho admm theorem does not cover): its file states the
        // chordality of its resource graph only.
        Assert.Equal(new[] { "chordal" }, Certificates("atp"));
        Assert.Equal(new[] { "admm", "chordal" }, Certificates("cache"));
    }
}
