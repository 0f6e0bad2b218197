using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;

namespace Sigil.Daemon.Tests.Enforcement;

[Collection(Sequential.Name)]
public sealed class EnforcementTests
{
    private static string UniqueFibre() => "test" + Guid.NewGuid().ToString("N")[..10];

    private static CgroupCpu DetectCpu()
    {
        var cpu = CgroupCpu.Detect(out var problem);
        Assert.True(cpu is not null, "this machine has a cpu controller: " + problem);
        return cpu!;
    }

    [Fact]
    public void Detect_ThisMachine_FindsTheCpuController()
    {
        var cpu = DetectCpu();
        var unified = File.Exists("/sys/fs/cgroup/unified/cgroup.controllers") ? File.ReadAllText("/sys/fs/cgroup/unified/cgroup.controllers") : null;
        if (unified is not null && !unified.Split(' ', '\n').Contains("cpu"))
        {
            // Hybrid layout: v2 without cpu, so the v1 cpu hierarchy must be chosen.
            Assert.Equal(CgroupVersion.V1, cpu.Version);
            Assert.True(File.Exists(Path.Combine(cpu.MountPoint, "cpu.cfs_quota_us")));
        }
    }

    [Fact]
    public void Detect_FromMountInfo_PrefersV2WithCpu_ElseV1_ElseExplains()
    {
        using var dir = new TempDirectory();
        var v2 = Directory.CreateDirectory(dir.Combine("v2")).FullName;
        File.WriteAllText(Path.Combine(v2, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        var v2NoCpu = Directory.CreateDirectory(dir.Combine("v2 nocpu")).FullName;
        File.WriteAllText(Path.Combine(v2NoCpu, "cgroup.controllers"), "hugetlb\n");

        var both = dir.Combine("both");
        File.WriteAllLines(both, [
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            $"41 31 0:38 / {v2} rw,relatime - cgroup2 cgroup2 rw",
        ]);
        Assert.Equal(new CgroupCpu(CgroupVersion.V2, v2), CgroupCpu.Detect(out _, both));

        var hybrid = dir.Combine("hybrid");
        File.WriteAllLines(hybrid, [
            $"41 31 0:38 / {v2NoCpu.Replace(" ", "\\040")} rw,relatime - cgroup2 cgroup2 rw",
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct",
        ]);
        Assert.Equal(new CgroupCpu(CgroupVersion.V1, "/sys/fs/cgroup/cpu,cpuacct"), CgroupCpu.Detect(out _, hybrid));

        var none = dir.Combine("none");
        File.WriteAllLines(none, [
            $"41 31 0:38 / {v2NoCpu.Replace(" ", "\\040")} rw,relatime - cgroup2 cgroup2 rw",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        ]);
        Assert.Null(CgroupCpu.Detect(out var problem, none));
        Assert.Contains("no cgroup hierarchy has the cpu controller", problem);
        Assert.Contains("[hugetlb]", problem);
        Assert.Contains(v2NoCpu, problem);

        Assert.Null(CgroupCpu.Detect(out problem, dir.Combine("missing")));
        Assert.Contains("cannot read", problem);
    }

    [Fact]
    public void Throttle_BusyChild_CpuUsageDrops_AndReleaseRestoresItsCgroup()
    {
        var cpu = DetectCpu();
        using var throttler = new CpuThrottler(cpu, UniqueFibre(), 0.1);
        using var child = Sacrificial.BusyLoop();
        var origin = cpu.CgroupOf(child.Pid);
        var target = new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!;

        // Unthrottled, a spinning shell takes most of a CPU unless the machine is saturated by
        // others: measure again (up to three times) while it is not.
        var before = child.CpuShare(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 2 && before < 0.4; i++)
        {
            before = child.CpuShare(TimeSpan.FromSeconds(1));
        }

        throttler.Throttle(target);
        Assert.True(throttler.IsThrottled(child.Pid));
        var throttledBefore = ThrottledPeriods(throttler);
        Thread.Sleep(200);
        var after = child.CpuShare(TimeSpan.FromSeconds(1));

        Assert.True(after < 0.16, $"throttled to 10% of a CPU, the child used {after:P0} (before: {before:P0})");
        // The kernel's own count of throttled periods is the load-independent proof; the before/after
        // ratio is only meaningful when other processes left the child a real share before.
        Assert.True(ThrottledPeriods(throttler) > throttledBefore, "the kernel reports no throttled period in the cgroup");
        if (before >= 0.4)
        {
            Assert.True(before > 2 * after, $"before {before:P0}, after {after:P0}");
        }

        throttler.Release(target);
        Assert.False(throttler.IsThrottled(child.Pid));
        Assert.Equal(origin, cpu.CgroupOf(child.Pid));
    }

    private static long ThrottledPeriods(CpuThrottler throttler) =>
        File.ReadAllLines(Path.Combine(throttler.GroupPath, "cpu.stat"))
            .Select(l => l.Split(' '))
            .Where(f => f[0] == "nr_throttled")
            .Select(f => long.Parse(f[1]))
            .Single();

    [Fact]
    public void Throttler_Dispose_ReleasesEveryone_AndRemovesItsCgroups()
    {
        var cpu = DetectCpu();
        using var child = Sacrificial.Sleeper();
        var origin = cpu.CgroupOf(child.Pid);
        var throttler = new CpuThrottler(cpu, UniqueFibre(), 0.2);
        throttler.Throttle(new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!);
        Assert.True(Directory.Exists(throttler.GroupPath));
        if (cpu.Version == CgroupVersion.V1)
        {
            Assert.Equal("20000", File.ReadAllText(Path.Combine(throttler.GroupPath, "cpu.cfs_quota_us")).Trim());
            Assert.Equal("100000", File.ReadAllText(Path.Combine(throttler.GroupPath, "cpu.cfs_period_us")).Trim());
        }
        else
        {
            Assert.Equal("20000 100000", File.ReadAllText(Path.Combine(throttler.GroupPath, "cpu.max")).Trim());
        }

        throttler.Dispose();

        Assert.False(Directory.Exists(throttler.FibreGroup));
        Assert.Equal(origin, cpu.CgroupOf(child.Pid));
    }

    [Fact]
    public void Throttle_OnCgroupV2_HandsTheControllerDown_WritesCpuMax_AndReleasesToTheOrigin()
    {
        // This machine's cpu controller is on v1: the v2 protocol is checked on a tree of plain
        // files laid out like a cgroup2 mount, with the process's v2 path from a stand-in /proc.
        using var dir = new TempDirectory();
        var mount = Directory.CreateDirectory(dir.Combine("cgroup2")).FullName;
        File.WriteAllText(Path.Combine(mount, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        File.WriteAllText(Path.Combine(mount, "cgroup.subtree_control"), "memory\n");
        var origin = Directory.CreateDirectory(Path.Combine(mount, "user.slice", "session-3.scope")).FullName;
        using var child = Sacrificial.Sleeper();
        var proc = Directory.CreateDirectory(dir.Combine("proc", child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        File.WriteAllText(Path.Combine(proc, "cgroup"), "0::/user.slice/session-3.scope\n");
        var target = new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!;

        var cpu = new CgroupCpu(CgroupVersion.V2, mount);
        var throttler = new CpuThrottler(cpu, "dwell", 0.25, dir.Combine("proc"));
        throttler.Throttle(target);

        Assert.Equal("+cpu", File.ReadAllText(Path.Combine(mount, "cgroup.subtree_control")));
        Assert.Equal("+cpu", File.ReadAllText(Path.Combine(mount, "sigil", "cgroup.subtree_control")));
        Assert.Equal("+cpu", File.ReadAllText(Path.Combine(mount, "sigil", "dwell", "cgroup.subtree_control")));
        Assert.Equal("25000 100000", File.ReadAllText(Path.Combine(mount, "sigil", "dwell", "throttled", "cpu.max")));
        Assert.Equal(child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(throttler.GroupPath, "cgroup.procs")));
        Assert.False(File.Exists(Path.Combine(mount, "sigil", "dwell", "throttled", "cpu.cfs_quota_us")));

        throttler.Release(target);
        Assert.Equal(child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(origin, "cgroup.procs")));
    }

    [Fact]
    public void Throttled_ByADaemonKilledWithSigkill_IsReleasedToItsOwnCgroup_FromTheCheckpoint()
    {
        var cpu = DetectCpu();
        var fibre = UniqueFibre();
        var home = Path.Combine(cpu.MountPoint, "sigil-test-home-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(home);
        try
        {
            using (var child = Sacrificial.Sleeper())
            {
                File.WriteAllText(Path.Combine(home, "cgroup.procs"), child.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var homeRelative = "/" + Path.GetRelativePath(cpu.MountPoint, home);
                Assert.Equal(homeRelative, cpu.CgroupOf(child.Pid));

                // The first daemon throttles the child, checkpoints, and dies without cleaning up.
                var first = new CpuThrottler(cpu, fibre, 0.2);
                first.Throttle(new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!);
                Assert.True(first.IsThrottled(child.Pid));
                var checkpoint = Sigil.Runtime.State.CheckpointFormat.Encode(Sigil.Runtime.State.DaemonState.Empty(fibre) with { Throttled = first.Origins() });

                // The next one reads the checkpoint and releases the child where it came from.
                Assert.True(Sigil.Runtime.State.CheckpointFormat.TryDecode(checkpoint, out var state, out var problem), problem);
                using var second = new CpuThrottler(cpu, fibre, 0.2);
                Assert.Equal(1, second.Adopt(state!.Throttled!));
                Assert.Equal(1, second.ReleaseAll());
                Assert.Equal(homeRelative, cpu.CgroupOf(child.Pid));

                // A checkpointed origin of a process that is gone (or whose pid was reused) is not taken.
                Assert.Equal(0, second.Adopt([new Sigil.Runtime.State.ThrottleOrigin(child.Pid, 1, "/elsewhere")]));
            }
        }
        finally
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(home); attempt++)
            {
                try
                {
                    Directory.Delete(home);
                }
                catch (IOException)
                {
                    Thread.Sleep(100);
                }
            }
        }
    }

    [Fact]
    public void Throttle_AfterAnotherDaemonRemovedTheGroup_MakesItAgain()
    {
        var cpu = DetectCpu();
        var fibre = UniqueFibre();
        using var child = Sacrificial.Sleeper();
        var target = new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!;
        using var throttler = new CpuThrottler(cpu, fibre, 0.2);
        throttler.Prepare();

        // Another daemon of the same fibre stops and removes the empty group.
        new CpuThrottler(cpu, fibre, 0.2).Dispose();
        Assert.False(Directory.Exists(throttler.GroupPath));

        throttler.Throttle(target);
        Assert.True(throttler.IsThrottled(child.Pid));
    }

    [Fact]
    public async Task Kill_SleepingChild_EndsWithSigterm()
    {
        using var child = Sacrificial.Sleeper();
        var guard = new ProcessGuard(GuardPolicy.None);
        var outcome = await new ProcessKiller(guard).KillAsync(guard.Check(child.Pid).Target!, TimeSpan.FromSeconds(3));
        Assert.Equal(KillOutcome.Terminated, outcome);
        Assert.True(child.Process.WaitForExit(5000));
        Assert.Equal(128 + 15, child.Process.ExitCode);
    }

    [Fact]
    public async Task Kill_ChildIgnoringSigterm_GetsSigkillAfterTheGrace()
    {
        using var child = Sacrificial.Stubborn();
        var guard = new ProcessGuard(GuardPolicy.None);
        var started = DateTime.UtcNow;
        var outcome = await new ProcessKiller(guard).KillAsync(guard.Check(child.Pid).Target!, TimeSpan.FromMilliseconds(600));
        var took = DateTime.UtcNow - started;

        Assert.Equal(KillOutcome.Killed, outcome);
        Assert.True(took >= TimeSpan.FromMilliseconds(550), $"SIGKILL came after {took.TotalMilliseconds} ms, before the grace");
        Assert.True(child.Process.WaitForExit(5000));
        Assert.Equal(128 + 9, child.Process.ExitCode);
    }

    [Fact]
    public async Task Kill_ExitedProcess_IsAlreadyGone_AndAReusedPidIsNeverHit()
    {
        var guard = new ProcessGuard(GuardPolicy.None);
        ProcessTarget target;
        using (var child = Sacrificial.Sleeper())
        {
            target = guard.Check(child.Pid).Target!;
        }

        Assert.Equal(KillOutcome.AlreadyGone, await new ProcessKiller(guard).KillAsync(target, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Affinity_BusyChild_IsPinnedToOneCpu()
    {
        using var child = Sacrificial.BusyLoop();
        var target = new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!;
        Assert.True(AffinitySetter.Get(child.Pid).Count >= 1);
        new AffinitySetter().Apply(target, [0]);
        Assert.Equal([0], AffinitySetter.Get(child.Pid));
        Assert.Contains("Cpus_allowed_list:\t0", File.ReadAllText($"/proc/{child.Pid}/status"));
    }

    [Fact]
    public async Task Enforcer_Unarmed_OnlyReports_AndArmed_Acts()
    {
        var cpu = DetectCpu();
        using var throttler = new CpuThrottler(cpu, UniqueFibre(), 0.2);
        using var child = Sacrificial.Sleeper();
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler);

        Assert.False(enforcer.Armed);
        var dry = await enforcer.ApplyAsync(new ActionRequest(ActionKind.Throttle, child.Pid, "price 6 >= 5"));
        Assert.Equal(ActionStatus.WouldApply, dry.Status);
        Assert.False(throttler.IsThrottled(child.Pid));
        var dryKill = await enforcer.ApplyAsync(new ActionRequest(ActionKind.Kill, child.Pid, "price 16 >= 15"));
        Assert.Equal(ActionStatus.WouldApply, dryKill.Status);
        Assert.False(child.Process.HasExited);

        enforcer.Arm();
        Assert.Equal(ActionStatus.Applied, (await enforcer.ApplyAsync(new ActionRequest(ActionKind.Throttle, child.Pid, "price 6 >= 5"))).Status);
        Assert.True(throttler.IsThrottled(child.Pid));
        Assert.Equal(ActionStatus.Applied, (await enforcer.ApplyAsync(new ActionRequest(ActionKind.Release, child.Pid, "price 1 < 5"))).Status);
        Assert.False(throttler.IsThrottled(child.Pid));
        Assert.Equal(ActionStatus.Applied, (await enforcer.ApplyAsync(new ActionRequest(ActionKind.Kill, child.Pid, "price 16 >= 15"))).Status);
        Assert.True(child.Process.WaitForExit(5000));
    }

    [Theory]
    [InlineData(1, RefusalReason.Init)]
    [InlineData(2, RefusalReason.KernelThread)]
    public async Task Enforcer_Armed_RefusesProtectedProcesses_ForEveryAction(int pid, RefusalReason reason)
    {
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        enforcer.Arm();
        foreach (var kind in Enum.GetValues<ActionKind>())
        {
            var result = await enforcer.ApplyAsync(new ActionRequest(kind, pid, "test", [0]));
            Assert.Equal(ActionStatus.Refused, result.Status);
            Assert.Equal(reason, result.Refusal);
        }

        var self = await enforcer.ApplyAsync(new ActionRequest(ActionKind.Kill, Environment.ProcessId, "test"));
        Assert.Equal(RefusalReason.Self, self.Refusal);
    }

    [Fact]
    public async Task Enforcer_ArmedWithoutCpuController_ThrottleFails_Clearly()
    {
        using var child = Sacrificial.Sleeper();
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        enforcer.Arm();
        var result = await enforcer.ApplyAsync(new ActionRequest(ActionKind.Throttle, child.Pid, "test"));
        Assert.Equal(ActionStatus.Failed, result.Status);
        Assert.Contains("no cgroup cpu controller", result.Detail);
    }
}
