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
/// The cluster total is sampled all along and never exceeds the budget. Convergence and the faults
/// (crash, updater crash, etcd down and back) run for both methods of the cluster row: the dual
/// price search and ADMM's sharing form (the method is the test's parameter).
/// </summary>
public sealed class ClusterEtcdTests(ITestOutputHelper output)
{
    private const double Budget = 600;

    // About 1 / |a node's load slope| at the optimum (the simulation's and these nodes' jobs are alike).
    private const double Rho = ClusterSimulation.AdmmRho;

    private static string Prefix() => "/sigil-test/" + Guid.NewGuid().ToString("N")[..10];

    private static ClusterSettings Settings(string method, int nodes = 3) =>
        ClusterInstance.Settings(nodes, Budget, Prefix()) with { AdmmRho = method == "admm" ? Rho : null };

    // ADMM stops at a residual of 1e-3 of the budget: its price is within about 0.2 % of the optimum, the dual's within 0.02 %.
    private static double PriceTolerance(string method) => method == "admm" ? 5e-3 : 2e-3;

    // Converged with the given node count; under ADMM also two iterations past the record seen before (its flag
    // stays set while the updater waits for the nodes' answers).
    private static Func<PriceRecord, bool> Converged(int nodes, PriceRecord? after = null) =>
        r => r.Search.Converged && r.Nodes.Count == nodes && (r.Admm is null || r.Admm.Iteration > 2 + (after?.Admm?.Iteration ?? 0));

    [Theory]
    [InlineData("dual")]
    [InlineData("admm")]
    public async Task Cluster_ThreeNodes_ConvergeToCentralizedOptimum(string method)
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        await using var cluster = new LocalCluster(etcd.Url, Settings(method));
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        var clock = Stopwatch.StartNew();
        var record = await cluster.WaitAsync(Converged(3), TimeSpan.FromSeconds(30), "three nodes converge");
        var (price, loads) = ClusterInstance.Centralized(3, Budget);
        output.WriteLine($"{method}: converged at round {record.Round}{(record.Admm is { } a ? $", iteration {a.Iteration}" : string.Empty)} after {clock.Elapsed.TotalSeconds:F1} s: price {record.Price:G6} (centralized {price:G6}); max total {cluster.MaxTotal:F2} W");
        Assert.Equal(price, record.Price, price * PriceTolerance(method));
        for (var i = 0; i < 3; i++)
        {
            var desired = record.Nodes["n" + i].Desired;
            output.WriteLine($"  n{i}: desired {desired:F2} W, centralized {loads[i]:F2} W, share {record.Nodes["n" + i].Share:F2} W");
            Assert.Equal(loads[i], desired, 1.0);
        }

