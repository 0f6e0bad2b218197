using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Bpf.Tests.Generated;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>The dwell object against controlled workloads in the running kernel.</summary>
[Collection(KernelCollection.Name)]
public sealed class DwellWorkloadTests
{
    private static readonly string s_file = Path.Combine(Repository.Scratch("files"), "held.txt");

    [KernelFact]
    public void HeldFile_DwellWithin5Percent_PriceIsTheFixedPointUpdate_CountersConsistent()
    {
        const int holdMs = 800;
        using var child = WorkloadProcess.Start("hold", s_file, holdMs.ToString(CultureInfo.InvariantCulture));

        // A budget of 0.25 s makes the hold raise the price: 2.0 * (0.8 - 0.25) = 1.1.
        using var session = DwellSession.Start(child.Pid, p => p with { BudgetFixed = p.ToFixed(0.25) });
        session.Fibre.SetThresholds(throttlePrice: session.Parameters.ToFixed(0.5), killPrice: 0);
        child.Go();
        var held = child.ReadLine()!.Split(' ');
        Assert.Equal("held", held[0]);
        var fd = int.Parse(held[1], CultureInfo.InvariantCulture);
        var (beforeOpen, afterOpen, beforeClose, afterClose) = (ulong.Parse(held[2], CultureInfo.InvariantCulture), ulong.Parse(held[3], CultureInfo.InvariantCulture), ulong.Parse(held[4], CultureInfo.InvariantCulture), ulong.Parse(held[5], CultureInfo.InvariantCulture));
        Assert.Equal("survived", child.ReadLine());
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Sample && x.Fd == fd), TimeSpan.FromSeconds(10)), "no sample of the held file");

        // The kernel's span lies between the child's own clock readings, and within 5% of the
        // time the child held the file (its sleep may overrun the 800 ms on a busy machine).
        var sample = session.Events.Of(child.Pid, SigilEventKind.Sample).Single(e => e.Fd == fd);
        var heldNs = beforeClose - afterOpen;
        Assert.InRange(sample.LoadNs, heldNs, afterClose - beforeOpen);
        Assert.InRange(sample.LoadNs, heldNs * 0.95, heldNs * 1.05);
        Assert.InRange(heldNs, holdMs * 1_000_000ul, holdMs * 2_000_000ul);

        // The price is the fixed-point update of every sample of this process, in order.
        var parameters = session.Parameters;
        var price = 0L;
        foreach (var e in session.Events.Of(child.Pid, SigilEventKind.Sample))
        {
            price = FixedPoint.Apply(parameters, price, e.LoadNs);
            Assert.Equal(price, e.Price);
        }

        Assert.True(session.Fibre.TryGetPrice(child.Pid, out var kernelPrice));
        Assert.Equal(price, kernelPrice);
        Assert.InRange(parameters.ToDouble(kernelPrice), 1.0, 1.2);

        Assert.True(session.Fibre.TryGetState(child.Pid, out DwellTaskState state));
        Assert.Equal((ulong)session.Events.Of(child.Pid, SigilEventKind.Sample).Count(), state.HoldSamples);
        Assert.Equal(sample.LoadNs, state.HoldLast);
        Assert.True((uint)fd < state.HoldFdBound);

        // The span stays, closed, for the fd's reuse: its open time is zero.
        var span = session.Fibre.Object.Map(DwellBpf.HoldOpenMap).Lookup<DwellHoldKey, DwellHoldSpan>(new DwellHoldKey { Tgid = child.Pid, Fd = fd });
        Assert.Equal(0ul, span.OpenNs);

        var stats = session.Fibre.ReadStats();
        Assert.True(stats.IsConsistent, stats.ToString());
        Assert.Equal(0ul, stats.Dropped);
        Assert.Equal(state.HoldSamples, stats.Samples);
        // The hold timer charged the held file while it was open (each charge a price update of
        // its own); the close charged the rest, so the price above is still that of the samples.
        Assert.InRange(stats.PriceUpdates, stats.Samples, stats.Samples + 10);
        Assert.Equal(1ul, stats.Throttles);
        Assert.Equal(0ul, stats.KillsSuppressed);
        Assert.Single(session.Events.Of(child.Pid, SigilEventKind.Throttle));
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void Burst_EveryPairSensed_PriceReplaysExactly_NothingLost()
    {
        const int pairs = 3000;
        using var child = WorkloadProcess.Start("burst", s_file, pairs.ToString(CultureInfo.InvariantCulture));

        // A zero budget makes every short span raise the price.
        using var session = DwellSession.Start(child.Pid, p => p with { BudgetFixed = 0 });
        var before = session.Fibre.ReadStats();
        child.Go();
        Assert.Equal($"done {pairs}", child.ReadLine());
        Assert.True(session.Events.PollUntil(e => e.Count(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Sample) >= pairs, TimeSpan.FromSeconds(10)));

        var samples = session.Events.Of(child.Pid, SigilEventKind.Sample).ToList();
        Assert.Equal(pairs, samples.Count);
        Assert.All(samples, s => Assert.InRange(s.LoadNs, 1ul, 2_000_000_000ul));
        var price = samples.Aggregate(0L, (p, s) => FixedPoint.Apply(session.Parameters, p, s.LoadNs));
        Assert.True(price > 0);
        Assert.True(session.Fibre.TryGetPrice(child.Pid, out var kernelPrice));
        Assert.Equal(price, kernelPrice);

        // Every openat enter, exit and close of the child was processed; nothing dropped.
        var stats = session.Fibre.ReadStats().Since(before);
        Assert.True(session.Fibre.ReadStats().IsConsistent);
        Assert.Equal(0ul, stats.Dropped);
        Assert.Equal((ulong)pairs, stats.Samples);
        Assert.True(stats.Processed >= 3ul * pairs, stats.ToString());
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void Exit_RemovesStatePriceAndOpenSpans_AndReportsIt()
    {
        using var child = WorkloadProcess.Start("leave", s_file, "20");
        using var session = DwellSession.Start(child.Pid);
        child.Go();
        Assert.Equal("left 20", child.ReadLine());
        Assert.True(session.Fibre.TryGetState(child.Pid, out DwellTaskState state));
        Assert.True(state.HoldFdBound >= 23, $"fd bound {state.HoldFdBound}");
        var open = session.Fibre.Object.Map(DwellBpf.HoldOpenMap);
        Assert.Equal(20, open.Entries<DwellHoldKey, DwellHoldSpan>().Count(e => e.Key.Tgid == child.Pid && e.Value.OpenNs != 0));

        Assert.Equal(0, child.Finish());
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Exit), TimeSpan.FromSeconds(10)), "no exit event");
        Assert.False(session.Fibre.TryGetState(child.Pid, out DwellTaskState _));
        Assert.False(session.Fibre.TryGetPrice(child.Pid, out _));
        Assert.Equal(0, open.Keys<DwellHoldKey>().Count(k => k.Tgid == child.Pid));
        Assert.Equal(1ul, session.Fibre.ReadStats().Exits);
    }

    [KernelFact]
    public void StaleSpan_FromAnEarlierProcess_IsNotReadAsADwell()
    {
        using var child = WorkloadProcess.Start("closefd", "200");
        using var session = DwellSession.Start(child.Pid);

        // A span an earlier process with this tgid left ten minutes ago, on fd 200.
        var open = session.Fibre.Object.Map(DwellBpf.HoldOpenMap);
        var tenMinutesAgo = (ulong)(Environment.TickCount64 - 1) * 1_000_000UL - 600_000_000_000UL;
        open.Update(new DwellHoldKey { Tgid = child.Pid, Fd = 200 }, new DwellHoldSpan { OpenNs = tenMinutesAgo, StartTime = 1 });
        child.Go();
        Assert.Equal("closed -1", child.ReadLine());
        Thread.Sleep(50);
        session.Events.Drain();

        Assert.DoesNotContain(session.Events.Events, e => e.Tgid == child.Pid && e.EventKind == SigilEventKind.Sample);
        Assert.False(session.Fibre.TryGetPrice(child.Pid, out _));
        var stats = session.Fibre.ReadStats();
        Assert.Equal(1ul, stats.Stale);
        Assert.Equal(0ul, stats.Samples);
        Assert.True(open.TryLookup(new DwellHoldKey { Tgid = child.Pid, Fd = 200 }, out DwellHoldSpan claimed));
        Assert.Equal(0ul, claimed.OpenNs);
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void FdReuse_ANewOpenOverwritesALeftoverSpan()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "100");
        using var session = DwellSession.Start(child.Pid);

        // A leftover span on the fd the child's open will get (3: the first free one).
        var open = session.Fibre.Object.Map(DwellBpf.HoldOpenMap);
        open.Update(new DwellHoldKey { Tgid = child.Pid, Fd = 3 }, new DwellHoldSpan { OpenNs = 1, StartTime = 1 });
        child.Go();
        var held = child.ReadLine()!.Split(' ');
        Assert.Equal("3", held[1]);
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Sample), TimeSpan.FromSeconds(10)));
        var sample = session.Events.Of(child.Pid, SigilEventKind.Sample).Single();
        var (beforeOpen, afterOpen, beforeClose, afterClose) = (ulong.Parse(held[2], CultureInfo.InvariantCulture), ulong.Parse(held[3], CultureInfo.InvariantCulture), ulong.Parse(held[4], CultureInfo.InvariantCulture), ulong.Parse(held[5], CultureInfo.InvariantCulture));
        Assert.InRange(sample.LoadNs, beforeClose - afterOpen, afterClose - beforeOpen);
        Assert.InRange(sample.LoadNs, 100_000_000ul, 2_000_000_000ul);
        Assert.Equal(0ul, session.Fibre.ReadStats().Stale);
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void OutOfScopeProcesses_AreCountedAsFiltered()
    {
        using var child = WorkloadProcess.Start("burst", s_file, "200");
        using var session = DwellSession.Start(child.Pid + 1_000_000);
        child.Go();
        Assert.Equal("done 200", child.ReadLine());
        var stats = session.Fibre.ReadStats();
        Assert.True(stats.Seen >= 600, stats.ToString());
        Assert.Equal(0ul, stats.Samples);
        Assert.Equal(stats.Seen, stats.Filtered);
        Assert.True(stats.IsConsistent);
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void RestoredPrice_BeforeTheFirstSpan_IsKeptAndUpdated()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "300");
        using var session = DwellSession.Start(child.Pid, p => p with { BudgetFixed = p.ToFixed(0.1) });

        // A daemon restoring its checkpoint writes the price before the kernel saw the process.
        var restored = session.Parameters.ToFixed(1.5);
        session.Fibre.PriceMap!.Update(child.Pid, restored);
        child.Go();
        Assert.StartsWith("held ", child.ReadLine());
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Sample), TimeSpan.FromSeconds(10)));
        var sample = session.Events.Of(child.Pid, SigilEventKind.Sample).Single();
        Assert.Equal(FixedPoint.Apply(session.Parameters, restored, sample.LoadNs), sample.Price);
        Assert.True(session.Fibre.TryGetPrice(child.Pid, out var price));
        Assert.Equal(sample.Price, price);
        Assert.Equal(0, child.Finish());
    }
}
