using System.Globalization;
using System.Text.Json;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Metabolism;
using Sigil.Tests.Shared.Metabolism;

namespace Sigil.Daemon.Tests.Cli;

/// <summary>
/// The metabolic fibres through the sigil command: `sigil model export` writes the tables the fibres
/// read (the checked-in fibres/ecoli_core/ is its output), and `sigil solve` reaches GLPK's and
/// CVXOPT's optima on them, run in the same test.
/// </summary>
public sealed class MetabolicCliTests : IDisposable
{
    private static readonly string s_fibres = Path.Combine(CobraModels.RepositoryRoot(), "fibres");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [ModelFact]
    public async Task ModelExport_EcoliCore_WritesTheCheckedInTables_ByteForByte()
    {
        var output = _dir.Combine("ecoli_core");
        var result = await ProcessRunner.RunSigilAsync(["model", "export", CobraModels.EcoliCore, "--out", output]);
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        Assert.Contains("95 reactions, 72 metabolites, 360 nonzeros", result.StandardOutput, StringComparison.Ordinal);
        foreach (var file in new[] { "reactions.csv", "metabolites.csv", "stoichiometry.csv" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(s_fibres, "ecoli_core", file)), File.ReadAllText(Path.Combine(output, file)));
        }
    }

    [Fact]
    public async Task ModelExport_BadModel_SaysWhichFile_AndExits1()
    {
        var bad = _dir.Combine("bad.json");
        File.WriteAllText(bad, "{\"metabolites\": []}");
        var result = await ProcessRunner.RunSigilAsync(["model", "export", bad, "--out", _dir.Combine("out")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(bad + ": a COBRA JSON model needs 'metabolites' and 'reactions'", result.StandardError, StringComparison.Ordinal);
        var missing = await ProcessRunner.RunSigilAsync(["model", "export", _dir.Combine("none.xml"), "--out", _dir.Combine("out")]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.StandardError, StringComparison.Ordinal);
    }

    [ModelFact]
    public async Task Solve_FluxBalanceFibre_ReachesGlpksOptimum_WithinOneInAMillion()
    {
        var (status, glpk) = Glpk.Solve(MetabolicModel.ReadSbml(CobraModels.EcoliCore));
        Assert.Equal("OPTIMAL", status);
        Assert.True(Math.Abs(glpk - CobraModels.EcoliCoreOptimum) <= 1e-6 * CobraModels.EcoliCoreOptimum, $"GLPK {glpk:R}");

        var root = await SolveJson(Path.Combine(s_fibres, "ecoli_core", "fba.sigil"));
        Assert.Equal("solved", root.GetProperty("status").GetString());
        Assert.Equal(360, root.GetProperty("nonzeros").GetInt32());
        var objective = root.GetProperty("primal_objective").GetDouble();
        Assert.True(Math.Abs(objective - glpk) <= 1e-6 * glpk, $"sigil solve {objective:R}, GLPK {glpk:R}");
    }

    [ModelFact]
    public async Task Solve_AtpFibre_MatchesCvxoptsQp_OnTheSameModel()
    {
        var expected = AtpReference.Cvxopt();
        var root = await SolveJson(Path.Combine(s_fibres, "atp.sigil"));
        Assert.Equal("solved", root.GetProperty("status").GetString());
        var objective = root.GetProperty("primal_objective").GetDouble();
        Assert.True(Math.Abs(objective - expected.Objective) <= 1e-6 * expected.Objective, $"sigil solve {objective:R}, CVXOPT {expected.Objective:R}");
        var values = root.GetProperty("variables").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("value").GetDouble(), StringComparer.Ordinal);
        Assert.Equal(8.39, values["$v[R_ATPM]"], 1e-6);
        foreach (var (edit, reaction) in AtpReference.Edits)
        {
            var made = values[string.Create(CultureInfo.InvariantCulture, $"$made[{edit}]")];
            Assert.True(Math.Abs(made - expected.Flux[reaction]) <= 1e-4, $"{edit}: sigil {made:R}, CVXOPT {expected.Flux[reaction]:R}");
            Assert.Equal(made, values[$"$v[{reaction}]"], 1e-6);
        }
    }

    [ModelFact]
    public async Task Solve_FluxBalanceWithFreeReversibleReactions_QpEngineReachesGlpksOptimum()
    {
        // E. coli core with its reversible reactions free below ([-inf, upper], as COBRA models often
        // write them) and the others bounded: two reaction families, the free one written `-inf` in
        // the fibre. GLPK solves the same LP in this test.
        MetabolicModel model = MetabolicModel.ReadSbml(CobraModels.EcoliCore);
        var free = Enumerable.Range(0, model.Reactions.Count).Where(j => model.Lower[j] == -1000).ToHashSet();
        Assert.True(free.Count >= 40, $"{free.Count} reversible reactions");
        foreach (var j in free)
        {
            model.Lower[j] = double.NegativeInfinity;
        }

        var (status, glpk) = Glpk.Solve(model);
        Assert.Equal("OPTIMAL", status);

        string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var rev = new System.Text.StringBuilder("reaction,rupper,robjective\n");
        var irr = new System.Text.StringBuilder("reaction,ilower,iupper,iobjective\n");
        for (var j = 0; j < model.Reactions.Count; j++)
        {
            _ = free.Contains(j)
                ? rev.Append(model.Reactions[j]).Append(',').Append(R(model.Upper[j])).Append(',').Append(R(model.Objective[j])).Append('\n')
                : irr.Append(model.Reactions[j]).Append(',').Append(R(model.Lower[j])).Append(',').Append(R(model.Upper[j])).Append(',').Append(R(model.Objective[j])).Append('\n');
        }

        var sRev = new System.Text.StringBuilder("metabolite,reaction,value\n");
        var sIrr = new System.Text.StringBuilder("metabolite,reaction,value\n");
        for (var k = 0; k < model.EntryValue.Count; k++)
        {
            (free.Contains(model.EntryReaction[k]) ? sRev : sIrr).Append(model.Metabolites[model.EntryMetabolite[k]]).Append(',').Append(model.Reactions[model.EntryReaction[k]]).Append(',').Append(R(model.EntryValue[k])).Append('\n');
        }

        File.WriteAllText(_dir.Combine("rev.csv"), rev.ToString());
        File.WriteAllText(_dir.Combine("irr.csv"), irr.ToString());
        File.WriteAllText(_dir.Combine("s_rev.csv"), sRev.ToString());
        File.WriteAllText(_dir.Combine("s_irr.csv"), sIrr.ToString());
        File.Copy(Path.Combine(s_fibres, "ecoli_core", "metabolites.csv"), _dir.Combine("metabolites.csv"));
        var fibre = _dir.Combine("fba_free.sigil");
        File.WriteAllText(fibre, """
            fibre fba_free {
                table rev from "rev.csv" { rupper : mmol/gDW/h; robjective; }
                table irr from "irr.csv" { ilower : mmol/gDW/h; iupper : mmol/gDW/h; iobjective; }
                table metabolites from "metabolites.csv" { }
                index r1 from rev;
                index r2 from irr;
                index met from metabolites;
                table Sr[met, r1] from "s_rev.csv";
                table Si[met, r2] from "s_irr.csv";

                $f[r1] : mmol/gDW/h in [-inf, rupper[r1]];
                $g[r2] : mmol/gDW/h in [ilower[r2], iupper[r2]];

                couple balance[m]: (sum(r in r1) Sr[m, r] * $f[r]) + (sum(q in r2) Si[m, q] * $g[q]) == 0;
                utility $f[r] ~ robjective[r] * $f[r];
                utility $g[q] ~ iobjective[q] * $g[q];

                solve admm { tolerance = 1e-9; iterations = 50000; }
            }
            """);

        var root = await SolveJson(fibre);
        Assert.Equal("solved", root.GetProperty("status").GetString());
        Assert.Equal(model.EntryValue.Count, root.GetProperty("nonzeros").GetInt32());
        var objective = root.GetProperty("primal_objective").GetDouble();
        Assert.True(Math.Abs(objective - glpk) <= 1e-6 * glpk, $"sigil solve {objective:R}, GLPK {glpk:R}");
        var values = root.GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("value").GetDouble()).ToList();
        Assert.Equal(model.Reactions.Count, values.Count);
        Assert.All(values, v => Assert.True(double.IsFinite(v), $"value {v}"));
    }

    [Fact]
    public async Task Solve_SumsAlongRowsAndDownColumnsOfASparseTable_StoreItsNonzerosOnly()
    {
        // 36 entries, each loading one 'balance' row (along its row) and one 'cut' row (down its column).
        var root = await SolveJson(Sigil.Tests.Shared.SparseTables.WriteSquare(_dir.Path, 12, 36));
        Assert.Equal(72, root.GetProperty("nonzeros").GetInt32());
        Assert.Equal(24, root.GetProperty("rows").GetArrayLength());
    }

    private async Task<JsonElement> SolveJson(string fibre)
    {
        var result = await ProcessRunner.RunSigilAsync(["solve", fibre, "--format", "json"]);
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.Clone();
    }
}
