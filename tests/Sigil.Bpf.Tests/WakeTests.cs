using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>
/// The wake ring: it becomes readable when the kernel makes a decision (here a throttle crossing),
/// and not for plain samples, so a daemon can sleep through a busy host and still act at once.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class WakeTests
{
    private static readonly string s_file = Path.Combine(Repository.Scratch("files"), "wake.txt");

    [KernelFact]
    public void WakeRing_ReadableOnADecision_NotOnSamples()
    {
        using var burst = WorkloadProcess.Start("burst", s_file, 500.ToString(CultureInfo.InvariantCulture));
        using var holder = WorkloadProcess.Start("hold", s_file, "300");

        // Budget 0.1 s, throttle at 0.25 (kill out of reach): a 0.3 s hold reaches 2.0 * 0.2 = 0.4.
        using var session = DwellSession.Start(burst.Pid, p => p with { BudgetFixed = p.ToFixed(0.1) });
        session.Fibre.Scope([burst.Pid, holder.Pid]);
        session.Fibre.SetThresholds(throttlePrice: session.Parameters.ToFixed(0.25), killPrice: session.Parameters.ToFixed(1000));
        using var wake = session.Fibre.OpenWake();
        Assert.NotNull(wake);

        // 500 short opens and closes: samples, no decision; the wake ring stays empty.
        burst.Go();
        Assert.Equal("done 500", burst.ReadLine());
        Assert.True(session.Events.PollUntil(e => e.Count(x => x.Tgid == burst.Pid) >= 500, TimeSpan.FromSeconds(5)), "the burst's samples did not arrive");
        Assert.Equal(0, wake!.Poll(300));

        // One long hold crosses the throttle price: the wake ring is readable at once.
        holder.Go();
        Assert.StartsWith("held ", holder.ReadLine());
        Assert.True(wake.Poll(5000) > 0, "no wake-up after the throttle crossing");
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == holder.Pid && x.EventKind == Sigil.Runtime.Bpf.SigilEventKind.Throttle), TimeSpan.FromSeconds(5)));
        Assert.Equal(0, wake.Poll(0));
        Assert.Equal("survived", holder.ReadLine());
        Assert.Equal(0, burst.Finish());
        Assert.Equal(0, holder.Finish());
    }
}
