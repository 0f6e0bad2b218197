using System;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

public sealed class PenaltySolverTests
{
    [Theory]
    [InlineData(10.0)]
    [InlineData(1e3)]
    [InlineData(1e6)]
    public void SingleLink_LogUtilities_MatchClosedFormOfTheEnlargedBudget(double mu)
    {
        SolverResult r = new PenaltySolver<LogAgents>(Instances.SingleLink(), new PenaltyOptions { Mu = mu, MuGrowth = 1, FeasibilityTolerance = 1e-11 }).Solve();

        // A fixed mu: the penalised optimum, which is "solved" only when its overload is within tolerance.
        Assert.True(r.Converged == r.Accuracy.Holds && (r.Converged || r.Accuracy.Primal > 1), $"{r.Status} with {r.Accuracy}");

        // Stated accuracy: exact for the budget c + pi / mu, and the price is mu [a x - c]+.
        double price = r.Prices[0];
        double overload = r.Loads[0] - Instances.SingleLinkBudget;
        Instances.AssertRelative(price / mu, overload, 1e-6, "overload = pi / mu");
        Instances.AssertRelative(mu * overload, price, 1e-6, "pi = mu [a x - c]+");
        for (int i = 0; i < r.X.Length; i++)
        {
            Instances.AssertRelative(Instances.SingleLinkOptimum(i, Instances.SingleLinkBudget + price / mu), r.X[i], 1e-6, $"x[{i}]");

            // And so within the stated accuracy of the true optimum.
            double error = Math.Abs(r.X[i] - Instances.SingleLinkOptimum(i));
            Assert.True(error <= Instances.SingleLinkOptimum(i) * (price / mu / Instances.SingleLinkBudget) * (1 + 1e-6));
        }
    }

    [Fact]
    public void LargeMu_ApproachesTheConstrainedOptimum()
    {
        NumInstance instance = NumInstance.Random(200, 20, 3, 4);
        NumProblem<LogAgents> problem = instance.LogProblem();
        double optimum = new DualSolver<LogAgents>(problem, new DualOptions { RelativeTolerance = 1e-12 }).Solve().PrimalObjective;
        double previousOverload = double.PositiveInfinity;
        foreach (double mu in new[] { 1.0, 1e2, 1e4 })
        {
            SolverResult r = new PenaltySolver<LogAgents>(problem, new PenaltyOptions { Mu = mu, MuGrowth = 1 }).Solve();
            Assert.True(r.Converged || r.Accuracy.Primal > 1, $"{r.Status} with {r.Accuracy}");
            Assert.True(r.RelativePrimalResidual < previousOverload);
            previousOverload = r.RelativePrimalResidual;

            // The penalised optimum is exact for larger budgets, so it is no worse than the optimum.
            Assert.True(r.PrimalObjective >= optimum - 1e-9 * Math.Abs(optimum));
        }

        Assert.True(previousOverload < 1e-3, $"overload {previousOverload:E2} at mu = 1e4");
    }

    [Fact]
    public void Solve_IsDeterministic_AndIterateAllocatesNothing()
    {
        NumInstance instance = NumInstance.Random(500, 50, 3, 9, 0.2, mixed: true);
        var solver = new PenaltySolver<MixedAgents>(instance.MixedProblem());
        SolverResult first = solver.Solve();
        SolverResult again = solver.Solve();
        Assert.True(Instances.BitwiseEqual(first.X, again.X));
        Assert.True(Instances.BitwiseEqual(first.Prices, again.Prices));

        solver.Reset();
        solver.Iterate(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        solver.Iterate(50);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
