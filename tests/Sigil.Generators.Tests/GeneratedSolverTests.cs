using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Sigil.Fibres;
using Sigil.Runtime.Solvers;

namespace Sigil.Generators.Tests;

/// <summary>The generated, typed fibres solve their instances (compiled by the real build, through Sigil.Fibres).</summary>
public sealed class GeneratedSolverTests
{
    [Fact]
    public void AtpFibre_CreateProblem_MatchesTheTable()
    {
        var problem = AtpFibre.CreateProblem();
        var table = Table();

        Assert.Equal(table.Length, problem.Coupling.ColumnCount);
        Assert.Equal(1, problem.Coupling.RowCount);
        Assert.Equal(8.39, Assert.Single(problem.Capacity));
        Assert.Equal(table.Select(r => r.Cost), problem.Coupling.RowValue.ToArray());
        Assert.Equal(table.Select(r => r.Hi), Enumerable.Range(0, table.Length).Select(problem.Agents.Upper));
        Assert.Equal(AtpFibre.Members.Edit, table.Select(r => r.Name));
    }

    [Fact]
    public void AtpFibre_Solve_SatisfiesKkt()
    {
        var problem = AtpFibre.CreateProblem();
        var result = AtpFibre.Solve(problem);
        var table = Table();

        Assert.True(result.Converged);
        var price = Assert.Single(result.Prices);
        Assert.True(price > 0, "the ATP budget binds");
        var load = table.Select((r, j) => r.Cost * result.X[j]).Sum();
        Assert.Equal(8.39, load, 1e-6);
        for (var j = 0; j < table.Length; j++)
        {
            // Stationarity with clamping: x_j = clamp(w_j / (a_j pi) - eps, lo, hi).
            var expected = Math.Clamp(table[j].Weight / (table[j].Cost * price) - AtpFibre.Parameters.Eps, table[j].Lo, table[j].Hi);
            Assert.Equal(expected, result.X[j], 1e-5);
        }
    }

    [Fact]
    public void AtpFibre_BudgetAndWeightsChangeAtRunTime_AndAWarmStartReachesTheColdAnswer()
    {
        var problem = AtpFibre.CreateProblem();
        var first = AtpFibre.Solve(problem);
        Assert.Equal(SolveStatus.Solved, first.Status);

        // A 1% smaller budget: warm from the last prices, against a cold solve of the same problem.
        problem.Capacity[0] *= 0.99;
        var warm = AtpFibre.Solve(problem, first.Prices);
        var cold = AtpFibre.Solve(problem);
        Assert.Equal(SolveStatus.Solved, warm.Status);
        Assert.Equal(SolveStatus.Solved, cold.Status);

        // (On this one-row log fibre the cold-start estimate is the exact price, so the cold solve
        // takes 2 iterations; the warm one, from the old price with the fixed step, takes more.)
        Assert.Equal(cold.PrimalObjective, warm.PrimalObjective, 1e-7);
        Assert.True(warm.Loads[0] <= problem.Capacity[0] * (1 + 1e-9));

        // A heavier weight draws more flux to that edit.
        problem.Agents.Weight[1] *= 3;
        var heavier = AtpFibre.Solve(problem);
        Assert.Equal(SolveStatus.Solved, heavier.Status);
        Assert.True(heavier.X[1] > warm.X[1], $"x1 {warm.X[1]} -> {heavier.X[1]}");
    }

    [Fact]
    public void DwellFibre_Solve_GivesEachProcessItsBudget()
    {
        var problem = DwellFibre.CreateProblem(taskCount: 3);
        var result = DwellFibre.Solve(problem);

        Assert.Equal(3, problem.Coupling.RowCount);
        Assert.All(result.X, x => Assert.Equal(DwellFibre.Parameters.Budget, x, 1e-6));
        // log(1 + x) at x = 5: the price equals the marginal utility 1 / 6.
        Assert.All(result.Prices, p => Assert.Equal(1.0 / 6.0, p, 1e-4));
    }

    [Fact]
    public void DwellFibre_OnlinePricer_FollowsTheKernelRule()
    {
        var pricer = DwellFibre.CreatePricer(DwellFibre.CreateProblem(taskCount: 1));

        pricer.Update(new[] { 8.0 });
        Assert.Equal(DwellFibre.Parameters.Step * (8.0 - DwellFibre.Parameters.Budget), pricer.Prices[0], 12);
        pricer.Update(new[] { 0.0 });
        Assert.Equal(0.0, pricer.Prices[0]);
    }

