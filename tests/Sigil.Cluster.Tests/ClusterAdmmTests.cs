using System;
using System.Collections.Generic;
using System.Linq;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>
/// The cluster row by ADMM's sharing form: the updater's step (waits for every live node, projects
/// the dual of the inequality) and the iteration in one process against the centralized optimum,
/// with alpha-fair and with linear utilities. Against a real etcd ADMM runs in the parametrised
/// tests of <see cref="ClusterEtcdTests"/>, <see cref="ClusterSimulationTests"/>,
/// <see cref="ClusterNamespaceTests"/> and <see cref="ClusterRunAdmmTests"/>.
/// </summary>
public sealed class ClusterAdmmTests(ITestOutputHelper output)
{
    private const double Budget = 600;

    private const double Rho = ClusterSimulation.AdmmRho;

    private static LoadRecord Load(double load, long iteration, long round = 1) => new(round, load, load, 0, 0, 0, iteration);

    [Fact]
    public void AdmmStep_OverBudget_ProjectsTheAverageAndRaisesTheDual()
    {
        var next = ClusterAdmm.Step(ClusterAdmm.Start, [Load(300, 0), Load(250, 0), Load(150, 0)], Budget, 1)!;
        var xbar = 700.0 / 3;
        Assert.Equal(1, next.Iteration);
        Assert.Equal(xbar, next.Average, 9);
        Assert.Equal(xbar - 200, next.U, 9);
        Assert.Equal(2 * (xbar - 200), next.Offset, 9);
        Assert.Equal(100, next.Residual, 9);

        // Under the budget the dual falls to 0, never below: zbar = u + xbar, and the nodes are
        // pulled up towards it by the offset xbar - zbar + u = -u.
        var under = ClusterAdmm.Step(next, [Load(50, 1), Load(50, 1), Load(50, 1)], Budget, 2)!;
        Assert.Equal(0, under.U);
        Assert.Equal(-next.U, under.Offset, 9);
        Assert.Equal(3 * next.U, under.Residual, 9);
    }

    [Fact]
    public void AdmmStep_WaitsForEveryLiveNode_ButNotForAStraggler()
    {
        var state = ClusterAdmm.Start with { Iteration = 3 };
        Assert.Null(ClusterAdmm.Step(state, [Load(300, 3, 9), Load(250, 2, 9)], Budget, 10));
        var past = ClusterAdmm.Step(state, [Load(300, 3, 9), Load(250, 2, 10 - ClusterPriceUpdate.StragglerRounds - 1)], Budget, 10)!;
        Assert.Equal(300, past.Average, 9);
        Assert.Equal(0, ClusterAdmm.Prox(ClusterInstance.Node(0), Rho, 1e6).Price);
    }

    [Fact]
    public void Admm_InOneProcess_ReachesTheCentralizedOptimum()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => ClusterInstance.Node(i)).ToArray();
        var (price, loads) = ClusterInstance.Centralized(3, Budget);
        var (state, x, iterations) = Iterate(nodes, Rho);
        output.WriteLine($"ADMM converged in {iterations} iterations: price {Rho * state.U:G6} (centralized {price:G6}), loads {string.Join(", ", x.Select(l => l.ToString("F2")))} (centralized {string.Join(", ", loads.Select(l => l.ToString("F2")))})");
        Assert.True(iterations <= 20, $"converged within 20 iterations (took {iterations})");
        Assert.Equal(price, Rho * state.U, price * 5e-3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(loads[i], x[i], 1.0);
        }
    }

    /// <summary>
    /// Nodes with linear utilities: node 2 runs one linear job (1 per CPU, [0, 4] CPUs, 50 W per CPU:
    /// 0 W below the price 0.02, 200 W above) beside an alpha-fair one; node 1 runs only linear jobs.
    /// The local solve is bang-bang at a price, and the cluster's optimum puts a linear job at its
    /// threshold, part-way: ADMM's prox term picks that point, and the loads and the price match the
    /// runtime's ADMM solver on the whole problem.
    /// </summary>
    [Fact]
    public void Admm_LinearUtilities_ReachTheCentralizedOptimum()
    {
        ClusterJob Linear(string name, double weight) => new(name, weight, 0, 0, 0, 4, ClusterInstance.WattsPerCpu, ClusterInstance.WattsPerCpu);
        IReadOnlyList<ClusterJob>[] jobs =
        [
            ClusterInstance.Jobs(0),
            [Linear("l0", 0.5), Linear("l1", 2)],
            [Linear("l2", 1), ClusterInstance.Jobs(2)[0]],
        ];
        var nodes = jobs.Select(j => new NodeProblem(j, 400)).ToArray();
        Assert.Equal(0, nodes[1].Solve(0.0401).ClusterLoad);
        Assert.Equal(200, nodes[1].Solve(0.0399).ClusterLoad, 9);
        var (price, loads) = ClusterInstance.Centralized(jobs, Budget);
        var (state, x, iterations) = Iterate(nodes, Rho);
        output.WriteLine($"ADMM with linear jobs converged in {iterations} iterations: price {Rho * state.U:G6} (centralized {price:G6}), loads {string.Join(", ", x.Select(l => l.ToString("F2")))} (centralized {string.Join(", ", loads.Select(l => l.ToString("F2")))})");
        Assert.True(iterations <= 60, $"converged within 60 iterations (took {iterations})");
        Assert.Equal(price, Rho * state.U, price * 5e-3);
        Assert.True(x[2] > 1 + nodes[2].Solve(price * 1.01).ClusterLoad && x[2] < nodes[2].Solve(price * 0.99).ClusterLoad - 1, $"node 2's linear job sits part-way at its threshold ({x[2]:F2} W)");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(loads[i], x[i], 1.0);
        }

        Assert.Equal(Budget, x.Sum(), 1.0);
    }

    // The sharing ADMM in one process: every node's x-update, then the updater's step, until converged.
    private static (AdmmState State, double[] X, int Iterations) Iterate(NodeProblem[] nodes, double rho)
    {
        var x = nodes.Select(n => n.Solve(0).ClusterLoad).ToArray();
        var state = ClusterAdmm.Start;
        var iterations = 0;
        while (!(state.Iteration > 1 && ClusterAdmm.Converged(state, Budget)) && iterations++ < 200)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                var answer = ClusterAdmm.Prox(nodes[i], rho, x[i] - state.Offset);
                var solution = nodes[i].Solve(answer.Price, answer.Load);
                Assert.Equal(answer.Load, solution.ClusterLoad, 6);
                x[i] = solution.ClusterLoad;
            }

            state = ClusterAdmm.Step(state, x.Select(l => Load(l, state.Iteration)).ToArray(), Budget, 1)!;
        }

        return (state, x, iterations);
    }
}
