using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The QP engine on an agent with an infinite upper bound (a quadratic utility's step is finite at every price).</summary>
public sealed class QpInfiniteBoundTests
{
    [Fact]
    public void Qp_QuadraticAgentUnboundedAbove_IsSolvedAtItsFiniteOptimum()
    {
        // maximise v + (2 y - y^2 / 2)  s.t.  v + y <= 3,  v in [0, 10],  y in [-50, inf]:
        // the price is 1 (v's weight), y = 2 - 1 = 1, v = 2, objective 3.5. An infinite bound is no
        // place to snap an iterate to: before, y came back as +inf.
        var agents = new MixedAgents(
            [UtilityKind.Linear, UtilityKind.Quadratic],
            weight: [1, 2],
            offset: [0, 0],
            shape: [0, 1],
            lower: [0, -50],
            upper: [10, double.PositiveInfinity]);
        var problem = new NumProblem<MixedAgents>(CouplingMatrix.FromTriplets(1, 2, [0, 0], [0, 1], [1.0, 1.0]), [3], [RowSense.LessOrEqual], agents);
        Assert.True(QpSolver<MixedAgents>.Accepts(problem));

        SolverResult r = new QpSolver<MixedAgents>(problem, new QpOptions { AbsoluteTolerance = 1e-9, RelativeTolerance = 1e-9, FeasibilityTolerance = 1e-9 }).Solve();

        Assert.True(r.Status == SolveStatus.Solved, $"{r.Status}: {r.Accuracy}");
        Assert.Equal(2, r.X[0], 1e-6);
        Assert.Equal(1, r.X[1], 1e-6);
        Assert.Equal(1, r.Prices[0], 1e-6);
        Assert.Equal(3.5, r.PrimalObjective, 1e-6);
    }
}
