using System;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

public sealed class AdmmSolverTests
{
    private static readonly AdmmOptions s_tight = new() { AbsoluteTolerance = 1e-11, RelativeTolerance = 1e-11, MaxIterations = 50_000 };

    [Fact]
    public void SingleLink_LogUtilities_MatchClosedForm()
    {
        SolverResult r = new AdmmSolver<LogAgents>(Instances.SingleLink(), s_tight).Solve();

        Assert.True(r.Converged, $"not converged after {r.Iterations} iterations");
        for (int i = 0; i < r.X.Length; i++)
        {
            Instances.AssertRelative(Instances.SingleLinkOptimum(i), r.X[i], 1e-6, $"x[{i}]");
        }

        Instances.AssertRelative(1.525, r.Prices[0], 1e-6, "price rho u");
    }

    [Theory]
    [InlineData(1UL, false, 0.0)]
    [InlineData(2UL, true, 0.0)]
    [InlineData(3UL, true, 0.25)]
    public void RandomInstances_SatisfyKkt(ulong seed, bool mixed, double equalityFraction)
    {
        NumInstance instance = NumInstance.Random(60, 12, 3, seed, equalityFraction, mixed);
        SolverResult r = new AdmmSolver<MixedAgents>(instance.MixedProblem(), s_tight).Solve();

        Assert.True(r.Converged, $"not converged after {r.Iterations} iterations");
        Kkt.AssertHolds(instance, r, 1e-6);
    }

    [Fact]
    public void ResidualStopping_TighterTolerancesRunLongerAndGetCloser()
    {
        NumInstance instance = NumInstance.Random(300, 30, 3, 21);
        NumProblem<LogAgents> problem = instance.LogProblem();
        SolverResult loose = new AdmmSolver<LogAgents>(problem, new AdmmOptions { AbsoluteTolerance = 1e-4, RelativeTolerance = 1e-3 }).Solve();
        SolverResult tight = new AdmmSolver<LogAgents>(problem, new AdmmOptions { AbsoluteTolerance = 1e-9, RelativeTolerance = 1e-9 }).Solve();
        SolverResult capped = new AdmmSolver<LogAgents>(problem, new AdmmOptions { AbsoluteTolerance = 1e-9, RelativeTolerance = 1e-9, MaxIterations = 3 }).Solve();

        Assert.True(loose.Converged && tight.Converged);
        Assert.True(tight.Iterations > loose.Iterations, $"tight {tight.Iterations} vs loose {loose.Iterations}");
        Assert.True(tight.IterateRelativeOverload < loose.IterateRelativeOverload || tight.IterateRelativeOverload < 1e-9);
        Assert.True(tight.RelativeDualityGap < loose.RelativeDualityGap);
        Assert.True(tight.DualResidual < loose.DualResidual);
        Assert.False(capped.Converged);
        Assert.Equal(3, capped.Iterations);
    }

    [Fact]
    public void LinearUtilities_SolveTheLinearProgram()
    {
        // max 3 x0 + 2 x1 + x2  s.t.  x0 + x1 <= 1,  x1 + x2 <= 1.5,  x in [0, 1]:  x = (1, 0, 1).
        var a = CouplingMatrix.FromTriplets(2, 3, [0, 0, 1, 1], [0, 1, 1, 2], [1.0, 1.0, 1.0, 1.0]);
        var problem = new NumProblem<LinearAgents>(a, [1.0, 1.5], [RowSense.LessOrEqual, RowSense.LessOrEqual],
            new LinearAgents([3.0, 2.0, 1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]));
        SolverResult r = new AdmmSolver<LinearAgents>(problem, s_tight).Solve();

        Assert.True(r.Converged);
        Assert.Equal(1.0, r.X[0], 6);
        Assert.Equal(0.0, r.X[1], 6);
        Assert.Equal(1.0, r.X[2], 6);
        Assert.Equal(4.0, r.PrimalObjective, 6);
    }

    [Fact]
    public void Solve_IsDeterministic_AndIterateAllocatesNothing()
    {
        NumInstance instance = NumInstance.Random(500, 50, 3, 9, 0.2, mixed: true);
        var solver = new AdmmSolver<MixedAgents>(instance.MixedProblem());
        SolverResult first = solver.Solve();
        SolverResult again = new AdmmSolver<MixedAgents>(instance.MixedProblem()).Solve();
        Assert.True(Instances.BitwiseEqual(first.X, again.X));
        Assert.True(Instances.BitwiseEqual(first.Prices, again.Prices));
        Assert.Equal(first.Iterations, again.Iterations);

        solver.Reset();
        solver.Iterate(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        solver.Iterate(50);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
