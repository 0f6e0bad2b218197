using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The run-time parameter API every generated <c>Instance</c> and the placement stage set values through.</summary>
public sealed class TunableProblemTests
{
    // Two log agents on one row x0 + x1 <= 4, a linear agent on no row, and a row that loads no agent (0 <= c).
    private static TunableProblem<MixedAgents> Create()
    {
        var agents = new MixedAgents(
            new[] { UtilityKind.Log, UtilityKind.Log, UtilityKind.Linear },
            new[] { 1.0, 0.5, 0.5 },
            new[] { 0.01, 0.01, 0.0 },
            new[] { 0.0, 0.0, 0.0 },
            new[] { 0.0, 0.0, 0.0 },
            new[] { 10.0, 10.0, 10.0 });
        var coupling = CouplingMatrix.FromTriplets(2, 3, new[] { 0, 0 }, new[] { 0, 1 }, new[] { 1.0, 1.0 });
        var problem = new NumProblem<MixedAgents>(coupling, new[] { 4.0, 0.0 }, new[] { RowSense.LessOrEqual, RowSense.LessOrEqual }, agents);
        return new TunableProblem<MixedAgents>(problem, static (p, prices) => new DualSolver<MixedAgents>(p, new DualOptions { MaxIterations = 100000, AbsoluteTolerance = 1e-10, RelativeTolerance = 1e-10, FeasibilityTolerance = 1e-10 }).Solve(prices));
    }

    [Fact]
    public void SetCapacity_EmptyRowThatCouldNotHold_IsRefusedAndUnchanged()
    {
        var tunable = Create();
        var error = Assert.Throws<ArgumentException>(() => tunable.SetCapacity(1, -1, "@idle"));
        Assert.StartsWith("@idle: the row loads no agent, so its constraint 0 <= -1 cannot hold.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.0, tunable.Capacity(1));
        Assert.Equal(0, tunable.PendingChanges);
        Assert.Throws<ArgumentOutOfRangeException>(() => tunable.SetCapacity(2, 1));
    }

    [Fact]
    public void Solve_AfterAChange_StartsFromTheLastPrices()
    {
        var tunable = Create();
        var first = tunable.Solve();
        Assert.Equal(SolveStatus.Solved, first.Status);

        // A 1% larger row: warm from the old price, the same optimum as a cold solve.
        tunable.SetCapacity(0, 4.04);
        Assert.Equal(1, tunable.PendingChanges);
        var warm = tunable.Solve();
        var cold = tunable.SolveCold();
        Assert.Equal(SolveStatus.Solved, warm.Status);
        Assert.Equal(cold.PrimalObjective, warm.PrimalObjective, 1e-7);
        Assert.Equal(4.04, warm.Loads[0], 1e-6);
        Assert.Same(cold, tunable.LastResult);
        Assert.Equal(0, tunable.PendingChanges);
    }

    [Fact]
    public void SetWeightAndBounds_OutsideTheFamilysDomain_AreRefusedByName()
    {
        var tunable = Create();
        Assert.StartsWith("$x[0]: weight 0 is not > 0; a log utility needs a positive weight.", Assert.Throws<ArgumentException>(() => tunable.SetWeight(0, 0, "$x[0]")).Message, StringComparison.Ordinal);
        Assert.StartsWith("Agent 0: bounds [-0.02, 1]: a log utility needs x + 0.01 > 0 over the box.", Assert.Throws<ArgumentException>(() => tunable.SetBounds(0, -0.02, 1)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Agent 2: bounds [NaN, 1]: a bound is NaN.", Assert.Throws<ArgumentException>(() => tunable.SetBounds(2, double.NaN, 1)).Message, StringComparison.Ordinal);

        // A linear agent may have an infinite bound (the solver then reports unboundedness) and any finite weight.
        tunable.SetBounds(2, 0, double.PositiveInfinity);
        tunable.SetWeight(2, -2);
        Assert.Equal(-2.0, tunable.Problem.Agents.Weight[2]);
        Assert.Equal(1.0, tunable.Problem.Agents.Weight[0]);
    }
}
