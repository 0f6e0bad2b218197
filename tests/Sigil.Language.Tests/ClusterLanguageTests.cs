using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Tests;

/// <summary>Cluster resources: the declaration, the node count in the analyses, and what does not decompose.</summary>
public sealed class ClusterLanguageTests
{
    private static string Power(string resource, string solve = "solve dual { step = auto; }", string row = "couple @power >= sum(j in job) watts * $cpu[j];") => $$"""
        fibre p {
            index job by pid max 4;
            param watts : W/cpu = 50;
            $cpu[job] : cpu in [1, 4];
            @node : W = 400;
            {{resource}}
            couple @node >= sum(j in job) watts * $cpu[j];
            {{row}}
            utility $cpu[j] ~ fair($cpu[j] + 0.1, 2);
            {{solve}}
        }
        """;

    private static FibreSpec Spec(string text)
    {
        var result = Fibres.CompileText(text, "p.sigil");
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        return result.Spec!;
    }

    [Fact]
    public void Cluster_Declaration_RecordsTheNodeCount()
    {
        Assert.Equal(8, Spec(Power("@power : W = 2000 cluster max 8;")).Resources.Single(r => r.Name == "power").ClusterNodes);
        Assert.Equal(16, Spec(Power("@power : W = 4000 cluster;")).Resources.Single(r => r.Name == "power").ClusterNodes);
        Assert.Equal(0, Spec(Power("@power : W = 2000;")).Resources.Single(r => r.Name == "power").ClusterNodes);
        Assert.True(Fibres.Spec("power").Resources.Single(r => r.Name == "power").IsCluster);
    }

    /// <summary>N nodes load the cluster row with N copies of their terms: feasibility, ||A||^2 and G count them.</summary>
    [Fact]
    public void Cluster_Analyses_CountTheDeclaredNodes()
    {
        var one = Spec(Power("@power : W = 2000 cluster max 1;")).Analysis;
        var eight = Spec(Power("@power : W = 2000 cluster max 8;")).Analysis;

        // Lower bounds force 4 jobs x 50 W x 1 CPU = 200 W per node.
        Assert.Equal(200, one.Feasibility.Single(f => f.Row == "power").MinLoad, 9);
        Assert.Equal(1600, eight.Feasibility.Single(f => f.Row == "power").MinLoad, 9);

        // ||A||_1 ||A||_inf: columns 50 + 50; the cluster row's sum grows from 4 x 50 to 8 x 4 x 50.
        Assert.Equal(100 * 200, one.NormASquared, 9);
        Assert.Equal(100 * 1600, eight.NormASquared, 9);
        Assert.True(eight.MaxStableStep < one.MaxStableStep);

        // G: the cluster row at its upper bounds, 8 x 4 x 50 x 4 = 6400 W against 2000 W.
        Assert.Equal(6400 - 2000, eight.LoadErrorBound, 9);
    }

    [Fact]
    public void Cluster_MoreNodesThanTheBudgetCarries_IsInfeasible()
    {
        var result = Fibres.CompileText(Power("@power : W = 1000 cluster max 8;"), "p.sigil");
        Assert.Equal("SIG2006", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Cluster_SolveAdmm_IsAccepted_SolvePenaltyIsNot()
    {
        var admm = Spec(Power("@power : W = 2000 cluster max 8;", "solve admm { rho = 0.0002; }"));
        Assert.Equal(SolverMethod.Admm, admm.Solver.Method);
        Assert.Equal(0.0002, admm.Solver.Rho);
        var penalty = Assert.Single(Fibres.CompileText(Power("@power : W = 2000 cluster max 8;", "solve penalty { mu = 1; }"), "p.sigil").Diagnostics);
        Assert.Equal("SIG2019", penalty.Id);
        Assert.Contains("needs 'solve dual' or 'solve admm', not 'penalty'", penalty.Message, System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@power : W = 2000 cluster max 8;", "couple @power >= (sum(j in job) watts * $cpu[j]) - sum(k in job) 1 * watts * $cpu[k];", "a load term has a negative coefficient")]
    [InlineData("@power : W = 2000 cluster max 0;", null, null)]
    [InlineData("@power : W = 2000 clustre;", null, null)]
    public void Cluster_BadDeclarations_AreDiagnosed(string resource, string? row, string? reason)
    {
        var result = Fibres.CompileText(row is null ? Power(resource) : Power(resource, row: row), "p.sigil");
        var diagnostic = Assert.Single(result.Diagnostics);
        if (reason is not null)
        {
            Assert.Equal("SIG2019", diagnostic.Id);
            Assert.Contains(reason, diagnostic.Message, System.StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(diagnostic.Id, new[] { "SIG1011", "SIG1012" });
        }
    }
}
