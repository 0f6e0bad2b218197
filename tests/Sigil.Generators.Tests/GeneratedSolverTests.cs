using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Sigil.Fibres;
using Sigil.Runtime.Metabolism;
using Sigil.Runtime.Solvers;
using Sigil.Tests.Shared.Metabolism;

namespace Sigil.Generators.Tests;

/// <summary>The generated, typed fibres solve their instances (compiled by the real build, through Sigil.Fibres).</summary>
public sealed class GeneratedSolverTests
{
    [Fact]
    public void AtpFibre_CreateProblem_IsEcoliCore_WithMaintenanceAndEdits()
    {
        var problem = AtpFibre.CreateProblem();
        int metabolites = AtpFibre.Members.Met.Count, reactions = AtpFibre.Members.Rxn.Count, edits = AtpFibre.Members.Edit.Count;

        // Rows: one mass balance per metabolite, the maintenance row, one row per edit; columns:
        // one flux per reaction, then one per edit. A holds S's 360 nonzeros, R_ATPM's 1 and 2 per edit.
        Assert.Equal((72, 95, 5), (metabolites, reactions, edits));
        Assert.Equal((metabolites + 1 + edits, reactions + edits), (problem.Coupling.RowCount, problem.Coupling.ColumnCount));
        Assert.Equal(360 + 1 + (2 * edits), problem.Coupling.NonZeroCount);
        Assert.Equal(8.39, problem.Capacity[metabolites]);
        Assert.All(problem.Senses, static s => Assert.Equal(RowSense.Equal, s));
        var atpm = AtpFibre.Members.Rxn.ToList().IndexOf("R_ATPM");
        Assert.Equal((8.39, 1000.0), (problem.Agents.Lower(atpm), problem.Agents.Upper(atpm)));
        Assert.Equal(double.PositiveInfinity, problem.Agents.Upper(reactions));
    }

    [ModelFact]
    public void AtpFibre_Solve_MatchesCvxoptsQp_OnTheSameModel()
    {
        var expected = AtpReference.Cvxopt();
        var problem = AtpFibre.CreateProblem();
        var result = AtpFibre.Solve(problem);

        Assert.True(result.Status == SolveStatus.Solved, $"{result.Status}: {result.Accuracy}");
        Assert.True(Math.Abs(result.PrimalObjective - expected.Objective) <= 1e-6 * expected.Objective, $"sigil {result.PrimalObjective:R}, CVXOPT {expected.Objective:R}");
        var reactions = AtpFibre.Members.Rxn.ToList();
        Assert.Equal(8.39, result.X[reactions.IndexOf("R_ATPM")], 1e-6);
        for (var e = 0; e < AtpReference.Edits.Length; e++)
        {
            var (edit, reaction) = AtpReference.Edits[e];
            var made = result.X[reactions.Count + AtpFibre.Members.Edit.ToList().IndexOf(edit)];
            Assert.True(Math.Abs(made - expected.Flux[reaction]) <= 1e-4, $"{edit}: sigil {made:R}, CVXOPT {expected.Flux[reaction]:R}");
            Assert.True(edit == "succinate" ? made < 1e-6 : made > 0.5, $"{edit}: {made:R}");
        }

        // What the README says of the answer: on at most 10 mmol glucose, growth falls from 0.874 to 0.700 /h.
        Assert.Equal(-10, problem.Agents.Lower(reactions.IndexOf("R_EX_glc__D_e")));
        var growth = result.X[reactions.IndexOf("R_Biomass_Ecoli_core")];
        Assert.Equal(0.700, growth, 3);
        Assert.True(Math.Abs(growth - expected.Flux["R_Biomass_Ecoli_core"]) <= 1e-4, $"growth: sigil {growth:R}, CVXOPT {expected.Flux["R_Biomass_Ecoli_core"]:R}");
    }

