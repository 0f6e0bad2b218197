using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Cluster;

/// <summary>What a simulation measured.</summary>
/// <param name="Nodes">Simulated nodes.</param>
/// <param name="Rounds">Updater rounds until the price converged with every node counted.</param>
/// <param name="Seconds">Wall time until then.</param>
/// <param name="Price">The converged cluster price.</param>
/// <param name="CentralizedPrice">The price of the same problem solved in one piece.</param>
/// <param name="RequestsPerRoundPerNode">etcd requests per round and node (every node's and the updater's).</param>
/// <param name="UpdaterRoundMilliseconds">The updater's mean time for one round (read every key, compute, write).</param>
/// <param name="MaxTotal">The largest sum of applied loads seen.</param>
/// <param name="Budget">The cluster budget.</param>
/// <param name="UpdaterAloneMilliseconds">The median of five updater rounds run after the node tasks stopped, their load keys still in etcd: the updater's own cost, without the simulated nodes' competition for the same cores and client.</param>
/// <param name="UpdaterAloneKeys">The load keys those rounds counted.</param>
/// <param name="Method">dual, or admm with its rho.</param>
/// <param name="Iterations">ADMM iterations until converged (0 for the dual).</param>
internal sealed record SimulationResult(string Method, long Iterations, int Nodes, long Rounds, double Seconds, double Price, double CentralizedPrice, double RequestsPerRoundPerNode, double UpdaterRoundMilliseconds, double MaxTotal, double Budget, double UpdaterAloneMilliseconds, int UpdaterAloneKeys);

/// <summary>
/// Many nodes as lightweight tasks against one real etcd (the tests' and the benchmark's scale
/// check): every node is a <see cref="ClusterNode"/> in this process running its own round loop,
/// lease and keys, all on one shared etcd client (one gRPC channel); three of them campaign for
/// updater. Every node's requests reach etcd; only the process, the client and the cores are shared.
/// Each node has three alpha-fair jobs (weights vary by node), 50 W per CPU, a 400 W node limit;
/// the budget is 200 W per node, so the cluster row binds. The cluster row is solved by the dual
/// price search, or by ADMM's sharing form when a rho is given.
/// </summary>
internal static class ClusterSimulation
{
    /// <summary>Reads of the record that failed while watching a simulation (an overloaded etcd).</summary>
    public static int Timeouts;

    public const double WattsPerCpu = 50;

    /// <summary>The jobs of simulated node <paramref name="node"/>.</summary>
    public static IReadOnlyList<ClusterJob> Jobs(int node) =>
        Enumerable.Range(0, 3).Select(j => new ClusterJob($"job{j}", 1 + j + (0.5 * (node % 7)), 2, 0.1, 0, 4, WattsPerCpu, WattsPerCpu)).ToArray();

