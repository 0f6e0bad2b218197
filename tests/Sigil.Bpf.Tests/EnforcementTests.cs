using System;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>
/// Kills from the kernel: a sacrificial child that passes the kill price is SIGKILLed by the
/// dwell program only while armed, and never when it is allow-listed or the daemon.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class EnforcementTests
{
    private const int SigKillExitCode = 128 + 9;

    private static readonly string s_file = Path.Combine(Repository.Scratch("files"), "enforced.txt");

    [KernelFact]
    public void Armed_ChildPastTheKillPrice_IsKilledByTheKernel()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "400");
        using var session = Start(child.Pid);
        session.Fibre.Arm();
        Assert.Equal((uint)Environment.ProcessId, session.Fibre.ReadControl().DaemonTgid);

        child.Go();

        // SIGKILL lands as close returns: the child never reports its hold.
        Assert.Null(child.ReadLine());
        Assert.Equal(SigKillExitCode, child.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.Kill), TimeSpan.FromSeconds(5)));
        var kill = session.Events.Of(child.Pid, SigilEventKind.Kill).Single();
        Assert.True(kill.Price >= session.Parameters.ToFixed(0.5));
        Assert.Equal("workload", kill.CommandName);
        Assert.Equal(1ul, session.Fibre.ReadStats().Kills);
    }

    [KernelFact]
    public void Disarmed_ChildPastTheKillPrice_Survives_AndTheKillIsReported()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "400");
        using var session = Start(child.Pid);
        AssertSurvives(child, session);
    }

    [KernelFact]
    public void Armed_AllowListedChild_Survives()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "400");
        using var session = Start(child.Pid);
        session.Fibre.Allow(child.Pid);
        session.Fibre.Arm();
        AssertSurvives(child, session);
    }

    [KernelFact]
    public void Armed_TheDaemonItself_Survives()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "400");
        using var session = Start(child.Pid);
        session.Fibre.Arm(daemonTgid: child.Pid);
        AssertSurvives(child, session);
    }

    [KernelFact]
    public void ArmedWithoutADaemonTgid_IsNotArmed()
    {
        using var child = WorkloadProcess.Start("hold", s_file, "400");
        using var session = Start(child.Pid);
        var control = session.Fibre.ReadControl();
        control.Armed = 1;
        control.DaemonTgid = 0;
        session.Fibre.WriteControl(control);
        AssertSurvives(child, session);
    }

    [KernelFact]
    public void Armed_TheTestRunnerPastTheKillPrice_IsNeverSignalled()
    {
        var self = (uint)Environment.ProcessId;
        using var session = Start(self);
        session.Fibre.Arm();

        // This process holds a file past the kill price; it is the daemon, so it lives.
        using (File.Open(s_file, FileMode.OpenOrCreate, FileAccess.Read))
        {
            Thread.Sleep(400);
        }

        Assert.True(
            session.Events.PollUntil(e => e.Any(x => x.Tgid == self && x.EventKind == SigilEventKind.KillSuppressed), TimeSpan.FromSeconds(5)),
            $"no suppressed kill for the runner: {session.Fibre.ReadStats()}; events {string.Join(", ", session.Events.Events.Select(e => $"{e.EventKind} {e.Tgid} {e.LoadNs} {e.Price}"))}");
        Assert.Equal(0ul, session.Fibre.ReadStats().Kills);

        // The price passed the kill price (other threads' short spans pull it down again since).
        var suppressed = session.Events.Of(self, SigilEventKind.KillSuppressed).First();
        Assert.True(suppressed.Price >= session.Parameters.ToFixed(0.5));
        // Raised by a span held past the 0.1 s budget: the hold timer's charge while the file is
        // open, or a close (the runner's other threads hold files too).
        Assert.InRange(suppressed.LoadNs, 100_000_000ul, 2_000_000_000ul);
    }

    [Fact]
    public void Guard_NeverSignalsInitTheDaemonKernelThreadsOrTheAllowListed()
    {
        // sigil_guard.h, compiled for the host: every combination of the inputs that matter.
        var tgids = new uint[] { 0, 1, 2, 300, 301, uint.MaxValue };
        var cases = (from armed in new uint[] { 0, 1, 7 }
                     from daemon in new uint[] { 0, 1, 300 }
                     from tgid in tgids
                     from flags in new uint[] { 0, 0x00200000, 0x00000040, 0xffffffff }
                     from allow in new[] { 0, 1 }
                     select (armed, daemon, tgid, flags, allow)).ToList();
        var input = new byte[cases.Count * 20];
        for (var i = 0; i < cases.Count; i++)
        {
            var (armed, daemon, tgid, flags, allow) = cases[i];
            BitConverter.TryWriteBytes(input.AsSpan(i * 20), armed);
            BitConverter.TryWriteBytes(input.AsSpan((i * 20) + 4), daemon);
            BitConverter.TryWriteBytes(input.AsSpan((i * 20) + 8), tgid);
            BitConverter.TryWriteBytes(input.AsSpan((i * 20) + 12), flags);
            BitConverter.TryWriteBytes(input.AsSpan((i * 20) + 16), allow);
        }

        var output = NativeRun.Binary(NativeTools.FixedHarness, "guard", input);
        Assert.Equal(cases.Count * 4, output.Length);
        for (var i = 0; i < cases.Count; i++)
        {
            var (armed, daemon, tgid, flags, allow) = cases[i];
            var expected = armed != 0 && daemon != 0 && tgid > 1 && tgid != daemon && (flags & 0x00200000) == 0 && allow == 0;
            Assert.True(expected == (BitConverter.ToInt32(output, i * 4) != 0), $"armed {armed}, daemon {daemon}, tgid {tgid}, flags {flags:x}, allow {allow}");
            if (tgid <= 1)
            {
                Assert.Equal(0, BitConverter.ToInt32(output, i * 4));
            }
        }
    }

    private static void AssertSurvives(WorkloadProcess child, DwellSession session)
    {
        child.Go();
        Assert.StartsWith("held ", child.ReadLine());
        Assert.Equal("survived", child.ReadLine());
        Assert.True(session.Events.PollUntil(e => e.Any(x => x.Tgid == child.Pid && x.EventKind == SigilEventKind.KillSuppressed), TimeSpan.FromSeconds(5)), "no suppressed kill reported");
        var stats = session.Fibre.ReadStats();
        Assert.Equal(0ul, stats.Kills);
        Assert.Equal(1ul, stats.KillsSuppressed);
        Assert.Equal(0, child.Finish());
    }

    // Budget 0.1 s and a kill price of 0.5: a 0.4 s hold reaches 2.0 * (0.4 - 0.1) = 0.6.
    private static DwellSession Start(uint tgid)
    {
        var session = DwellSession.Start(tgid, p => p with { BudgetFixed = p.ToFixed(0.1) });
        session.Fibre.SetThresholds(throttlePrice: session.Parameters.ToFixed(0.25), killPrice: session.Parameters.ToFixed(0.5));
        return session;
    }
}
