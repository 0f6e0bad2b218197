using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;
using Xunit.Abstractions;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>
/// The QP engine on 40 random instances of each linear and quadratic class (equality rows, variables
/// without utility, capacities over nine decades, infeasible ones), against CVXOPT run on the same
/// instances in one Python process: every feasible instance must end solved at CVXOPT's optimum to the
/// stated tolerance, every infeasible one infeasible with a Farkas certificate read independently.
/// </summary>
public sealed class QpClaimTests(ITestOutputHelper output)
{
    private const int PerClass = 40;

    private static readonly Lazy<(List<(string Name, bool Infeasible, NumInstance Instance)> Cases, double?[] Reference)> s_cases = new(() =>
    {
        var cases = QpInstanceClasses.All(PerClass).Select(c => ($"{c.Class} seed {c.Seed}", c.Class == QpInstanceClass.Infeasible, c.Instance)).ToList();
        var feasible = cases.Where(c => !c.Item2).Select(c => c.Instance).ToList();
        double?[] objectives = Cvxopt.Objectives(feasible);
        var reference = new double?[cases.Count];
        int k = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            reference[i] = cases[i].Item2 ? null : objectives[k++];
        }

        return (cases, reference);
    });

    [CvxoptFact]
    public void Qp_EveryClass_FortyInstances_SolvedAtCvxoptsOptimum_OrCertifiedInfeasible()
    {
        var (all, allReference) = s_cases.Value;
        Assert.Equal(PerClass * Enum.GetValues<QpInstanceClass>().Length, all.Count);

        // A feasible instance CVXOPT itself did not solve (its equality rows can be rank-deficient for
        // its interior-point method) has no reference and is left out, visibly; at most 2 per class.
        var cases = new List<(string Name, bool Infeasible, NumInstance Instance)>();
        var reference = new List<double?>();
        var dropped = new List<string>();
        for (int i = 0; i < all.Count; i++)
        {
            if (!all[i].Infeasible && allReference[i] is null)
            {
                dropped.Add(all[i].Name);
                continue;
            }

            cases.Add(all[i]);
            reference.Add(allReference[i]);
        }

        output.WriteLine($"left out (CVXOPT did not solve them): {(dropped.Count == 0 ? "none" : string.Join(", ", dropped))}");
        foreach (QpInstanceClass kind in Enum.GetValues<QpInstanceClass>())
        {
            Assert.True(cases.Count(c => c.Name.StartsWith($"{kind} ", StringComparison.Ordinal)) >= PerClass - 2, $"{kind}: too many instances without a CVXOPT reference");
        }

        StatusClaimTests.Census(
            output,
            "qp",
            cases,
            reference.ToArray(),
            p => new QpSolver<MixedAgents>(p, new QpOptions { AbsoluteTolerance = 1e-6, RelativeTolerance = 1e-4, FeasibilityTolerance = 1e-4, MaxIterations = 20_000 }).Solve(),
            requireSolved: true);
    }
}
