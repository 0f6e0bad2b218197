using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Cluster.Tests;

/// <summary>
/// A node and the updater around a node that leaves and comes back: the price does not jump when
/// the live set changes, and a node back from its fallback ramps to its grant instead of jumping.
/// </summary>
public sealed class ClusterRejoinTests
{
    private static readonly ClusterSettings s_settings = ClusterInstance.Settings(3, 600, "/t");

    private static string Load(long round, double load) =>
        JsonSerializer.Serialize(new LoadRecord(round, load, load, 0, 0), ClusterJsonContext.Default.LoadRecord);

    /// <summary>
    /// Converged with three nodes; one node's key goes (its lease expired) for 30 rounds and comes
    /// back, while another node's load reads 0.2 W more than its solve (its jobs moved a little): the
    /// updater holds the missing node's share and the price moves by well under 1 % (a change of
    /// the live set restarts the bracket from the current price by one dual step; it used to double
    /// or halve the price, and a node rejoining at that price jumped).
    /// </summary>
    [Fact]
    public void Next_NodeLeavesAndRejoinsAtTheOptimum_PriceStays()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => ClusterInstance.Node(i)).ToArray();
        var (price, _) = ClusterInstance.Centralized(3, 600);
        PriceRecord? record = null;
        PriceRecord Step(bool withN2, double drift = 0)
        {
            var current = record;
            var loads = Enumerable.Range(0, withN2 ? 3 : 2).ToDictionary(i => "n" + i, i => Load(current?.Round ?? 0, nodes[i].Solve(current?.Price ?? 0).ClusterLoad + (i == 0 ? drift : 0)));
            return record = ClusterPriceUpdate.Next(s_settings, record, loads, "n0").Record;
        }

        for (var r = 0; r < 60 && !(record?.Search.Converged ?? false); r++)
        {
            Step(true);
        }

        Assert.True(record!.Search.Converged);
        var converged = record.Price;
        Assert.Equal(price, converged, price * 1e-3);
        var held = record.Nodes["n2"].Share;
        var worst = 0.0;
        for (var r = 0; r < 30; r++)
        {
            Step(false, drift: 0.2);
            Assert.Equal(held, record.Nodes["n2"].Share);
            worst = Math.Max(worst, Math.Abs((record.Price / converged) - 1));
        }

        for (var r = 0; r < 10; r++)
        {
            Step(true, drift: 0.2);
            worst = Math.Max(worst, Math.Abs((record.Price / converged) - 1));
        }

        Assert.True(worst <= 1e-2, $"the price moved by {worst:P3} while a node left and came back");
        Assert.True(record.Nodes.Values.Sum(g => g.Held) <= 600 * (1 + 1e-12));
    }

    /// <summary>
    /// A node cut off long enough to drop to its floor ramps back to its grant over
    /// <see cref="ClusterSettings.RejoinRounds"/> node rounds; a record without its grant (the
    /// updater gave its share away) puts it at its floor, not at its old share.
    /// </summary>
    [Fact]
    public async Task Node_BackFromTheFloor_RampsToItsGrant()
    {
        var time = new ManualTime();
        var store = new MemoryStore();
        var problem = ClusterInstance.Node(0);
        using var node = new ClusterNode("n0", s_settings, problem, store, time);
        store.Record(s_settings, 1, 0.001, ("n0", 150));
        Assert.Equal(150, (await node.RoundAsync(CancellationToken.None)).Cap, 9);

        store.Down = true;
        time.Advance(s_settings.FloorAfter + TimeSpan.FromSeconds(1));
        var floor = await node.RoundAsync(CancellationToken.None);
        Assert.Equal(ClusterMode.Floor, floor.Mode);
        Assert.Equal(problem.Floor, floor.Cap, 9);

        store.Down = false;
        store.Record(s_settings, 2, 0.001, ("n0", 150));
        var caps = new List<double>();
        for (var i = 0; i < s_settings.RejoinRounds + 2; i++)
        {
            var status = await node.RoundAsync(CancellationToken.None);
            Assert.Equal(ClusterMode.Joined, status.Mode);
            Assert.True(status.Applied <= status.Cap + 1e-9);
            caps.Add(status.Cap);
        }

        var steps = caps.Prepend(problem.Floor).Zip(caps, (a, b) => b - a).ToList();
        Assert.All(steps, d => Assert.InRange(d, -1e-9, ((150 - problem.Floor) / s_settings.RejoinRounds) + 1e-9));
        Assert.Equal(150, caps[^1], 9);

        store.Record(s_settings, 3, 0.001);
        var dropped = await node.RoundAsync(CancellationToken.None);
        Assert.Equal(ClusterMode.Joining, dropped.Mode);
        Assert.Equal(problem.Floor, dropped.Cap, 9);
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    /// <summary>The store's KV part in memory, unreachable while <see cref="Down"/>.</summary>
    private sealed class MemoryStore : IClusterStore
    {
        private readonly Dictionary<string, string> _keys = [];

        public bool Down { get; set; }

        public long Requests { get; private set; }

        public void Record(ClusterSettings settings, long round, double price, params (string Node, double Share)[] grants)
        {
            var record = new PriceRecord(round, price, 600, "u", new SortedDictionary<string, NodeGrant>(grants.ToDictionary(g => g.Node, g => new NodeGrant(g.Share, g.Share, g.Share, 0)), StringComparer.Ordinal), 0, PriceSearch.Start);
            foreach (var (key, value) in ClusterRecordKeys.Split(settings, record))
            {
                _keys[key] = value;
            }
        }

        public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken) => Reach(() => 1L);

        public Task<bool> KeepAliveAsync(long lease, CancellationToken cancellationToken) => Reach(() => true);

        public Task PutAsync(string key, string value, long lease, CancellationToken cancellationToken) => Reach(() => _keys[key] = value);

        public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Reach(() => _keys.GetValueOrDefault(key));

        public Task<IReadOnlyDictionary<string, string>> GetPrefixAsync(string prefix, CancellationToken cancellationToken) =>
            Reach<IReadOnlyDictionary<string, string>>(() => _keys.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));

        public Task<ElectionTicket> CampaignAsync(string election, long lease, string value, CancellationToken cancellationToken) => throw new NotSupportedException("the node test does not campaign");

        public Task<IReadOnlyDictionary<string, string>> GetKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
            Reach<IReadOnlyDictionary<string, string>>(() => keys.Where(_keys.ContainsKey).ToDictionary(k => k, k => _keys[k]));

        public Task<bool> PutIfLeaderAsync(ElectionTicket ticket, IReadOnlyList<KeyValuePair<string, string>> puts, CancellationToken cancellationToken) => throw new NotSupportedException("the node test does not campaign");

        public void Dispose()
        {
        }

        private Task<T> Reach<T>(Func<T> action)
        {
            Requests++;
            return Down ? Task.FromException<T>(new TimeoutException("etcd is out of reach")) : Task.FromResult(action());
        }
    }
}
