using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Fibres;
using Sigil.Runtime.Solvers;

namespace Sigil.Generators.Tests;

/// <summary>
/// The worked examples of docs/api.md, run against the generated types of the shipped fibres. Each
/// ```csharp block of the document must appear in this file verbatim (indentation aside), so an
/// example that stops compiling or stops printing what the document says fails here.
/// </summary>
public sealed class ApiDocExamples
{
    // The examples write to Console; here that is this writer, so the test reads what they print.
    private StringWriter Console { get; } = new();

    [Fact]
    public void ApiDoc_EveryExample_IsRunHere()
    {
        var doc = File.ReadAllText(Path.Combine(GeneratorHost.RepoRoot, "docs", "api.md"));
        var here = Normalise(File.ReadAllText(Path.Combine(GeneratorHost.RepoRoot, "tests", "Sigil.Generators.Tests", "ApiDocExamples.cs")));
        var blocks = Regex.Matches(doc, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(static m => m.Groups[1].Value).ToList();
        Assert.Equal(4, blocks.Count);
        foreach (var block in blocks)
        {
            Assert.Contains(Normalise(block), here, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Atp_SolveAndReadFluxesAndPrice()
    {
        var problem = AtpFibre.CreateProblem();               // E. coli core, from ecoli_core/*.csv
        var result = AtpFibre.Solve(problem);                 // solve admm { ... }: a QP, in OSQP's form
        var fluxes = AtpFibre.Members.Rxn.Count;              // $made[edit] follows the 95 fluxes $v[rxn]
        for (var e = 0; e < AtpFibre.Members.Edit.Count; e++)
        {
            Console.WriteLine($"{AtpFibre.Members.Edit[e]}: {result.X[fluxes + e]:F3} mmol/gDW/h");
        }

        var maintain = AtpFibre.Members.Met.Count;            // the row after the 72 mass balances
        Console.WriteLine($"^maintain = {result.Prices[maintain]:F4} (ATPM fixed at {problem.Capacity[maintain]}), {result.Status}");

        Assert.Contains("formate: 4.236 mmol/gDW/h", Console.ToString(), StringComparison.Ordinal);
        Assert.Contains("succinate: 0.000 mmol/gDW/h", Console.ToString(), StringComparison.Ordinal);
        Assert.Contains("(ATPM fixed at 8.39), Solved", Console.ToString(), StringComparison.Ordinal);
        Assert.Equal(AtpFibre.Parameters.Maintenance, problem.Capacity[maintain]);
        Assert.Equal((95, 72), (fluxes, maintain));
    }

    [Fact]
    public void Dwell_OnlinePricerFollowsSensedLoads()
    {
        var problem = DwellFibre.CreateProblem(taskCount: 2);  // two processes
        var pricer = DwellFibre.CreatePricer(problem);         // pi <- [pi + step (load - budget)]+
        pricer.Update(new[] { 8.0, 1.0 });                     // seconds each held its files this tick
        var throttle = pricer.Prices[0] >= DwellFibre.Actions.ThrottlePrice;
        Console.WriteLine($"prices {pricer.Prices[0]} and {pricer.Prices[1]}; throttle the first: {throttle}");

        Assert.Equal("prices 6 and 0; throttle the first: True\n", Console.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("price_dwell", DwellFibre.Prices.Dwell);
        Assert.True(DwellFibre.IsOnline);
    }

    [Fact]
    public void Cache_SolvePlacementAndReadDomainPrices()
    {
        var problem = CacheFibre.CreateProblem(threadCount: 4);
        var result = CacheFibre.Solve(problem);                // solve admm { rho = 1.0; ... }
        var domains = CacheFibre.Members.Domain;               // node0, node1: cache.domains.csv
        for (var t = 0; t < 4; t++)
        {
            // $x[t, d] is flattened row-major: X[t * domains.Count + d].
            var shares = domains.Select((name, d) => $"{name} {result.X[(t * domains.Count) + d]:F2}");
            Console.WriteLine($"thread {t}: " + string.Join(", ", shares));
        }

        // Rows follow the couple statements: @llc[d], then @cpu[d], then placed[t].
        Console.WriteLine($"^cpu[node0] = {result.Prices[domains.Count]:F3}");

        Assert.True(result.Converged);
        Assert.Equal(new[] { "node0", "node1" }, domains);
        Assert.Equal(2 + 2 + 4, problem.ResourceCount);
        Assert.Contains("thread 3: node0 0.50, node1 0.50", Console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Dwell_InstanceChangesBudgetsAtRunTime()
    {
        var instance = new DwellFibre.Instance(taskCount: 2);  // CreateProblem once; A is kept
        instance.Budget = 6;                                   // param budget: every @dwell[t] is 6 s
        instance.SetDwellBudget(1, 3);                         // one process's own budget
        var result = instance.Solve();                         // the first solve is cold
        Console.WriteLine($"holds {result.X[0]:F2} s and {result.X[1]:F2} s: {result.Status}");
        try
        {
            instance.SetHoldBounds(0, 5, 1);                   // refused: nothing changes
        }
        catch (ArgumentException e)
        {
            Console.WriteLine(e.Message);
        }

        var again = instance.Solve();                          // warm from the last prices

        Assert.Equal(
            "holds 6.00 s and 3.00 s: Solved\n$hold[0]: bounds [5, 1]: the lower bound is above the upper bound. (Parameter 'lower')\n",
            Console.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(SolveStatus.Solved, again.Status);
        Assert.True(again.Iterations <= result.Iterations, $"warm {again.Iterations}, cold {result.Iterations}");
        Assert.Equal((0.0, 3600.0), instance.GetHoldBounds(0));
    }

    private static string Normalise(string text) =>
        string.Join("\n", text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(static l => l.Trim()).Where(static l => l.Length > 0));
}