    /// <summary>The exact cluster price for <paramref name="nodes"/>: the root of the monotone excess demand, by bisection.</summary>
    public static double CentralizedPrice(IReadOnlyList<NodeProblem> nodes, double budget)
    {
        double lo = 0, hi = 1;
        while (nodes.Sum(n => n.Solve(hi).ClusterLoad) > budget)
        {
            hi *= 2;
        }

        for (var i = 0; i < 100; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (nodes.Sum(n => n.Solve(mid).ClusterLoad) > budget)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return hi;
    }

    /// <summary>
    /// A penalty for ADMM's sharing form on these nodes: about 1 / |a node's load slope| at the
    /// optimum (each node's load falls by about 5,000 W per unit of price), whatever the node count,
    /// because the sharing form averages the loads.
    /// </summary>
    public const double AdmmRho = 2e-4;

    public static async Task<SimulationResult> RunAsync(string etcd, int count, TimeSpan round, TimeSpan timeout, double? admmRho = null)
    {
        var budget = 200.0 * count;
        var settings = new ClusterSettings
        {
            Fibre = "sim",
            Resource = "power",
            Budget = budget,
            MaxNodes = count,
            Step = 1e-4,
            NodeLoadMax = 3 * 4 * WattsPerCpu,
            Prefix = "/sigil-sim/" + Guid.NewGuid().ToString("N")[..10],
            Round = round,
            LeaseTtl = TimeSpan.FromSeconds(Math.Max(3, Math.Ceiling(6 * round.TotalSeconds))),
            FallbackAfter = TimeSpan.FromSeconds(Math.Max(2, 4 * round.TotalSeconds)),
            RequestTimeout = TimeSpan.FromSeconds(Math.Max(2, 4 * round.TotalSeconds)),
            AdmmRho = admmRho,
        };
        var problems = Enumerable.Range(0, count).Select(i => new NodeProblem(Jobs(i), 400)).ToArray();
        var centralized = CentralizedPrice(problems, budget);
        using var store = new EtcdClusterStore(new EtcdEndpoint(etcd), settings.RequestTimeout);
        var shared = new SharedStore(store);
        var nodes = Enumerable.Range(0, count).Select(i => new ClusterNode("n" + i, settings, problems[i], shared)).ToArray();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var tasks = nodes.Select((n, i) => Task.Run(() => n.RunAsync(stop.Token, campaign: i < 3))).ToArray();
        double maxTotal = 0;
        PriceRecord? record = null;
        try
        {
            while (clock.Elapsed < timeout)
            {
                maxTotal = Math.Max(maxTotal, nodes.Sum(n => n.Status.Applied));
                try
                {
                    record = await ClusterRecordKeys.ReadAsync(store, settings, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // An overloaded etcd answers late: the nodes fall back; the watch reads again.
                    Timeouts++;
                }

                if (record is { Search.Converged: true } && record.Nodes.Count(g => g.Value.Missing == 0) == count)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50)).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var rounds = record?.Round ?? 0;
        var requestsSoFar = store.Requests;
        var (aloneMs, aloneKeys) = await UpdaterAloneAsync(etcd, settings, problems[0]).ConfigureAwait(false);
        var updater = nodes.Where(n => n.UpdateRounds > 0).ToArray();
        var updaterMs = updater.Sum(n => n.UpdateMilliseconds) / Math.Max(1, updater.Sum(n => n.UpdateRounds));
        var requests = requestsSoFar / (double)Math.Max(1, rounds) / count;
        var method = admmRho is { } rho ? FormattableString.Invariant($"admm (rho {rho:G3})") : "dual";
        return new SimulationResult(method, record?.Admm?.Iteration ?? 0, count, record is { Search.Converged: true } ? rounds : -1, seconds, record?.Price ?? double.NaN, centralized, requests, updaterMs, maxTotal, budget, aloneMs, aloneKeys);
    }

    // Five updater rounds by a node of its own (its own etcd client, a won election of its own key)
    // over the load keys the stopped nodes left (their leases outlive this): one range read of the
    // loads, one read of the record's keys, the update, one fenced write.
    private static async Task<(double Milliseconds, int Keys)> UpdaterAloneAsync(string etcd, ClusterSettings settings, NodeProblem problem)
    {
        using var store = new EtcdClusterStore(new EtcdEndpoint(etcd), settings.RequestTimeout);
        using var updater = new ClusterNode("updater-alone", settings, problem, new SharedStore(store));
        var lease = await store.GrantLeaseAsync(settings.LeaseTtl, CancellationToken.None).ConfigureAwait(false);
        var ticket = await store.CampaignAsync(settings.KeyPrefix + "/updater-alone", lease, "updater-alone", CancellationToken.None).ConfigureAwait(false);
        var times = new List<double>();
        var keys = 0;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var round = await updater.UpdateAsync(ticket, CancellationToken.None).ConfigureAwait(false);
            times.Add(clock.Elapsed.TotalMilliseconds);
            keys = Math.Max(keys, round?.Live ?? 0);
        }

        times.Sort();
        return (times[times.Count / 2], keys);
    }

    // Many nodes on one client: disposing a node must not close the shared channel.
    private sealed class SharedStore(IClusterStore inner) : IClusterStore
    {
        public long Requests => inner.Requests;

        public void Dispose()
        {
        }

        public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct) => inner.GrantLeaseAsync(ttl, ct);

        public Task<bool> KeepAliveAsync(long lease, CancellationToken ct) => inner.KeepAliveAsync(lease, ct);

        public Task PutAsync(string key, string value, long lease, CancellationToken ct) => inner.PutAsync(key, value, lease, ct);

        public Task<string?> GetAsync(string key, CancellationToken ct) => inner.GetAsync(key, ct);

        public Task<IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix, CancellationToken ct) => inner.GetPrefixAsync(prefix, ct);

        public Task<IReadOnlyDictionary<string, string>> GetKeysAsync(IReadOnlyList<string> keys, CancellationToken ct) => inner.GetKeysAsync(keys, ct);

        public Task<ElectionTicket> CampaignAsync(string election, long lease, string value, CancellationToken ct) => inner.CampaignAsync(election, lease, value, ct);

        public Task<bool> PutIfLeaderAsync(ElectionTicket ticket, IReadOnlyList<KeyValuePair<string, string>> puts, CancellationToken ct) => inner.PutIfLeaderAsync(ticket, puts, ct);
    }
}
