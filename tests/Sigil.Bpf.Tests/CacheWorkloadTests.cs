using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using Sigil.Bpf.Tests.Generated;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>The cache object's sched_switch sensor against a thread that burns a known amount of CPU.</summary>
[Collection(KernelCollection.Name)]
public sealed class CacheWorkloadTests
{
    [KernelFact]
    public void SpinningThread_OnCpuTimeMatchesItsCpuClock_AndGoesAtExit()
    {
        using var child = WorkloadProcess.Start("spin", "300");
        using var fibre = BpfFibre.Open(BpfObjects.Cache);
        fibre.Load();
        fibre.Scope(child.Pid);
        using var links = fibre.Attach();
        using var events = new EventLog(fibre);

        child.Go();
        var done = child.ReadLine()!.Split(' ');
        Assert.Equal("done", done[0]);
        var cpuNs = ulong.Parse(done[1], CultureInfo.InvariantCulture);

        // The child blocks on stdin right after: its last slice ends at that switch.
        Thread.Sleep(100);
        Assert.True(fibre.TryGetState(child.Pid, out CacheThreadState state));
        Assert.True(state.OncpuSamples > 0);
        Assert.InRange(state.OncpuTotal, (ulong)(cpuNs * 0.95), (ulong)(cpuNs * 1.05) + 5_000_000);
        Assert.True(state.OncpuLast <= state.OncpuTotal);

        var stats = fibre.ReadStats();
        Assert.True(stats.IsConsistent, stats.ToString());
        Assert.Equal(state.OncpuSamples, stats.Samples);
        Assert.Equal(0ul, stats.Dropped);

        Assert.Equal(0, child.Finish());
        Assert.True(events.PollUntil(e => e.Any(x => x.Tid == child.Pid && x.EventKind == SigilEventKind.Exit), TimeSpan.FromSeconds(5)), "no exit event");
        Assert.False(fibre.TryGetState(child.Pid, out CacheThreadState _));
    }

    [KernelFact]
    public void DaemonPrices_AreArraysTheDaemonWritesAndHooksRead()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Cache);
        fibre.Load();
        var llc = fibre.Object.Map(CacheBpf.PriceLlcMap);
        Assert.Equal(BpfMapType.Array, llc.Type);
        llc.Update(1u, 3L << 20);
        Assert.Equal(3L << 20, llc.Lookup<uint, long>(1u));
        Assert.Equal(new uint[] { 0, 1 }, llc.Keys<uint>().ToArray());
        Assert.Null(fibre.PriceMap);
        Assert.Throws<InvalidOperationException>(() => fibre.TryGetPrice(1, out _));
    }
}
