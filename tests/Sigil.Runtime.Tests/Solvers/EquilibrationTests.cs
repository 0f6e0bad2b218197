using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;
using Xunit.Abstractions;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>
/// Equilibration in the dual, penalty and ADMM engines: on instances whose budgets spread over
/// 1e-3..1e6 and whose rows and variables are written in mixed units, every solve with the default
/// scaling is solved to the stated tolerance (checked against CVXOPT in the fibre's units), and
/// the scaled solves take far fewer iterations than the same engine without scaling.
/// </summary>
public sealed class EquilibrationTests(ITestOutputHelper output)
{
    private const int Seeds = 6;

    private const double AbsoluteTolerance = StatusClaimTests.AbsoluteTolerance;

    private const double RelativeTolerance = StatusClaimTests.RelativeTolerance;

    private static readonly Lazy<(List<(string Name, bool Infeasible, NumInstance Instance)> Cases, double?[] Reference)> s_cases = new(() =>
    {
        var cases = new List<(string, bool, NumInstance)>();
        var references = new List<(NumInstance Consistent, double Shift)>();
        foreach (InstanceClass kind in new[] { InstanceClass.WideScale, InstanceClass.MixedUnits })
        {
            for (int i = 0; i < Seeds; i++)
            {
                ulong seed = (ulong)(7000 + 100 * (int)kind + i);
                cases.Add(($"{kind} seed {seed}", false, InstanceClasses.Create(kind, seed)));
                references.Add(InstanceClasses.Reference(kind, seed));
            }
        }

        double?[] objectives = Cvxopt.Objectives(references.Select(r => r.Consistent).ToList());
        return (cases, objectives.Select((o, i) => o + references[i].Shift).ToArray());
    });

    [CvxoptFact]
    public void Dual_BadlyScaled_SolvedToToleranceInFewerIterations() =>
        Compare("dual", passes => p => new DualSolver<MixedAgents>(p, new DualOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, ScalingPasses = passes }).Solve());

    [CvxoptFact]
    public void Penalty_BadlyScaled_SolvedToToleranceInFewerIterations() =>
        Compare("penalty", passes => p => new PenaltySolver<MixedAgents>(p, new PenaltyOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, ScalingPasses = passes }).Solve());

    [CvxoptFact]
    public void Admm_BadlyScaled_SolvedToToleranceInFewerIterations() =>
        Compare("admm", passes => p => new AdmmSolver<MixedAgents>(p, new AdmmOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, ScalingPasses = passes }).Solve());

    [Fact]
    public void Rows_BudgetedRowsTakeTheirBudgetsUnit_ZeroBudgetRowsTheRuizUnit()
    {
        // Row 0 budget 1e-3, row 1 budget 1e6 (entries 1e3), row 2 budget 0.
        var a = CouplingMatrix.FromTriplets(3, 2, [0, 1, 1, 2, 2], [0, 0, 1, 0, 1], [1.0, 1e3, 1e3, 2.0, 2.0]);
        double[] e = Equilibration.Rows(a, [1e-3, 1e6, 0], passes: 10);
        Assert.Equal(1e9, e[0] / e[1], 3);
        (double[] ruiz, _) = Equilibration.Ruiz(a, default, 10);
        double unit = new[] { 1 / (1e-3 * ruiz[0]), 1 / (1e6 * ruiz[1]) }.Order().ElementAt(1);
        Assert.Equal(ruiz[2] * unit * 1e6, e[2] / e[1], 6);
        Assert.Equal(0, e.Sum(Math.Log), 9);
        Assert.All(Equilibration.Rows(a, [1e-3, 1e6, 0], passes: 0), f => Assert.Equal(1.0, f));
    }

    [Fact]
    public void Dual_PricesAndLoads_AreReturnedInTheFibresUnits()
    {
        // One link of budget 1e6 (bytes) shared by two log agents: x_i = w_i c / sum w, pi = sum w / c.
        var a = CouplingMatrix.FromTriplets(1, 2, [0, 0], [0, 1], [1.0, 1.0]);
        var agents = new LogAgents([1.0, 3.0], [1.0, 1.0], [0.0, 0.0], [1e7, 1e7]);
        var problem = new NumProblem<LogAgents>(a, [1e6], [RowSense.LessOrEqual], agents);
        foreach (SolverResult r in new[] { new DualSolver<LogAgents>(problem).Solve(), new PenaltySolver<LogAgents>(problem).Solve(), new AdmmSolver<LogAgents>(problem).Solve() })
        {
            Assert.Equal(SolveStatus.Solved, r.Status);
            Instances.AssertRelative(4e-6, r.Prices[0], 1e-3, "price");
            Instances.AssertRelative(2.5e5, r.X[0], 1e-3, "x_0");
            Instances.AssertRelative(r.X[0] + r.X[1], r.Loads[0], 1e-12, "load");
        }
    }

    /// <summary>Solves every case with and without scaling; the scaled solves must all be solved to tolerance and take under a fifth of the iterations.</summary>
    private void Compare(string method, Func<int, Func<NumProblem<MixedAgents>, SolverResult>> solver)
    {
        var (cases, reference) = s_cases.Value;
        var scaled = new List<int>();
        var unscaled = new List<int>();
        StatusClaimTests.Census(output, method, cases, reference, p =>
        {
            SolverResult r = solver(10)(p);
            scaled.Add(r.Iterations);
            return r;
        }, requireSolved: true);
        foreach (var (_, _, instance) in cases)
        {
            unscaled.Add(solver(0)(instance.MixedProblem()).Iterations);
        }

        for (int i = 0; i < cases.Count; i++)
        {
            output.WriteLine($"{method} {cases[i].Name}: {unscaled[i]} iterations unscaled, {scaled[i]} scaled");
        }

        output.WriteLine($"{method}: {unscaled.Sum()} iterations unscaled, {scaled.Sum()} scaled (median {Median(unscaled)} against {Median(scaled)})");
        Assert.True(5 * scaled.Sum() < unscaled.Sum(), $"{method}: {scaled.Sum()} iterations scaled against {unscaled.Sum()} unscaled");
    }

    private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);
}