    [Fact]
    public void CacheFibre_Solve_PlacesEveryThreadWithinCapacity()
    {
        var problem = CacheFibre.CreateProblem(threadCount: 4);
        var result = CacheFibre.Solve(problem);
        var domains = CacheFibre.Members.Domain.Count;

        Assert.True(result.Converged, $"ADMM did not converge: primal {result.PrimalResidual}, dual {result.DualResidual}");
        for (var t = 0; t < 4; t++)
        {
            Assert.Equal(1.0, Enumerable.Range(0, domains).Sum(d => result.X[(t * domains) + d]), 1e-4);
        }

        for (var d = 0; d < domains; d++)
        {
            var llc = Enumerable.Range(0, 4).Sum(t => CacheFibre.Parameters.Footprint * result.X[(t * domains) + d]);
            Assert.True(llc <= 32 * (1 + 1e-4), $"domain {d}: llc load {llc}");
        }
    }

    /// <summary>
    /// Remapping: dwell.sigil edited into another domain (memory bandwidth per container: names,
    /// units and numbers only) compiles into a working solver with no C# change.
    /// </summary>
    [Fact]
    public void Remap_DwellIntoMemoryBandwidth_YieldsWorkingSolver()
    {
        var text = File.ReadAllText(Path.Combine(GeneratorHost.FibresFolder, "dwell.sigil"))
            .Replace("fibre dwell", "fibre membw", StringComparison.Ordinal)
            .Replace("task", "container", StringComparison.Ordinal)
            .Replace("$hold", "$rate", StringComparison.Ordinal)
            .Replace("@dwell", "@bandwidth", StringComparison.Ordinal)
            .Replace("^dwell", "^bandwidth", StringComparison.Ordinal)
            .Replace("price_dwell", "price_membw", StringComparison.Ordinal)
            .Replace("budget : s = 5.0", "budget : GiB/s = 12.5", StringComparison.Ordinal)
            .Replace(": s ", ": GiB/s ", StringComparison.Ordinal)
            .Replace(": s =", ": GiB/s =", StringComparison.Ordinal)
            .Replace("[0, 3600]", "[0, 100]", StringComparison.Ordinal)
            .Replace("dwell_seconds_current", "membw_gibps_current", StringComparison.Ordinal);
        // The kernel sensor measures time; a bandwidth fibre is solved offline, with the step the
        // analysis derives (offline, a fixed step above 2/L draws SIG2008).
        text = text.Replace("step = 2.0", "rule = fixed; step = auto", StringComparison.Ordinal);
        text = string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith("sense ", StringComparison.Ordinal)
            && !l.TrimStart().StartsWith("instrument ", StringComparison.Ordinal))).Replace("online; ", string.Empty, StringComparison.Ordinal);

        var assembly = GeneratorTests.CompileToAssembly(ImmutableArrayOf(new GeneratorHost.InMemoryText("/remap/membw.sigil", text)));
        var fibre = assembly.GetType("Consumer.Fibres.MembwFibre")!;
        var problem = fibre.GetMethod("CreateProblem")!.Invoke(null, new object[] { 2 })!;
        var result = (SolverResult)fibre.GetMethod("Solve", [problem.GetType()])!.Invoke(null, new[] { problem })!;

        Assert.Equal("membw", fibre.GetField("Name")!.GetValue(null));
        Assert.All(result.X, x => Assert.Equal(12.5, x, 1e-6));
        Assert.All(result.Prices, p => Assert.Equal(1.0 / 13.5, p, 1e-4));
    }

    private static System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.AdditionalText> ImmutableArrayOf(params Microsoft.CodeAnalysis.AdditionalText[] files) =>
        System.Collections.Immutable.ImmutableArray.Create(files);

    private static (string Name, double Cost, double Weight, double Lo, double Hi)[] Table() =>
        File.ReadAllLines(Path.Combine(GeneratorHost.FibresFolder, "atp.edits.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(r => (r[0], D(r[1]), D(r[2]), D(r[3]), D(r[4])))
            .ToArray();

    private static double D(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
