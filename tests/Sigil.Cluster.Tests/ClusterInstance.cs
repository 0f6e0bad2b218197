using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Cluster.Tests;

/// <summary>
/// A small cluster power instance: per node three jobs with alpha-fair utilities (a = 2), 50 W
/// per CPU on both the node's row (limit 400 W) and the cluster row (budget 600 W for three nodes),
/// and its centralized optimum solved in one piece by the runtime's dual solver.
/// </summary>
internal static class ClusterInstance
{
    public const double WattsPerCpu = ClusterSimulation.WattsPerCpu;

    public static ClusterSettings Settings(int nodes, double budget, string prefix) => new()
    {
        Fibre = "power",
        Resource = "power",
        Budget = budget,
        MaxNodes = nodes,
        Step = 1e-4,
        NodeLoadMax = 3 * 4 * WattsPerCpu,
        Prefix = prefix,
        Round = TimeSpan.FromMilliseconds(200),
        LeaseTtl = TimeSpan.FromSeconds(2),
        FallbackAfter = TimeSpan.FromSeconds(1),
        ReserveRounds = 40,
        RequestTimeout = TimeSpan.FromMilliseconds(700),
    };

    public static IReadOnlyList<ClusterJob> Jobs(int node) => ClusterSimulation.Jobs(node);

    public static NodeProblem Node(int node, double limit = 400) => new(Jobs(node), limit);

    /// <summary>The centralized optimum: cluster price and each node's cluster load.</summary>
    public static (double Price, double[] NodeLoads) Centralized(int nodes, double budget, double limit = 400)
    {
        var jobs = Enumerable.Range(0, nodes).SelectMany(n => Jobs(n).Select(j => (Node: n, Job: j))).ToArray();
        var rows = new List<int>();
        var columns = new List<int>();
        var values = new List<double>();
        for (var s = 0; s < jobs.Length; s++)
        {
            rows.Add(jobs[s].Node);
            columns.Add(s);
            values.Add(jobs[s].Job.NodeCoefficient);
            rows.Add(nodes);
            columns.Add(s);
            values.Add(jobs[s].Job.ClusterCoefficient);
        }

        var a = CouplingMatrix.FromTriplets(nodes + 1, jobs.Length, rows.ToArray(), columns.ToArray(), values.ToArray());
        var capacity = Enumerable.Repeat(limit, nodes).Append(budget).ToArray();
        var agents = new AlphaFairAgents(
            jobs.Select(j => j.Job.Weight).ToArray(), jobs.Select(j => j.Job.Offset).ToArray(), jobs.Select(j => j.Job.Alpha).ToArray(),
            jobs.Select(j => j.Job.Lower).ToArray(), jobs.Select(j => j.Job.Upper).ToArray());
        var problem = new NumProblem<AlphaFairAgents>(a, capacity, Enumerable.Repeat(RowSense.LessOrEqual, nodes + 1).ToArray(), agents);
        var result = new DualSolver<AlphaFairAgents>(problem, new DualOptions { RelativeTolerance = 1e-9, FeasibilityTolerance = 1e-7, MaxIterations = 200_000 }).Solve();
        Assert.True(result.Converged, "the centralized solve converges");
        var loads = new double[nodes];
        for (var s = 0; s < jobs.Length; s++)
        {
            loads[jobs[s].Node] += jobs[s].Job.ClusterCoefficient * result.X[s];
        }

        return (result.Prices[nodes], loads);
    }
}
