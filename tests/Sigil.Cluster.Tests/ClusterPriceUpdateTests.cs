using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Sigil.Cluster.Tests;

public sealed class ClusterPriceUpdateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Dictionary<int, double> s_centralized = [];

    private static readonly ClusterSettings s_settings = ClusterInstance.Settings(3, 600, "/t");

    private static string Load(long round, double load, double applied = 0) =>
        JsonSerializer.Serialize(new LoadRecord(round, load, applied, 0, 0), ClusterJsonContext.Default.LoadRecord);

    [Fact]
    public void NodeProblem_OneNode_MatchesCentralizedSolve()
    {
        // A cluster of one with a budget it cannot use up: the node's own row binds alone.
        var (price, loads) = ClusterInstance.Centralized(1, 10_000);
        Assert.Equal(0, price, 6);
        var local = ClusterInstance.Node(0).Solve(0);
        Assert.Equal(loads[0], local.ClusterLoad, 3);
        Assert.Equal(400, local.NodeLoad, 6);
    }

    [Fact]
    public void NodeProblem_Cap_HoldsTheClusterLoadAtTheShare()
    {
        var node = ClusterInstance.Node(1);
        var capped = node.Solve(0.001, 123);
        Assert.Equal(123, capped.ClusterLoad, 6);
        Assert.True(capped.CapPrice > 0);
        Assert.True(node.Solve(0.001).ClusterLoad > 123);
    }

    [Theory]
    [InlineData("{not json", "corrupt value")]
    [InlineData("{\"round\":1,\"load\":\"NaN\",\"applied\":0,\"floor\":0,\"time\":0}", "is not a finite number")]
    [InlineData("{\"round\":1,\"load\":-5,\"applied\":0,\"floor\":0,\"time\":0}", "is negative")]
    [InlineData("{\"round\":1,\"load\":1e9,\"applied\":0,\"floor\":0,\"time\":0}", "is above one node's bound 600")]
    [InlineData("{\"round\":1,\"load\":5,\"applied\":0,\"floor\":0,\"time\":0,\"slope\":3}", "slope 3 is not a finite number <= 0")]
    [InlineData("{\"round\":99,\"load\":5,\"applied\":0,\"floor\":0,\"time\":0}", "acknowledges round 99, but the cluster is at round 1")]
    public void Next_BadLoad_IsIgnoredAndCounted(string raw, string reason)
    {
        var first = ClusterPriceUpdate.Next(s_settings, null, new Dictionary<string, string> { ["a"] = Load(0, 100) }, "a").Record;
        var round = ClusterPriceUpdate.Next(s_settings, first, new Dictionary<string, string> { ["a"] = Load(1, 100), ["bad"] = raw }, "a");
        var ignored = Assert.Single(round.Ignored);
        Assert.Equal("bad", ignored.Node);
        Assert.Contains(reason, ignored.Reason, StringComparison.Ordinal);
        Assert.Equal(1, round.Record.Ignored);
        Assert.False(round.Record.Nodes.ContainsKey("bad"));
        Assert.Equal(1, round.Live);
    }

    [Fact]
    public void Next_BadNodeName_IsIgnored()
    {
        var round = ClusterPriceUpdate.Next(s_settings, null, new Dictionary<string, string> { ["a/b"] = Load(0, 1), ["x\n"] = Load(0, 1) }, "a");
        Assert.Equal(2, round.Ignored.Count);
        Assert.All(round.Ignored, i => Assert.Contains("is not [A-Za-z0-9._-]{1,63}", i.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Next_NodesBeyondTheDeclaredCount_AreIgnored()
    {
        var loads = Enumerable.Range(0, 5).ToDictionary(i => "n" + i, _ => Load(0, 10));
        var round = ClusterPriceUpdate.Next(s_settings, null, loads, "n0");
        Assert.Equal(3, round.Live);
        Assert.Equal(2, round.Ignored.Count(i => i.Reason.Contains("at most 3 nodes", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Whatever the loads and however late the nodes acknowledge, the budget the updater holds
    /// for nodes (the largest share each may be using) never exceeds B: 2,000 random rounds.
    /// </summary>
    [Fact]
    public void Next_RandomLoadsAndAcks_HoldsNeverExceedBudget()
    {
        var random = new Random(7);
        PriceRecord? record = null;
        var using_ = new Dictionary<string, double>();
        var acked = new Dictionary<string, long>();
        for (var r = 0; r < 2000; r++)
        {
            var loads = new Dictionary<string, string>();
            foreach (var n in new[] { "a", "b", "c" })
            {
                if (random.NextDouble() < 0.15)
                {
                    continue; // the key is gone this round (lease expired or slow)
                }

                // A node applies the latest record it happened to read (possibly an old one).
                if (record is not null && random.NextDouble() < 0.6)
                {
                    acked[n] = record.Round;
                    using_[n] = record.Nodes.TryGetValue(n, out var g) ? g.Share : 0;
                }

                loads[n] = Load(acked.GetValueOrDefault(n), random.NextDouble() * 600);
            }

            record = ClusterPriceUpdate.Next(s_settings, record, loads, "a").Record;
            Assert.True(record.Nodes.Values.Sum(g => g.Held) <= 600 * (1 + 1e-12), $"round {r}: holds {record.Nodes.Values.Sum(g => g.Held)} > 600");
            Assert.True(using_.Values.Sum() <= 600 * (1 + 1e-12), $"round {r}: shares in use {using_.Values.Sum()} > 600");
            foreach (var (n, share) in using_)
            {
                if (record.Nodes.TryGetValue(n, out var g))
                {
                    Assert.True(share <= g.Held * (1 + 1e-12) + 1e-9, $"round {r}: node {n} uses {share} above its hold {g.Held}");
                }
            }
        }
    }

    /// <summary>
    /// One node a round behind holds the price back among 3 nodes (a third of the load), but not
    /// among 200 (0.5 % of the load, within <see cref="ClusterPriceUpdate.LagFraction"/>).
    /// </summary>
    [Theory]
    [InlineData(3, false)]
    [InlineData(200, true)]
    public void Next_OneNodeBehind_HoldsThePriceOnlyWhenItCarriesMuchOfTheLoad(int count, bool moves)
    {
        var settings = ClusterInstance.Settings(count, 200 * count, "/t");
        Dictionary<string, string> Loads(long round, long laggard) =>
            Enumerable.Range(0, count).ToDictionary(i => "n" + i, i => Load(i == 0 ? laggard : round, 600));
        var first = ClusterPriceUpdate.Next(settings, null, Loads(0, 0), "n1").Record;
        var second = ClusterPriceUpdate.Next(settings, first, Loads(1, 1), "n1").Record;
        Assert.True(second.Price > 0);
        var third = ClusterPriceUpdate.Next(settings, second, Loads(2, 1), "n1").Record;
        Assert.Equal(moves, third.Price != second.Price);
    }

    /// <summary>
    /// The price search does not slow down as nodes are added: with exact node responses (each
    /// node's desired load and slope at the record's price) 3, 100 and 1,000 nodes reach the
    /// bisected centralized price within the same tolerance in the same few rounds, and the
    /// updater's round (reading and checking every key, the shares, the price) stays cheap.
    /// </summary>
    [Theory]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Next_ExactResponsesWithSlopes_RoundsDoNotGrowWithNodes(int count)
    {
        var (rounds, price, centralized, milliseconds) = ExactRun(count, slopes: true);
        output.WriteLine($"{count} nodes: {rounds} rounds, price {price:G8} (centralized {centralized:G8}), {milliseconds:F1} ms per update");
        Assert.True(rounds <= 10, $"{count} nodes converged in {rounds} rounds (at most 10)");
        Assert.Equal(centralized, price, centralized * 1e-3);
        Assert.True(milliseconds < 2000, $"{count} nodes: {milliseconds:F0} ms per updater round");
    }

    /// <summary>Without the nodes' slopes the search falls back to expanding by the dual step and bisecting, and takes more rounds at 1,000 nodes.</summary>
    [Fact]
    public void Next_WithoutSlopes_TakesMoreRounds()
    {
        var with = ExactRun(1000, slopes: true).Rounds;
        var without = ExactRun(1000, slopes: false).Rounds;
        output.WriteLine($"1000 nodes: {with} rounds with slopes, {without} without");
        Assert.True(without > with, $"without slopes {without} rounds, with {with}");
    }

    // Rounds of ClusterPriceUpdate.Next until converged, every node answering each record exactly.
    private static (int Rounds, double Price, double Centralized, double Milliseconds) ExactRun(int count, bool slopes)
    {
        var settings = ClusterInstance.Settings(count, 200 * count, "/t");
        var nodes = Enumerable.Range(0, count).Select(i => ClusterInstance.Node(i)).ToArray();
        double centralized;
        lock (s_centralized)
        {
            if (!s_centralized.TryGetValue(count, out centralized))
            {
                s_centralized[count] = centralized = ClusterSimulation.CentralizedPrice(nodes, settings.Budget);
            }
        }

        PriceRecord? record = null;
        var rounds = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var update = TimeSpan.Zero;
        while (rounds < 60 && !(record?.Search.Converged ?? false))
        {
            var current = record;
            var loads = new Dictionary<string, string>(count);
            for (var i = 0; i < count; i++)
            {
                var p = current?.Price ?? 0;
                var d = nodes[i].Solve(p).ClusterLoad;
                loads["n" + i] = JsonSerializer.Serialize(new LoadRecord(current?.Round ?? 0, d, 0, 0, 0, slopes ? nodes[i].Slope(p, d) : 0), ClusterJsonContext.Default.LoadRecord);
            }

            var start = clock.Elapsed;
            record = ClusterPriceUpdate.Next(settings, record, loads, "n0").Record;
            update += clock.Elapsed - start;
            rounds++;
        }

        Assert.True(record!.Search.Converged, $"{count} nodes converged within 60 rounds");
        return (rounds, record.Price, centralized, update.TotalMilliseconds / rounds);
    }

    [Fact]
    public void RecordKeys_SplitAndJoin_RoundTripsAndANodeReadsOnlyItsBucket()
    {
        var settings = ClusterInstance.Settings(1000, 200_000, "/t");
        var grants = new SortedDictionary<string, NodeGrant>(Enumerable.Range(0, 1000).ToDictionary(i => "n" + i, i => new NodeGrant(i, i + 1, i + 2, 0)), StringComparer.Ordinal);
        var record = new PriceRecord(7, 0.02, 200_000, "n3", grants, 0, PriceSearch.Start with { Members = ClusterRecordKeys.Fingerprint(grants.Keys) });
        var keys = ClusterRecordKeys.Split(settings, record);
        Assert.Equal(ClusterRecordKeys.Buckets(settings) + 1, keys.Count);
        Assert.True(keys.Count < 128, "the updater's transaction stays within etcd's --max-txn-ops default (128)");
        var all = keys.ToDictionary(kv => kv.Key, kv => kv.Value);
        var joined = ClusterRecordKeys.Join(settings, all)!;
        Assert.Equal(record.Nodes, joined.Nodes);
        Assert.Equal((record.Round, record.Price, record.Search), (joined.Round, joined.Price, joined.Search));

        var mine = ClusterRecordKeys.NodeKeys(settings, "n17");
        var read = ClusterRecordKeys.Join(settings, mine.ToDictionary(k => k, k => all[k]))!;
        Assert.Equal(record.Nodes["n17"], read.Nodes["n17"]);
        Assert.True(read.Nodes.Count <= 3 * ClusterRecordKeys.NodesPerBucket, $"a node reads {read.Nodes.Count} grants, not 1,000");
        Assert.True(mine.Sum(k => all[k].Length) < 8_000, $"a node reads {mine.Sum(k => all[k].Length)} bytes");

        all[ClusterRecordKeys.Bucket(settings, 0)] = "{not json";
        Assert.Throws<ClusterRecordCorruptException>(() => ClusterRecordKeys.Join(settings, all));
    }

    /// <summary>The update alone (no etcd) with exact node responses reaches the centralized price.</summary>
    [Fact]
    public void Next_ExactResponses_ConvergeToCentralizedOptimum()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => ClusterInstance.Node(i)).ToArray();
        var (price, loads) = ClusterInstance.Centralized(3, 600);
        PriceRecord? record = null;
        var rounds = 0;
        while (rounds < 60 && !(record?.Search.Converged ?? false))
        {
            var current = record;
            var l = Enumerable.Range(0, 3).ToDictionary(i => "n" + i, i => Load(current?.Round ?? 0, nodes[i].Solve(current?.Price ?? 0).ClusterLoad));
            record = ClusterPriceUpdate.Next(s_settings, record, l, "n0").Record;
            rounds++;
        }

        Assert.True(record!.Search.Converged, $"converged within 60 rounds (took {rounds})");
        Assert.Equal(price, record.Price, price * 1e-3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(loads[i], nodes[i].Solve(record.Price).ClusterLoad, 0.5);
        }
    }
}

public sealed class ClusterDeploymentTests
{
    /// <summary>Every option the DaemonSet patch passes is one 'sigil run' accepts, and every env var it reads is defined.</summary>
    [Fact]
    public void EtcdClientPatch_PassesOptionsTheCliKnows()
    {
        var root = new System.IO.DirectoryInfo(System.AppContext.BaseDirectory);
        while (!System.IO.File.Exists(System.IO.Path.Combine(root!.FullName, "Sigil.sln")))
        {
            root = root.Parent;
        }

        using var patch = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(root.FullName, "templates", "k8s", "cluster", "etcd-client.patch.json")));
        var values = patch.RootElement.EnumerateArray().Where(op => op.GetProperty("path").GetString()!.EndsWith("/args/-", System.StringComparison.Ordinal))
            .Select(op => op.GetProperty("value").GetString()!).ToList();
        var env = patch.RootElement.EnumerateArray().Where(op => op.GetProperty("path").GetString()!.EndsWith("/env/-", System.StringComparison.Ordinal))
            .Select(op => op.GetProperty("value").GetProperty("name").GetString()!).ToHashSet();
        var help = Run("run --help");
        foreach (var option in values.Where(v => v.StartsWith("--", System.StringComparison.Ordinal)))
        {
            Assert.Contains(option + " ", help, System.StringComparison.Ordinal);
        }

        foreach (var variable in values.Where(v => v.StartsWith("$(", System.StringComparison.Ordinal)))
        {
            Assert.Contains(variable[2..^1], env);
        }

        Assert.Equal(new[] { "--etcd", "--node", "--etcd-ca", "--etcd-cert", "--etcd-key" }, values.Where(v => v.StartsWith("--", System.StringComparison.Ordinal)));
    }

    private static string Run(string args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", Sigil.Tests.Shared.SigilCommand.Dll + " " + args) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }
}
