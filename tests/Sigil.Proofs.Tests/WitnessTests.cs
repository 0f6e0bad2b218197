using System;
using System.IO;
using System.Linq;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>
/// No generated theorem is vacuous: each one with hypotheses is followed by an example that
/// applies it at values taken from the fibre's numbers and proves every hypothesis there, so a
/// theorem whose hypotheses nothing satisfies fails its file (and the proof report rejects it).
/// </summary>
public sealed class WitnessTests
{
    private readonly ITestOutputHelper _output;

    public WitnessTests(ITestOutputHelper output) => _output = output;

    /// <summary>Every fibre the repository ships (fibres/*.sigil).</summary>
    public static TheoryData<string> ShippedFibres()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Coq.Repository, "fibres"), "*.sigil").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedFibres))]
    public void Build_ShippedFibre_EveryTheoremWithHypothesesHasAWitnessExample(string name)
    {
        var document = CoqEmitter.Build(CompiledFibresTests.Compile(name));
        var text = CoqEmitter.Render(document);
        foreach (var theorem in document.Theorems)
        {
            if (theorem.Statement.Contains("->", StringComparison.Ordinal))
            {
                Assert.True(theorem.Witness is not null, $"{name}: {theorem.Name} has hypotheses and no witness");
            }

            if (theorem.Witness is not null)
            {
                Assert.Contains("Example " + CoqEmitter.WitnessName(theorem) + " : True.\nProof.\n  pose proof " + theorem.Name + " as T.", text);
                Assert.Contains("Not vacuous: the hypotheses of " + theorem.Name + " all hold at " + theorem.Witness.Text, text);
            }
        }
    }

    [CoqFact]
    public void Report_LoadErrorBoundBelowTheDetectionMargin_RejectsTheDetectionTheorems()
    {
        // Detection at a load 1 s above the budget says nothing when the bounds keep every load
        // within 0.5 s of it: the witness's bound fact fails, and the report rejects the theorem.
        var dwell = Fixtures.Dwell();
        var result = ProofReport.Run(dwell with { Analysis = dwell.Analysis with { LoadErrorBound = 0.5 } }, Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(result.Format());
        var rejected = result.Rows.Where(r => r.Status == ProofStatus.Rejected).Select(r => r.Theorem).OrderBy(t => t, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "s_dwell_detects_kill_dwell", "s_dwell_detects_throttle_dwell", "s_dwell_recovers_from_throttle_dwell" }, rejected);
        Assert.All(result.Rows.Where(r => r.Status == ProofStatus.Rejected), r => Assert.Contains("does not hold at the witnesses", r.Error));
    }

    [CoqFact]
    public void Coqc_ATheoremNoBoundedLoadSatisfies_FailsItsFile()
    {
        // atp's old contraction theorem assumed a load that falls at rate m > 0 at every price
        // and stayed within G of the budget: no load does both, so the theorem said nothing.
        // Stated with a witness, it fails the file.
        var dwell = CoqEmitter.Build(Fixtures.Dwell());
        var vacuous = new CoqTheorem(
            "s_dwell_contraction_dwell",
            "lyapunov",
            "a vacuous theorem",
            "forall (load : R -> R), strongly_decreasing load 1 ->\n  (forall p, Rabs (load p - s_dwell_budget_dwell) <= s_dwell_load_error) -> 0 <= 1",
            "intros. lra.",
            null,
            new CoqWitness("a load at the budget", EquatableArray.Create(new CoqWitnessPart(EquatableArray.Create("fun _ : R => s_dwell_budget_dwell"))), EquatableArray<string>.Empty, "unfold strongly_decreasing in *"));
        var text = CoqEmitter.Render(dwell with { Theorems = dwell.Theorems.Append(vacuous).ToEquatableArray() });
        var run = RunCoqc(text, "vacuous");
        Assert.False(run.Succeeded, "a vacuous theorem was accepted");
        Assert.Contains("this hypothesis does not hold at the witnesses", run.Output);
        Assert.Contains("strongly_decreasing", run.Output);
        Assert.True(RunCoqc(CoqEmitter.Render(dwell), "plain").Succeeded);
    }

    private static CoqcRun RunCoqc(string text, string name)
    {
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var library = CoqLibrary.Compile(coqc, CoqLibrary.Load(Coq.Library), Coq.Options.WorkDirectory!, TimeSpan.FromMinutes(5));
        Assert.True(library.Ok, library.Error);
        var folder = Path.Combine(Coq.Options.WorkDirectory!, "witness-" + name);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "dwell.v");
        File.WriteAllText(path, text);
        return coqc.Run(new[] { "-q" }.Concat(library.LoadPath).Append(path), folder, TimeSpan.FromMinutes(2));
    }
}