        Assert.True(record.Round <= 40, $"converged within 40 rounds (took {record.Round})");
        if (record.Admm is { } admm)
        {
            // The record's price is rho u, in price per unit like the dual's.
            Assert.Equal(Rho * admm.U, record.Price, 12);
            Assert.True(admm.Iteration <= 20, $"converged within 20 iterations (took {admm.Iteration})");
        }

        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");
    }

    [Theory]
    [InlineData("dual")]
    [InlineData("admm")]
    public async Task Cluster_CrashedNodeAndUpdater_StopCountingAndAreTakenOver(string method)
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var settings = Settings(method) with { ReserveRounds = 10 };
        await using var cluster = new LocalCluster(etcd.Url, settings);
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        await cluster.WaitAsync(Converged(3), TimeSpan.FromSeconds(30), "three nodes converge");

        // Crash the updater: another node campaigns through and writes within the lease time.
        var updater = cluster.Nodes.Single(n => n.Status.Updater);
        var before = (await cluster.RecordAsync())!;
        var clock = Stopwatch.StartNew();
        await cluster.CrashAsync(updater);
        var taken = await cluster.WaitAsync(r => r.Updater != updater.Name && r.Round > before.Round, settings.LeaseTtl + TimeSpan.FromSeconds(3), "another node takes over");
        output.WriteLine($"{method}: updater {updater.Name} crashed; {taken.Updater} wrote round {taken.Round} after {clock.Elapsed.TotalSeconds:F2} s (lease {settings.LeaseTtl.TotalSeconds} s)");
        Assert.True(clock.Elapsed < settings.LeaseTtl + settings.Round * 4, $"takeover within the lease time plus a round or so ({clock.Elapsed.TotalSeconds:F2} s)");

        // The crashed node stops counting once its lease expires (under ADMM it leaves the average); its share is held, then released.
        var missing = await cluster.WaitAsync(r => r.Nodes.TryGetValue(updater.Name, out var g) && g.Missing > 0, TimeSpan.FromSeconds(5), "the crashed node's key expires");
        Assert.Equal(0, missing.Nodes[updater.Name].Desired);
        var gone = await cluster.WaitAsync(r => !r.Nodes.ContainsKey(updater.Name), TimeSpan.FromSeconds(15), "its share is released");
        var released = await cluster.WaitAsync(Converged(2, gone), TimeSpan.FromSeconds(20), "the others re-converge");
        var survivors = cluster.Running.Select(n => int.Parse(n.Name[1..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();
        var expected = CentralizedOver(survivors, Budget);
        output.WriteLine($"re-converged without {updater.Name} at round {released.Round}: price {released.Price:G6} (centralized {expected:G6}); max total {cluster.MaxTotal:F2} W");
        Assert.Equal(expected, released.Price, expected * PriceTolerance(method));
        Assert.True(cluster.MaxTotal <= Budget * (1 + 1e-9), $"total {cluster.MaxTotal} within the budget");
        await AssertNothingThrottledAsync(cluster);
    }

    [Theory]
    [InlineData("dual")]
    [InlineData("admm")]
    public async Task Cluster_EtcdDownAndBack_NodesHoldSafeSharesThenRejoin(string method)
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var settings = Settings(method);
        await using var cluster = new LocalCluster(etcd.Url, settings);
        for (var i = 0; i < 3; i++)
        {
            cluster.Add(i);
        }

        await cluster.WaitAsync(Converged(3), TimeSpan.FromSeconds(30), "three nodes converge");
        await Task.Delay(settings.Round * 3);
        var applied = cluster.Nodes.ToDictionary(n => n.Name, n => n.Status.Applied);
        etcd.Kill();
        await Task.Delay(settings.FallbackAfter + settings.Round * 4);
        foreach (var node in cluster.Nodes)
        {
            var s = node.Status;
            output.WriteLine($"{method}, etcd down: {s.Node} {s.Mode} applied {s.Applied:F2} share {s.Share:F2} contact {s.ContactAge:F1} s");
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
        await AssertNothingThrottledAsync(cluster);
    }

    // Nothing left throttled that should not be: once the survivors have re-converged, every running
    // node is joined and applies its desired load (its cap does not hold it below its optimum).
    private async Task AssertNothingThrottledAsync(LocalCluster cluster)
    {
        await Task.Delay(cluster.Settings.Round * (cluster.Settings.RejoinRounds + 4));
        foreach (var node in cluster.Running)
        {
            var s = node.Status;
            output.WriteLine($"  {s.Node}: {s.Mode}, applies {s.Applied:F2} W of desired {s.Desired:F2} W (cap {s.Cap:F2} W)");
            Assert.Equal(ClusterMode.Joined, s.Mode);
            Assert.True(s.Applied >= s.Desired - (0.01 * Budget), $"{s.Node} applies {s.Applied:F2} W, not held below its desired {s.Desired:F2} W");
        }
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

        await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3 && Predicts(n0.Status, truth), TimeSpan.FromSeconds(30), "three nodes converge with n0's draw learnt");
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

        output.WriteLine($"gain {n0.Status.Gain:F4}, offset {n0.Status.Offset:F2} W; n0 share {n0.Status.Share:F2} W, real draw {truth * modelled:F2} W, model {modelled:F2} W; largest real total {maxReal:F2} W");
        Assert.True(maxReal <= Budget * 1.001, $"real total {maxReal} within the budget {Budget}");
        Assert.True(maxOwn <= 1e-3 * Budget, $"n0 draws at most its share (excess {maxOwn})");
        Assert.True(n0.Status.Share > 1.2 * modelled, "n0's model sits well below its share: uncorrected it would draw 1.5 x its model up to its share");
    }

    // The fitted gain and offset predict n0's real draw at its load to 0.1 % (on a steady load the
    // split between gain and offset is known only as far as the load moved; the prediction is what the cap needs).
    private static bool Predicts(ClusterNodeStatus s, double truth) =>
        s.Model > 0 && Math.Abs((s.Gain * s.Model) + s.Offset - (truth * s.Model)) < 1e-3 * truth * s.Model;

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