    [Fact]
    public void AtpFibre_MoreMaintenance_CostsGrowth_AndAWarmStartReachesTheColdAnswer()
    {
        var problem = AtpFibre.CreateProblem();
        var first = AtpFibre.Solve(problem);
        Assert.Equal(SolveStatus.Solved, first.Status);

        // 1% more maintenance ATP: warm from the last prices, against a cold solve of the same problem.
        var maintain = AtpFibre.Members.Met.Count;
        problem.Capacity[maintain] *= 1.01;
        var warm = AtpFibre.Solve(problem, first.Prices);
        var cold = AtpFibre.Solve(problem);
        Assert.Equal(SolveStatus.Solved, warm.Status);
        Assert.Equal(SolveStatus.Solved, cold.Status);
        Assert.Equal(cold.PrimalObjective, warm.PrimalObjective, 1e-7);
        Assert.True(cold.PrimalObjective < first.PrimalObjective, $"objective {first.PrimalObjective:R} -> {cold.PrimalObjective:R}");

        // The maintenance row's price is the objective one more mmol/gDW/h of maintenance ATP costs.
        var predicted = Math.Abs(first.Prices[maintain]) * 0.01 * 8.39;
        var lost = first.PrimalObjective - cold.PrimalObjective;
        Assert.True(Math.Abs(lost - predicted) <= 0.05 * predicted, $"lost {lost:R}, price x change {predicted:R}");
    }

    [ModelFact]
    public void FluxBalanceFibre_GeneratedType_ReachesGlpksOptimum_WithinOneInAMillion()
    {
        var (status, glpk) = Glpk.Solve(MetabolicModel.ReadSbml(CobraModels.EcoliCore));
        Assert.Equal("OPTIMAL", status);
        var folder = Path.Combine(GeneratorHost.FibresFolder, "ecoli_core");
        var files = ImmutableArrayOf(new[] { "fba.sigil", "reactions.csv", "metabolites.csv", "stoichiometry.csv" }
            .Select(f => (Microsoft.CodeAnalysis.AdditionalText)new GeneratorHost.InMemoryText("/fba/" + f, File.ReadAllText(Path.Combine(folder, f))))
            .ToArray());
        var fibre = GeneratorTests.CompileToAssembly(files).GetType("Consumer.Fibres.FbaFibre")!;
        var problem = fibre.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null)!;
        var result = (SolverResult)fibre.GetMethod("Solve", [problem.GetType()])!.Invoke(null, new[] { problem })!;

        Assert.True(result.Status == SolveStatus.Solved, $"{result.Status}: {result.Accuracy}");
        Assert.True(Math.Abs(result.PrimalObjective - glpk) <= 1e-6 * glpk, $"generated FbaFibre {result.PrimalObjective:R}, GLPK {glpk:R}");
        Assert.True(Math.Abs(result.PrimalObjective - CobraModels.EcoliCoreOptimum) <= 1e-6 * CobraModels.EcoliCoreOptimum);
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

    /// <summary>
    /// dwell's price lives in the kernel, so its userspace pricer runs the kernel's fixed-point
    /// update with the fibre's constants: on 10,000 samples (edges and drawn) it equals
    /// sigil_fx_price_update(price, sigil_fx_from_ns(ns)) as FixedPointArithmetic computes it (the
    /// eBPF tests check that against the compiled header on a million inputs), a sample a
    /// nanosecond over the budget moves no price (floor rounding; floating point would move it),
    /// and the price saturates at PriceMax.
    /// </summary>
    [Fact]
    public void DwellFibre_OnlinePricer_RunsTheKernelsFixedPointUpdate()
    {
        var pricer = DwellFibre.CreatePricer(DwellFibre.CreateProblem(taskCount: 1));
        Assert.IsType<FixedPointPricer>(pricer);
        Assert.Equal(
            (DwellFibre.FixedPoint.ScaleBits, DwellFibre.FixedPoint.Step, DwellFibre.FixedPoint.Budget, DwellFibre.FixedPoint.LoadMax, DwellFibre.FixedPoint.PriceMax, DwellFibre.FixedPoint.NanosecondsPerUnit),
            (pricer.ScaleBits, pricer.StepFixed, pricer.BudgetFixed, pricer.LoadMaxFixed, pricer.PriceMaxFixed, pricer.NanosecondsPerUnit));

        var perUnit = (ulong)DwellFibre.FixedPoint.NanosecondsPerUnit;
        var budget = (ulong)DwellFibre.Parameters.Budget * perUnit;
        var edges = new[] { 0UL, 1UL, budget - 1, budget, budget + 1, 2 * budget, 3600UL * perUnit, 3601UL * perUnit, ulong.MaxValue };
        var random = new Random(1207);
        long kernel = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var ns = i < edges.Length ? edges[i] : random.Next(3) switch
            {
                0 => (ulong)random.NextInt64(0, 2 * (long)budget),
                1 => (ulong)random.NextInt64(),
                _ => (ulong)((long)budget + random.Next(-1000, 1000)),
            };
            var load = FixedPointArithmetic.FromNanoseconds(ns, perUnit, DwellFibre.FixedPoint.ScaleBits, DwellFibre.FixedPoint.LoadMax);
            kernel = FixedPointArithmetic.PriceUpdate(kernel, load, DwellFibre.FixedPoint.Step, DwellFibre.FixedPoint.Budget, DwellFibre.FixedPoint.LoadMax, DwellFibre.FixedPoint.PriceMax, DwellFibre.FixedPoint.ScaleBits);
            Assert.Equal(kernel, pricer.Update(0, ns));
            Assert.Equal(Math.ScaleB(kernel, -DwellFibre.FixedPoint.ScaleBits), pricer.Prices[0]);
        }

