using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;

namespace Sigil.Daemon.Tests.Enforcement;

public sealed class ProcessGuardTests
{
    private readonly ProcessGuard _guard = new(GuardPolicy.None);

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Check_Init_IsRefused(int pid) => Assert.Equal(RefusalReason.Init, _guard.Check(pid).Reason);

    [Fact]
    public void Check_Self_IsRefused() => Assert.Equal(RefusalReason.Self, _guard.Check(Environment.ProcessId).Reason);

    [Fact]
    public void Check_ThreadOfSelf_IsRefused()
    {
        var tid = Directory.GetDirectories("/proc/self/task").Select(d => int.Parse(Path.GetFileName(d))).First(t => t != Environment.ProcessId);
        Assert.Equal(RefusalReason.Self, _guard.Check(tid).Reason);
    }

    [Fact]
    public void Check_Kthreadd_IsRefusedAsKernelThread()
    {
        var stat = ProcStat.TryRead(2);
        Assert.NotNull(stat);
        Assert.Equal("kthreadd", stat.Comm);
        Assert.True(stat.IsKernelThread);
        var verdict = _guard.Check(2);
        Assert.Equal(RefusalReason.KernelThread, verdict.Reason);
        Assert.Null(verdict.Target);
    }

    [Fact]
    public void Check_EveryKernelThread_IsRefused()
    {
        var kernelThreads = Directory.GetDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 2 && ProcStat.TryRead(pid) is { IsKernelThread: true })
            .ToList();
        Assert.NotEmpty(kernelThreads);
        Assert.All(kernelThreads, pid => Assert.Equal(RefusalReason.KernelThread, _guard.Check(pid).Reason));
    }

    [Fact]
    public void Check_AllowListedCommOrPid_IsRefused()
    {
        using var child = Sacrificial.Sleeper();
        Assert.True(_guard.Check(child.Pid).IsAllowed);
        Assert.Equal(RefusalReason.AllowListed, new ProcessGuard(GuardPolicy.From([], ["sleep"])).Check(child.Pid).Reason);
        Assert.Equal(RefusalReason.AllowListed, new ProcessGuard(GuardPolicy.From([child.Pid], [])).Check(child.Pid).Reason);
    }

    [Fact]
    public void Check_MissingProcess_IsRefused() => Assert.Equal(RefusalReason.NotFound, _guard.Check(int.MaxValue).Reason);

    [Fact]
    public void Check_OrdinaryChild_IsAllowed_WithItsIdentity()
    {
        using var child = Sacrificial.Sleeper();
        var verdict = _guard.Check(child.Pid);
        Assert.True(verdict.IsAllowed, verdict.Detail);
        Assert.Equal(child.Pid, verdict.Target!.Tgid);
        Assert.Equal("sleep", verdict.Target.Comm);
        Assert.Equal(ProcStat.TryRead(child.Pid)!.StartTime, verdict.Target.StartTime);
        Assert.True(_guard.IsSameProcess(verdict.Target));
    }

    [Fact]
    public void ProcStat_Parses_CommWithSpacesAndParentheses()
    {
        var stat = ProcStat.TryParse("1234 (a) b (c)) S 1 1234 1234 0 -1 4194560 10 0 0 0 7 3 0 0 20 0 1 0 98765 1000 100 18446744073709551615");
        Assert.NotNull(stat);
        Assert.Equal("a) b (c)", stat.Comm);
        Assert.Equal('S', stat.State);
        Assert.Equal(10UL, stat.CpuTicks);
        Assert.Equal(98765UL, stat.StartTime);
        Assert.Null(ProcStat.TryParse("garbage"));
    }
}
