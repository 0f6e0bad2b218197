using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The example of src/Sigil.Solvers/Solvers/README.md, as written there.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void Example_SolvesTwoLinks()
    {
        var a = CouplingMatrix.FromTriplets(
            rowCount: 2, columnCount: 2,
            rows: [0, 0, 1], columns: [0, 1, 1], values: [1.0, 1.0, 1.0]);
        var agents = new LogAgents(
            weight: [1.0, 2.0], offset: [1e-3, 1e-3], lower: [0.0, 0.0], upper: [100.0, 100.0]);
        var problem = new NumProblem<LogAgents>(a, [10.0, 3.0], [RowSense.LessOrEqual, RowSense.LessOrEqual], agents);

        var solver = new DualSolver<LogAgents>(problem, new DualOptions { RelativeTolerance = 1e-10 });
        SolverResult r = solver.Solve();

        // Agent 1 is held to 3 by the second link; agent 0 takes the rest of the first.
        Assert.True(r.Converged);
        Assert.Equal(3.0, r.X[1], 6);
        Assert.Equal(7.0, r.X[0], 6);
        Assert.Equal(1.0 / 7.001, r.Prices[0], 6);
    }

    [Fact]
    public void EmptyProblem_ConvergesTrivially()
    {
        var a = CouplingMatrix.FromTriplets(0, 0, [], [], []);
        var problem = new NumProblem<LogAgents>(a, [], [], new LogAgents([], [], [], []));
        Assert.True(new DualSolver<LogAgents>(problem).Solve().Converged);
        Assert.True(new AdmmSolver<LogAgents>(problem).Solve().Converged);
        Assert.True(new PenaltySolver<LogAgents>(problem).Solve().Converged);
    }
}
