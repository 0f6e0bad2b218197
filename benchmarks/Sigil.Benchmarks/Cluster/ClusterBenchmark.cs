using System;
using System.Globalization;
using System.Linq;
using Sigil.Cluster;
using Sigil.Cluster.Tests;

namespace Sigil.Benchmarks.Cluster;

/// <summary>
/// The cluster protocol at scale: simulated nodes (tasks on one etcd client, three of them
/// candidates for updater) against one Debian etcd on loopback. Per size: rounds until the price
/// converged with every node counted, wall time, the price against the centralized one, etcd
/// requests per round and node, the updater's round time among the nodes and alone (after the
/// node tasks stopped, over the keys they left), and the largest cluster total seen; each size by
/// the dual price search and by ADMM's sharing form. The last two columns bound what the cluster
/// rows add to a node's daemon: the simulation's processor time (user + system of this process,
/// which runs every node task and the updater; etcd is another process) over nodes times rounds,
/// and that as a share of one core at the round period. It is an upper bound: it includes the
/// updater's work, the set-up and the updater-alone measurement.
/// Options: node counts (default 3 100 1000), and <c>dual</c> or <c>admm</c> for one method only.
/// </summary>
internal static class ClusterBenchmark
{
    public static int Run(string[] args)
    {
        if (EtcdServer.Missing is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 2;
        }

        var methods = args.Where(a => a is "dual" or "admm").ToArray();
        if (methods.Length == 0)
        {
            methods = ["dual", "admm"];
        }

        var counts = args.Where(a => a is not ("dual" or "admm")).ToArray();
        var sizes = counts.Length > 0 ? counts.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [3, 100, 1000];
        Console.WriteLine("| method | nodes | round | rounds to converge (ADMM iterations) | seconds | price / centralized - 1 | requests / round / node | updater round ms (with the nodes) | updater round ms (alone, keys) | max total / budget | CPU per node per round (at most) | share of a core per node (at most) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var n in sizes)
        {
            foreach (var method in methods)
            {
                using var etcd = new EtcdServer();
                etcd.StartAsync().GetAwaiter().GetResult();
                var round = TimeSpan.FromMilliseconds(n >= 1000 ? 2000 : n >= 100 ? 300 : 200);
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var r = ClusterSimulation.RunAsync(etcd.Url, n, round, TimeSpan.FromSeconds(n >= 1000 ? 600 : 120), method == "admm" ? ClusterSimulation.AdmmRho : null).GetAwaiter().GetResult();
                var roundsRun = Math.Max(1, r.Rounds < 0 ? (int)Math.Ceiling(r.Seconds / round.TotalSeconds) : r.Rounds);
                var perNodeRound = (Environment.CpuUsage.TotalTime - cpuBefore) / ((double)n * roundsRun);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Method} | {r.Nodes} | {round.TotalMilliseconds} ms | {(r.Rounds < 0 ? "not converged" : r.Rounds.ToString(CultureInfo.InvariantCulture))}{(r.Iterations > 0 ? $" ({r.Iterations})" : string.Empty)} | {r.Seconds:F1} | {(r.Price / r.CentralizedPrice) - 1:E1} | {r.RequestsPerRoundPerNode:F2} | {r.UpdaterRoundMilliseconds:F1} | {r.UpdaterAloneMilliseconds:F1} ({r.UpdaterAloneKeys}) | {r.MaxTotal / r.Budget:F4} | {perNodeRound.TotalMilliseconds:F2} ms | {perNodeRound / round:P2} |"));
            }
        }

        return 0;
    }
}
