using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>
/// Nodes as tasks against a real etcd on loopback: convergence to the centralized optimum, a
/// crashed node, a crashed updater, etcd down and back, bad keys, a slow etcd, a clock jump, and a
/// node that draws more than its model.
/// The cluster total is sampled all along and never exceeds the budget.
/// </summary>
public sealed class ClusterEtcdTests(ITestOutputHelper output)
{
    private const double Budget = 600;

    private static string Prefix() => "/sigil-test/" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Cluster_ThreeNodes_ConvergeToCentralizedOptimum()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        await using var cluster = new LocalCluster(etcd.Url, ClusterInstance.Settings(3, Budget, Prefix()));
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        var clock = Stopwatch.StartNew();
        var record = await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3, TimeSpan.FromSeconds(20), "three nodes converge");
        var (price, loads) = ClusterInstance.Centralized(3, Budget);
        output.WriteLine($"converged at round {record.Round} after {clock.Elapsed.TotalSeconds:F1} s: price {record.Price:G6} (centralized {price:G6}); max total {cluster.MaxTotal:F2} W");
        Assert.Equal(price, record.Price, price * 2e-3);
        for (var i = 0; i < 3; i++)
        {
            var desired = record.Nodes["n" + i].Desired;
            output.WriteLine($"  n{i}: desired {desired:F2} W, centralized {loads[i]:F2} W, share {record.Nodes["n" + i].Share:F2} W");
            Assert.Equal(loads[i], desired, 1.0);
        }

        Assert.True(record.Round <= 40, $"converged within 40 rounds (took {record.Round})");
        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");
    }

    [Fact]
    public async Task Cluster_CrashedNodeAndUpdater_StopCountingAndAreTakenOver()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var settings = ClusterInstance.Settings(3, Budget, Prefix()) with { ReserveRounds = 10 };
        await using var cluster = new LocalCluster(etcd.Url, settings);
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3, TimeSpan.FromSeconds(20), "three nodes converge");

        // Crash the updater: another node campaigns through and writes within the lease time.
        var updater = cluster.Nodes.Single(n => n.Status.Updater);
        var before = (await cluster.RecordAsync())!;
        var clock = Stopwatch.StartNew();
        await cluster.CrashAsync(updater);
        var taken = await cluster.WaitAsync(r => r.Updater != updater.Name && r.Round > before.Round, settings.LeaseTtl + TimeSpan.FromSeconds(3), "another node takes over");
        output.WriteLine($"updater {updater.Name} crashed; {taken.Updater} wrote round {taken.Round} after {clock.Elapsed.TotalSeconds:F2} s (lease {settings.LeaseTtl.TotalSeconds} s)");
        Assert.True(clock.Elapsed < settings.LeaseTtl + settings.Round * 4, $"takeover within the lease time plus a round or so ({clock.Elapsed.TotalSeconds:F2} s)");

        // The crashed node stops counting once its lease expires; its share is held, then released.
        var missing = await cluster.WaitAsync(r => r.Nodes.TryGetValue(updater.Name, out var g) && g.Missing > 0, TimeSpan.FromSeconds(5), "the crashed node's key expires");
        Assert.Equal(0, missing.Nodes[updater.Name].Desired);
        var released = await cluster.WaitAsync(r => !r.Nodes.ContainsKey(updater.Name) && r.Search.Converged && r.Nodes.Count == 2, TimeSpan.FromSeconds(15), "its share is released and the others re-converge");
        var survivors = cluster.Running.Select(n => int.Parse(n.Name[1..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        var expected = CentralizedOver(survivors, Budget);
        output.WriteLine($"re-converged without {updater.Name} at round {released.Round}: price {released.Price:G6} (centralized {expected:G6}); max total {cluster.MaxTotal:F2} W");
        Assert.Equal(expected, released.Price, expected * 2e-3);
        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");
    }

    [Fact]
    public async Task Cluster_EtcdDownAndBack_NodesHoldSafeSharesThenRejoin()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var settings = ClusterInstance.Settings(3, Budget, Prefix());
        await using var cluster = new LocalCluster(etcd.Url, settings);
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3, TimeSpan.FromSeconds(20), "three nodes converge");
        await Task.Delay(settings.Round * 3);
        var applied = cluster.Nodes.ToDictionary(n => n.Name, n => n.Status.Applied);
        etcd.Kill();
        await Task.Delay(settings.FallbackAfter + settings.Round * 4);
        foreach (var node in cluster.Nodes)
        {
            var s = node.Status;
            output.WriteLine($"etcd down: {s.Node} {s.Mode} applied {s.Applied:F2} share {s.Share:F2} contact {s.ContactAge:F1} s");
            Assert.Equal(ClusterMode.Fallback, s.Mode);
            Assert.True(s.Applied <= s.Share * (1 + 1e-9), $"{s.Node} applies {s.Applied} within its last share {s.Share}");
        }

        Assert.True(cluster.Nodes.Sum(n => n.Status.Applied) <= Budget * (1 + 1e-9));
        await etcd.StartAsync();
        var clock = Stopwatch.StartNew();
        while (cluster.Nodes.Any(n => n.Status.Mode != ClusterMode.Joined) && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }

        output.WriteLine($"rejoined after {clock.Elapsed.TotalSeconds:F1} s; max total {cluster.MaxTotal:F2} W");
        Assert.All(cluster.Nodes, n => Assert.Equal(ClusterMode.Joined, n.Status.Mode));
        foreach (var node in cluster.Nodes)
        {
            Assert.True(Math.Abs(node.Status.Applied - applied[node.Name]) <= 0.02 * Budget, $"{node.Name} rejoins without a jump: {applied[node.Name]:F2} -> {node.Status.Applied:F2}");
        }

        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");
    }

    [Fact]
    public async Task Cluster_BadKeysSlowEtcdAndClockJump_AreIgnoredAndTotalStaysWithinBudget()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var settings = ClusterInstance.Settings(4, Budget, Prefix());
        await using var cluster = new LocalCluster(etcd.Url, settings);
        cluster.Add(0);
        cluster.Add(1, time: new JumpedClock(TimeSpan.FromDays(-400)));
        var slow = new SlowStore(new EtcdClusterStore(new EtcdEndpoint(etcd.Url), settings.RequestTimeout), settings.RequestTimeout);
        cluster.Add(2, store: slow);

        using var writer = new EtcdClusterStore(new EtcdEndpoint(etcd.Url), TimeSpan.FromSeconds(2));
        await writer.PutAsync(settings.KeyPrefix + "/loads/corrupt", "{\"round\": 1, \"load\": ", 0, CancellationToken.None);
        await writer.PutAsync(settings.KeyPrefix + "/loads/nan", "{\"round\":0,\"load\":\"NaN\",\"applied\":0,\"floor\":0,\"time\":0}", 0, CancellationToken.None);
        await writer.PutAsync(settings.KeyPrefix + "/loads/negative", "{\"round\":0,\"load\":-400,\"applied\":-400,\"floor\":0,\"time\":0}", 0, CancellationToken.None);

        var record = await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 2 && r.Round > 10, TimeSpan.FromSeconds(20), "the two healthy nodes converge");
        output.WriteLine($"round {record.Round}: ignored {record.Ignored} keys; price {record.Price:G6}; slow node {cluster.Nodes[2].Status.Mode}; max total {cluster.MaxTotal:F2} W");
        Assert.Equal(3, record.Ignored);
        Assert.True(cluster.Nodes.Single(n => n.Status.Updater).Status.Ignored >= 3);
        Assert.NotEqual(ClusterMode.Joined, cluster.Nodes[2].Status.Mode);
        Assert.True(cluster.Nodes[2].Status.Applied <= cluster.Nodes[2].Status.Cap * (1 + 1e-9));
        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");

        // The jumped wall clock changes the stamp only.
        var stamp = System.Text.Json.JsonSerializer.Deserialize((await writer.GetAsync(settings.KeyPrefix + "/loads/n1", CancellationToken.None))!, ClusterJsonContext.Default.LoadRecord)!.Time;
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - stamp > TimeSpan.FromDays(399).TotalMilliseconds);
        Assert.Equal(ClusterMode.Joined, cluster.Nodes[1].Status.Mode);
    }

    // The survivors' optimum: the root of their monotone excess demand (the simulation's centralized price).
    private static double CentralizedOver(int[] nodes, double budget) =>
        ClusterSimulation.CentralizedPrice(nodes.Select(i => ClusterInstance.Node(i)).ToArray(), budget);

    /// <summary>
    /// Node n0 really draws 1.5 times what its model says (its sensor reads 1.5 x the modelled load
    /// of the allocation it applied). It learns the gain, publishes and caps its sensed draw, and
    /// the cluster total of real draws stays within the budget once the gain is learnt. Without the
    /// correction n0 would draw 1.5 times its share.
    /// </summary>
    [Fact]
    public async Task Cluster_NodeDrawingMoreThanItsModel_IsHeldToItsShare()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        await using var cluster = new LocalCluster(etcd.Url, ClusterInstance.Settings(3, Budget, Prefix()));
        const double truth = 1.5;
        var model = ClusterInstance.Jobs(0).Select(j => j.ClusterCoefficient).ToArray();
        double modelled = 0;
        var n0 = cluster.Add(0);
        n0.Applied += (solution, _) => modelled = solution.X.Select((x, j) => model[j] * x).Sum();
        n0.SensedLoad = () => truth * modelled;
        cluster.Add(1);
        cluster.Add(2);

        await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3 && Math.Abs(n0.Status.Gain - truth) < 1e-3 * truth, TimeSpan.FromSeconds(30), "three nodes converge with n0's gain learnt");
        var clock = Stopwatch.StartNew();
        double maxReal = 0, maxOwn = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var nodes = cluster.Nodes;
            var real = (truth * modelled) + nodes.Where(n => n != n0).Sum(n => n.Status.Applied);
            maxReal = Math.Max(maxReal, real);
            maxOwn = Math.Max(maxOwn, (truth * modelled) - n0.Status.Share);
            await Task.Delay(20);
        }

        output.WriteLine($"gain {n0.Status.Gain:F4}; n0 share {n0.Status.Share:F2} W, real draw {truth * modelled:F2} W, model {modelled:F2} W; largest real total {maxReal:F2} W");
        Assert.True(maxReal <= Budget * 1.001, $"real total {maxReal} within the budget {Budget}");
        Assert.True(maxOwn <= 1e-3 * Budget, $"n0 draws at most its share (excess {maxOwn})");
        Assert.True(n0.Status.Share > 1.2 * modelled, "n0's model sits well below its share: uncorrected it would draw 1.5 x its model up to its share");
    }

    /// <summary>A wall clock far off; the monotonic clock untouched.</summary>
    private sealed class JumpedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

    /// <summary>An etcd that answers slower than the request deadline.</summary>
    private sealed class SlowStore(IClusterStore inner, TimeSpan timeout) : IClusterStore
    {
        public long Requests => inner.Requests;

        public void Dispose() => inner.Dispose();

        public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken ct) { await Slow(ct); return await inner.GrantLeaseAsync(ttl, ct); }

        public async Task<bool> KeepAliveAsync(long lease, CancellationToken ct) { await Slow(ct); return await inner.KeepAliveAsync(lease, ct); }

        public async Task PutAsync(string key, string value, long lease, CancellationToken ct) { await Slow(ct); await inner.PutAsync(key, value, lease, ct); }

        public async Task<string?> GetAsync(string key, CancellationToken ct) { await Slow(ct); return await inner.GetAsync(key, ct); }

        public async Task<System.Collections.Generic.IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix, CancellationToken ct) { await Slow(ct); return await inner.GetPrefixAsync(prefix, ct); }

        public async Task<ElectionTicket> CampaignAsync(string election, long lease, string value, CancellationToken ct) { await Slow(ct); return await inner.CampaignAsync(election, lease, value, ct); }

        public async Task<System.Collections.Generic.IReadOnlyDictionary<string, string>> GetKeysAsync(System.Collections.Generic.IReadOnlyList<string> keys, CancellationToken ct) { await Slow(ct); return await inner.GetKeysAsync(keys, ct); }

        public async Task<bool> PutIfLeaderAsync(ElectionTicket ticket, System.Collections.Generic.IReadOnlyList<System.Collections.Generic.KeyValuePair<string, string>> puts, CancellationToken ct) { await Slow(ct); return await inner.PutIfLeaderAsync(ticket, puts, ct); }

        // The answer would come after the deadline: the request fails with a timeout.
        private async Task Slow(CancellationToken ct)
        {
            await Task.Delay(timeout, ct);
            throw new TimeoutException($"etcd did not answer within {timeout.TotalMilliseconds} ms");
        }
    }
}
