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
    public static (double Price, double[] NodeLoads) Centralized(int nodes, double budget, double limit = 400) =>
        Centralized(Enumerable.Range(0, nodes).Select(Jobs).ToArray(), budget, limit);

    /// <summary>
    /// The centralized optimum of nodes with the given jobs, solved in one piece by the runtime's
    /// solvers: its dual solver when every utility is strictly concave, its ADMM solver over mixed
    /// agents when a job is linear (<see cref="ClusterJob.Alpha"/> = 0), where a price-only method
    /// cannot settle.
    /// </summary>
    public static (double Price, double[] NodeLoads) Centralized(IReadOnlyList<IReadOnlyList<ClusterJob>> perNode, double budget, double limit = 400)
    {
        var nodes = perNode.Count;
        var jobs = perNode.SelectMany((list, n) => list.Select(j => (Node: n, Job: j))).ToArray();
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
        var senses = Enumerable.Repeat(RowSense.LessOrEqual, nodes + 1).ToArray();
        SolverResult result;
        if (jobs.Any(j => j.Job.Alpha == 0))
        {
            var agents = new MixedAgents(
                jobs.Select(j => j.Job.Alpha switch { 0 => UtilityKind.Linear, 1 => UtilityKind.Log, _ => UtilityKind.AlphaFair }).ToArray(),
                jobs.Select(j => j.Job.Weight).ToArray(), jobs.Select(j => j.Job.Alpha == 0 ? 0 : j.Job.Offset).ToArray(), jobs.Select(j => j.Job.Alpha).ToArray(),
                jobs.Select(j => j.Job.Lower).ToArray(), jobs.Select(j => j.Job.Upper).ToArray());
            result = new AdmmSolver<MixedAgents>(new NumProblem<MixedAgents>(a, capacity, senses, agents), new AdmmOptions { Rho = 1e-3, RelativeTolerance = 1e-7, FeasibilityTolerance = 1e-7, MaxIterations = 200_000 }).Solve();
        }
        else
        {
            var agents = new AlphaFairAgents(
                jobs.Select(j => j.Job.Weight).ToArray(), jobs.Select(j => j.Job.Offset).ToArray(), jobs.Select(j => j.Job.Alpha).ToArray(),
                jobs.Select(j => j.Job.Lower).ToArray(), jobs.Select(j => j.Job.Upper).ToArray());
            result = new DualSolver<AlphaFairAgents>(new NumProblem<AlphaFairAgents>(a, capacity, senses, agents), new DualOptions { RelativeTolerance = 1e-9, FeasibilityTolerance = 1e-7, MaxIterations = 200_000 }).Solve();
        }

        Assert.True(result.Converged, $"the centralized solve converges ({result.Status})");
        var loads = new double[nodes];
        for (var s = 0; s < jobs.Length; s++)
        {
            loads[jobs[s].Node] += jobs[s].Job.ClusterCoefficient * result.X[s];
        }

        return (result.Prices[nodes], loads);
    }
}