        var fresh = DwellFibre.CreatePricer(DwellFibre.CreateProblem(taskCount: 1));
        Assert.Equal(0.0, fresh.Update(0, DwellFibre.Parameters.Budget + 1e-9));
        for (var i = 0; i < 100_000 && fresh.FixedPrices[0] < DwellFibre.FixedPoint.PriceMax; i++)
        {
            fresh.Update(0, 3600.0);
        }

        Assert.Equal(DwellFibre.FixedPoint.PriceMax, fresh.FixedPrices[0]);
        fresh.Update(0, 3600.0);
        Assert.Equal(DwellFibre.FixedPoint.PriceMax, fresh.FixedPrices[0]);
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
    /// cache asks for <c>certify admm</c>, whose theorem is proved for one rho: its generated Solve
    /// runs the sharing-form ADMM with rho fixed at the certified 1.0. The same solve with residual
    /// balancing on takes a different path on this instance (checked here, so the test can fail),
    /// and the generated answer is, bit for bit, the fixed-rho one.
    /// </summary>
    [Fact]
    public void CacheFibre_CertifyAdmm_SolvesWithRhoFixedAtTheCertifiedValue()
    {
        var problem = CacheFibre.CreateProblem(threadCount: 6);
        var generated = CacheFibre.Solve(problem);
        AdmmOptions Options(bool adaptive) => new()
        {
            Rho = 1.0,
            AdaptiveRho = adaptive,
            AbsoluteTolerance = generated.Tolerances.Absolute,
            RelativeTolerance = generated.Tolerances.Relative,
            FeasibilityTolerance = generated.Tolerances.Feasibility,
            MaxIterations = 5000,
        };
        var fixedSolver = new AdmmSolver<CacheFibre.Agents>(problem, Options(adaptive: false));
        var fixedRho = fixedSolver.Solve();
        var adaptiveSolver = new AdmmSolver<CacheFibre.Agents>(problem, Options(adaptive: true));
        var adaptive = adaptiveSolver.Solve();

        Assert.Equal(SolverKind.Admm, generated.Method);
        Assert.Equal(1.0, fixedSolver.Rho);
        Assert.NotEqual(1.0, adaptiveSolver.Rho);
        Assert.NotEqual(adaptive.Iterations, fixedRho.Iterations);
        Assert.Equal(fixedRho.Iterations, generated.Iterations);
        Assert.Equal(fixedRho.Prices, generated.Prices);
        Assert.Equal(fixedRho.X, generated.X);
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
        var problem = fibre.GetMethod("CreateProblem", new[] { typeof(int) })!.Invoke(null, new object[] { 2 })!;
        var result = (SolverResult)fibre.GetMethod("Solve", [problem.GetType()])!.Invoke(null, new[] { problem })!;

        Assert.Equal("membw", fibre.GetField("Name")!.GetValue(null));
        Assert.All(result.X, x => Assert.Equal(12.5, x, 1e-6));
        Assert.All(result.Prices, p => Assert.Equal(1.0 / 13.5, p, 1e-4));
    }

    private static System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.AdditionalText> ImmutableArrayOf(params Microsoft.CodeAnalysis.AdditionalText[] files) =>
        System.Collections.Immutable.ImmutableArray.Create(files);
}
