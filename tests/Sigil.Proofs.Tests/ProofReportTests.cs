using System;
using System.IO;
using System.Linq;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>coqc on the generated files: the shipped fibres, other numbers, and wrong numbers it must reject.</summary>
public sealed class ProofReportTests
{
    private readonly ITestOutputHelper _output;

    public ProofReportTests(ITestOutputHelper output) => _output = output;

    private ProofReportResult Report(FibreSpec spec)
    {
        var result = ProofReport.Run(spec, Coq.Options);
        _output.WriteLine(result.Format());
        return result;
    }

    [CoqTheory]
    [MemberData(nameof(CoqEmitterTests.FibreNames), MemberType = typeof(CoqEmitterTests))]
    public void Report_ShippedFibre_EveryTheoremAccepted_OnlyRealsAxioms(string name)
    {
        var result = Report(CoqEmitterTests.Fibre(name));
        Assert.Null(result.SkipReason);
        Assert.Null(result.FileError);
        Assert.NotEmpty(result.Rows);
        Assert.All(result.Rows, r => Assert.Equal(ProofStatus.Accepted, r.Status));
        Assert.True(result.AllAccepted);
        Assert.NotNull(result.Axioms);
        Assert.True(result.OnlyRealsAxioms, string.Join(", ", result.Axioms!));
        Assert.StartsWith("coqc 8.", result.CoqcVersion);
        Assert.True(result.FileTime > TimeSpan.Zero);
    }

    public static TheoryData<string> OtherNumbers => new()
    {
        "dwell, step 0.5, budget 2.5, thresholds 1 and 40",
        "dwell, budget 1, step 2, thresholds 1 and 3 (the hold-timer test's numbers)",
        "dwell, step 0.1 (not a binary fraction), scale 2^16",
        "dwell, budget 0.75 under 1 s, load max 60, price max 5000",
        "atp, budget 12, step 0.01",
        "cache, rho 0.25",
        "cache, a chordal 5-node graph (two triangles and a pendant)",
    };

    internal static FibreSpec OtherFibre(string what) => what switch
    {
        "dwell, step 0.5, budget 2.5, thresholds 1 and 40" => Fixtures.Dwell(step: 0.5, budget: 2.5, throttle: 1, kill: 40),
        "dwell, budget 1, step 2, thresholds 1 and 3 (the hold-timer test's numbers)" => Fixtures.Dwell(step: 2, budget: 1, throttle: 1, kill: 3),
        "dwell, step 0.1 (not a binary fraction), scale 2^16" => Fixtures.Dwell(step: 0.1, scaleBits: 16),
        "dwell, budget 0.75 under 1 s, load max 60, price max 5000" => Fixtures.Dwell(budget: 0.75, throttle: 3.5, kill: 7.25, loadMax: 60, priceMax: 5000),
        "atp, budget 12, step 0.01" => Fixtures.Atp(step: 0.01, maintenance: 12),
        "cache, rho 0.25" => Fixtures.Cache(rho: 0.25),
        "cache, a chordal 5-node graph (two triangles and a pendant)" => Fixtures.Cache(graph: Fixtures.Graph(
            new[] { "a", "b", "c", "d", "e" },
            new[] { ("a", "b"), ("a", "c"), ("b", "c"), ("b", "d"), ("c", "d"), ("d", "e") },
            new[] { "a", "e", "b", "c", "d" },
            new[] { new[] { "a", "b", "c" }, new[] { "b", "c", "d" }, new[] { "d", "e" } })),
        _ => throw new ArgumentException(what),
    };

    [CoqTheory]
    [MemberData(nameof(OtherNumbers))]
    public void Report_OtherNumbers_EveryTheoremAccepted(string what)
    {
        var result = Report(OtherFibre(what));
        Assert.True(result.AllAccepted, what + "\n" + result.Format());
    }

    [CoqFact]
    public void Report_StepAboveTheStabilityBound_IsRejected()
    {
        var atp = Fixtures.Atp();
        var tooLarge = Fixtures.Atp(step: atp.Analysis.MaxStableStep * 1.01);
        var result = Report(tooLarge);
        Assert.False(result.AllAccepted);
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_atp_step_below_bound").Status);
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_atp_step_descent").Status);
        Assert.Contains("Cannot find witness", Row(result, "s_atp_step_below_bound").Error);
        // The rest of the file is still checked, and holds.
        Assert.Equal(ProofStatus.Accepted, Row(result, "s_atp_drift_atp").Status);
        Assert.Null(result.FileError);
    }

    [CoqFact]
    public void Report_KillThresholdBelowThrottleThreshold_IsRejected()
    {
        var result = Report(Fixtures.Dwell(throttle: 5, kill: 3));
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_dwell_escalation_throttle_kill_dwell").Status);
        Assert.Equal(ProofStatus.Accepted, Row(result, "s_dwell_detects_kill_dwell").Status);
        Assert.Single(result.Rows, r => r.Status == ProofStatus.Rejected);
    }

