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
/// node tasks stopped, over the keys they left), and the largest cluster total seen.
/// Options: node counts (default 3 100 1000).
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

        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [3, 100, 1000];
        Console.WriteLine("| nodes | round | rounds to converge | seconds | price / centralized - 1 | requests / round / node | updater round ms (with the nodes) | updater round ms (alone, keys) | max total / budget |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var n in sizes)
        {
            using var etcd = new EtcdServer();
            etcd.StartAsync().GetAwaiter().GetResult();
            var round = TimeSpan.FromMilliseconds(n >= 1000 ? 2000 : n >= 100 ? 300 : 200);
            var r = ClusterSimulation.RunAsync(etcd.Url, n, round, TimeSpan.FromSeconds(n >= 1000 ? 300 : 60)).GetAwaiter().GetResult();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Nodes} | {round.TotalMilliseconds} ms | {(r.Rounds < 0 ? "not converged" : r.Rounds.ToString(CultureInfo.InvariantCulture))} | {r.Seconds:F1} | {(r.Price / r.CentralizedPrice) - 1:E1} | {r.RequestsPerRoundPerNode:F2} | {r.UpdaterRoundMilliseconds:F1} | {r.UpdaterAloneMilliseconds:F1} ({r.UpdaterAloneKeys}) | {r.MaxTotal / r.Budget:F4} |"));
        }

        return 0;
    }
}
