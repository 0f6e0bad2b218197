using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Cluster.Tests;

/// <summary>
/// Cluster nodes as tasks in this process, each with its own etcd client, and a watcher that
/// samples the sum of the loads the running nodes apply, to check it never exceeds the budget.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private volatile (ClusterNode Node, CancellationTokenSource Stop, Task Run)[] _nodes = [];
    private readonly CancellationTokenSource _watch = new();
    private readonly Task _watcher;
    private readonly string _url;

    public LocalCluster(string url, ClusterSettings settings)
    {
        _url = url;
        Settings = settings;
        _watcher = Task.Run(async () =>
        {
            while (!_watch.IsCancellationRequested)
            {
                var total = _nodes.Where(n => !n.Stop.IsCancellationRequested).Sum(n => n.Node.Status.Applied);
                MaxTotal = Math.Max(MaxTotal, total);
                await Task.Delay(10).ConfigureAwait(false);
            }
        });
    }

    public ClusterSettings Settings { get; }

    /// <summary>The largest sum of applied cluster loads seen.</summary>
    public double MaxTotal { get; private set; }

    public IReadOnlyList<ClusterNode> Nodes => _nodes.Select(n => n.Node).ToArray();

    public ClusterNode Add(int index, IClusterStore? store = null, TimeProvider? time = null)
    {
        var node = new ClusterNode("n" + index, Settings, ClusterInstance.Node(index), store ?? new EtcdClusterStore(new EtcdEndpoint(_url), Settings.RequestTimeout), time);
        var stop = new CancellationTokenSource();
        _nodes = [.. _nodes, (node, stop, Task.Run(() => node.RunAsync(stop.Token)))];
        return node;
    }

    /// <summary>Stops a node as a crash would: no revoke, no goodbye; its lease runs out.</summary>
    public async Task CrashAsync(ClusterNode node)
    {
        var entry = _nodes.Single(n => n.Node == node);
        await entry.Stop.CancelAsync();
        await entry.Run.ConfigureAwait(false);
        node.Dispose();
    }

    public IEnumerable<ClusterNode> Running => _nodes.Where(n => !n.Stop.IsCancellationRequested).Select(n => n.Node);

    public async Task<PriceRecord?> RecordAsync()
    {
        using var store = new EtcdClusterStore(new EtcdEndpoint(_url), TimeSpan.FromSeconds(2));
        return await ClusterRecordKeys.ReadAsync(store, Settings, CancellationToken.None);
    }

    /// <summary>Waits until <paramref name="done"/> holds for the latest record, or fails after <paramref name="timeout"/>.</summary>
    public async Task<PriceRecord> WaitAsync(Func<PriceRecord, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        PriceRecord? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await RecordAsync();
                if (last is not null && done(last))
                {
                    return last;
                }
            }
            catch (Exception) when (clock.Elapsed < timeout)
            {
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{what}: not within {timeout.TotalSeconds} s; last record: {(last is null ? "none" : JsonSerializer.Serialize(last, ClusterJsonContext.Default.PriceRecord))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (node, stop, run) in _nodes)
        {
            if (!stop.IsCancellationRequested)
            {
                await stop.CancelAsync();
                await run.ConfigureAwait(false);
                node.Dispose();
            }
        }

        await _watch.CancelAsync();
        await _watcher.ConfigureAwait(false);
    }
}
