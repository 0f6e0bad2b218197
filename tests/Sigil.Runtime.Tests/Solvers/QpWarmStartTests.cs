using System;
using System.IO;
using System.Linq;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Metabolism;
using Sigil.Runtime.Solvers;
using Sigil.Tests.Shared.Metabolism;
using Xunit.Abstractions;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>
/// Parameters changed at run time: a budget, a bound or a weight changed by 1%, re-solved warm from the
/// last state, against a cold solve of the same changed problem.
/// </summary>
public sealed class QpWarmStartTests(ITestOutputHelper output)
{
    private static readonly QpOptions s_options = new() { AbsoluteTolerance = 1e-7, RelativeTolerance = 1e-7, FeasibilityTolerance = 1e-7, MaxIterations = 20_000 };

    [ModelFact]
    public void EcoliCore_OnePercentMoreMaintenance_WarmResolve_TakesFewerIterations_SameOptimum()
    {
        MetabolicModel model = MetabolicModel.ReadSbml(CobraModels.EcoliCore);
        NumProblem<LinearAgents> problem = model.ToProblem();
        var solver = new QpSolver<LinearAgents>(problem, s_options);
        SolverResult first = solver.Solve();
        Assert.Equal(SolveStatus.Solved, first.Status);

        // The ATP maintenance flux (a bound the model's arrays share with the problem) up by 1%.
        int atpm = model.ReactionIndex("R_ATPM");
        model.Lower[atpm] *= 1.01;
        solver.Update();
        SolverResult warm = solver.SolveWarm();
        SolverResult cold = new QpSolver<LinearAgents>(problem, s_options).Solve();
        output.WriteLine($"E. coli core, ATPM {model.Lower[atpm]:R}: first {first.PrimalObjective:R} in {first.Iterations} iterations; warm {warm.Status} {warm.PrimalObjective:R} in {warm.Iterations} iterations ({warm.Elapsed.TotalMilliseconds:F2} ms); cold {cold.Status} {cold.PrimalObjective:R} in {cold.Iterations} iterations ({cold.Elapsed.TotalMilliseconds:F2} ms)");
        Assert.Equal(SolveStatus.Solved, warm.Status);
        Assert.Equal(SolveStatus.Solved, cold.Status);
        Assert.True(warm.PrimalObjective < first.PrimalObjective, "more maintenance leaves less for growth");
        Assert.True(Math.Abs(warm.PrimalObjective - cold.PrimalObjective) <= 1e-6 * cold.PrimalObjective, $"warm {warm.PrimalObjective:R}, cold {cold.PrimalObjective:R}");
        Assert.True(warm.Iterations < cold.Iterations, $"warm {warm.Iterations} iterations, cold {cold.Iterations}");
    }

    [Fact]
    public void RandomInstances_OnePercentChanges_WarmResolve_TakesFewerIterations_SameOptimum()
    {
        int warmTotal = 0, coldTotal = 0;
        foreach (QpInstanceClass kind in new[] { QpInstanceClass.Linear, QpInstanceClass.Quadratic, QpInstanceClass.EqualityRows })
        {
            for (ulong seed = 1; seed <= 5; seed++)
            {
                NumInstance instance = QpInstanceClasses.Create(kind, 500 + seed);
                NumProblem<MixedAgents> problem = instance.MixedProblem();
                var solver = new QpSolver<MixedAgents>(problem, s_options);
                Assert.Equal(SolveStatus.Solved, solver.Solve().Status);

                // A budget (the problem's capacities are live), a weight and a bound (the agents'
                // arrays are the instance's, re-read by Update), each 1%.
                problem.Capacity[(int)seed % instance.Resources] *= 1.01;
                instance.Weight[(int)seed] *= 1.01;
                instance.Upper[(int)seed + 1] *= 0.99;
                solver.Update();
                SolverResult warm = solver.SolveWarm();
                SolverResult cold = new QpSolver<MixedAgents>(problem, s_options).Solve();
                string name = $"{kind} seed {500 + seed}";
                Assert.True(warm.Status == SolveStatus.Solved && cold.Status == SolveStatus.Solved, $"{name}: warm {warm.Status}, cold {cold.Status}");
                Assert.True(Math.Abs(warm.PrimalObjective - cold.PrimalObjective) <= 1e-5 * Math.Max(1, Math.Abs(cold.PrimalObjective)), $"{name}: warm {warm.PrimalObjective:R}, cold {cold.PrimalObjective:R}");
                Assert.True(warm.X.Zip(cold.X).All(p => Math.Abs(p.First - p.Second) <= 1e-3 * Math.Max(1, Math.Abs(p.Second))) || kind == QpInstanceClass.Linear, $"{name}: the quadratic optimum is unique, the points must agree");
                warmTotal += warm.Iterations;
                coldTotal += cold.Iterations;
            }
        }

        output.WriteLine($"15 re-solves after 1% changes: warm {warmTotal} iterations in all, cold {coldTotal}");
        Assert.True(warmTotal < coldTotal, $"warm {warmTotal} iterations, cold {coldTotal}");
    }
}