    [CoqFact]
    public void Report_KillThresholdAboveTheKernelsSaturation_IsRejected()
    {
        // The kernel's price saturates at 10, so it can never reach the kill price 15.
        var result = Report(Fixtures.Dwell(priceMax: 10));
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_dwell_kernel_detects_kill_dwell").Status);
        Assert.Equal(ProofStatus.Accepted, Row(result, "s_dwell_kernel_detects_throttle_dwell").Status);
    }

    [CoqFact]
    public void Report_KernelNumbersThatOverflow_AreRejected()
    {
        var dwell = Fixtures.Dwell();
        var result = Report(dwell with { FixedPoint = dwell.FixedPoint! with { StepFixed = 1L << 40 } });
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_dwell_kernel_no_overflow").Status);
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_dwell_kernel_encodes_dwell").Status);
    }

    [CoqFact]
    public void Report_NonChordalGraph_IsRejected()
    {
        var square = Fixtures.Graph(
            new[] { "a", "b", "c", "d" },
            new[] { ("a", "b"), ("b", "c"), ("c", "d"), ("a", "d") },
            new[] { "a", "b", "c", "d" },
            new[] { new[] { "a", "b" }, new[] { "b", "c" }, new[] { "c", "d" }, new[] { "a", "d" } });
        var result = Report(Fixtures.Cache(graph: square));
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_cache_graph_chordal").Status);
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_cache_graph_peo").Status);
        Assert.Equal(ProofStatus.Accepted, Row(result, "s_cache_admm_lyapunov").Status);
    }

    [CoqFact]
    public void Report_NonPositiveRho_IsRejected()
    {
        var result = Report(Fixtures.Cache(rho: 0));
        Assert.Equal(ProofStatus.Rejected, Row(result, "s_cache_admm_lyapunov").Status);
    }

    [CoqFact]
    public void Report_LibraryCheckedByAnEarlierRun_IsReused()
    {
        // A later run with the same sources and coqc finds the library an earlier run completed
        // (here: this run's, copied to a fresh work folder) and does not check it again.
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var shared = CoqLibrary.Compile(coqc, CoqLibrary.Load(Coq.Library), Coq.Options.WorkDirectory!, TimeSpan.FromMinutes(5));
        Assert.True(shared.Ok, shared.Error);
        var marker = Path.Combine(shared.Root, ".checked");
        Assert.True(File.Exists(marker));
        Assert.Contains("coqc 8.", File.ReadAllText(marker));

        var work = Path.Combine(Coq.Options.WorkDirectory!, "reuse-" + Guid.NewGuid().ToString("N"));
        Copy(shared.Root, Path.Combine(work, Path.GetFileName(shared.Root)));
        var result = ProofReport.Run(Fixtures.Cache(), Coq.Options with { WorkDirectory = work, ReuseCheckedLibrary = true, CheckAssumptions = false });
        Assert.True(result.AllAccepted, result.Format());
        Assert.True(result.LibraryReused);
        Assert.Equal(TimeSpan.Zero, result.LibraryTime);
        Assert.Contains("library checked by an earlier run", result.Format());
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public void Report_WithoutCoqc_SaysWhyAndChecksNothing()
    {
        var result = ProofReport.Run(Fixtures.Dwell(), Coq.Options with { CoqcPath = "/nonexistent/coqc" });
        Assert.Contains("coqc was not found", result.SkipReason);
        Assert.NotEmpty(result.Rows);
        Assert.All(result.Rows, r => Assert.Equal(ProofStatus.NotChecked, r.Status));
        Assert.False(result.AllAccepted);
        Assert.Contains("not checked: coqc was not found", result.Format());
    }

    [Fact]
    public void Report_ModelThatCannotBeStated_SaysWhy()
    {
        var result = ProofReport.Run(Fixtures.Dwell() with { Name = "not a name" }, Coq.Options);
        Assert.Contains("cannot be stated in Coq", result.SkipReason);
        Assert.Empty(result.Rows);
    }

    [CoqFact]
    public void Report_Format_ShowsMeaningsStatusAndTimes()
    {
        var text = Report(Fixtures.Dwell()).Format();
        Assert.Contains("fibre dwell: coqc 8.", text);
        Assert.Contains("proved", text);
        Assert.Contains("a task whose load on @dwell exceeds the 5 s budget by at least 1 s at every update is killed (its price reaches 15) within 8 updates", text);
        Assert.Contains("(Coq's standard Reals library only)", text);
        Assert.DoesNotContain("REJECTED", text);
    }

    private static ProofRow Row(ProofReportResult result, string theorem) => Assert.Single(result.Rows, r => r.Theorem == theorem);
}
