using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The engines against an independent interior-point solver (CVXOPT's cp).</summary>
public sealed class CvxoptComparisonTests
{
    [CvxoptFact]
    public void RandomLogInstances_ObjectiveMatchesCvxopt()
    {
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            NumInstance instance = NumInstance.Random(60, 12, 3, seed);
            double reference = Cvxopt.Objective(instance);
            SolverResult dual = new DualSolver<LogAgents>(instance.LogProblem(), new DualOptions { RelativeTolerance = 1e-12 }).Solve();
            SolverResult admm = new AdmmSolver<LogAgents>(instance.LogProblem(), new AdmmOptions { AbsoluteTolerance = 1e-11, RelativeTolerance = 1e-11, MaxIterations = 50_000 }).Solve();
            Instances.AssertRelative(reference, dual.PrimalObjective, 1e-6, $"dual objective, seed {seed}");
            Instances.AssertRelative(reference, admm.PrimalObjective, 1e-6, $"ADMM objective, seed {seed}");
        }
    }

    [CvxoptFact]
    public void RandomMixedInstancesWithEqualityRows_ObjectiveMatchesCvxopt()
    {
        foreach (ulong seed in new ulong[] { 3, 4 })
        {
            NumInstance instance = NumInstance.Random(60, 12, 3, seed, equalityFraction: 0.25, mixed: true);
            double reference = Cvxopt.Objective(instance);
            SolverResult dual = new DualSolver<MixedAgents>(instance.MixedProblem(), new DualOptions { RelativeTolerance = 1e-12, FeasibilityTolerance = 1e-10 }).Solve();
            SolverResult admm = new AdmmSolver<MixedAgents>(instance.MixedProblem(), new AdmmOptions { AbsoluteTolerance = 1e-11, RelativeTolerance = 1e-11, MaxIterations = 50_000 }).Solve();
            Instances.AssertRelative(reference, dual.PrimalObjective, 1e-6, $"dual objective, seed {seed}");
            Instances.AssertRelative(reference, admm.PrimalObjective, 1e-6, $"ADMM objective, seed {seed}");
        }
    }

    [CvxoptFact]
    public void BenchmarkFamily_DefaultDualResult_IsWithinItsCertifiedGapOfCvxopt()
    {
        NumInstance instance = NumInstance.Random(1000, 100, 3, 17);
        double reference = Cvxopt.Objective(instance);
        SolverResult r = new DualSolver<LogAgents>(instance.LogProblem()).Solve();
        Assert.True(r.Converged);
        Assert.True(r.RelativePrimalResidual <= 1e-12);
        double shortfall = (reference - r.PrimalObjective) / System.Math.Abs(reference);
        Assert.True(shortfall >= -1e-7 && shortfall <= 1e-4, $"relative shortfall {shortfall:E2}");
    }
}
