using System.Diagnostics;
using Sigil.Runtime.Enforcement;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>A child process the enforcement tests may throttle, pin and kill; killed on dispose.</summary>
internal sealed class Sacrificial : IDisposable
{
    private Sacrificial(Process process) => Process = process;

    public Process Process { get; }

    public int Pid => Process.Id;

    /// <summary>A shell spinning on one CPU.</summary>
    public static Sacrificial BusyLoop() => Start("/bin/sh", "-c", "while :; do :; done");

    /// <summary>A sleep that SIGTERM ends.</summary>
    public static Sacrificial Sleeper() => Start("/bin/sleep", "300");

    /// <summary>A shell that ignores SIGTERM (returned once the trap is set).</summary>
    public static Sacrificial Stubborn()
    {
        var child = Start("/bin/sh", ["-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"], redirect: true);
        Assert.Equal("ready", child.Process.StandardOutput.ReadLine());
        return child;
    }

    private static Sacrificial Start(string file, params string[] args) => Start(file, args, redirect: false);

    private static Sacrificial Start(string file, string[] args, bool redirect)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = redirect };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        // Wait until the child has exec'd (its comm is no longer the runtime's).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && ProcStat.TryRead(process.Id)?.Comm != Path.GetFileName(file))
        {
            Thread.Sleep(10);
        }

        return new Sacrificial(process);
    }

    /// <summary>CPU seconds per second the child used over <paramref name="window"/>, from /proc/&lt;pid&gt;/stat.</summary>
    public double CpuShare(TimeSpan window)
    {
        var before = ProcStat.TryRead(Pid) ?? throw new InvalidOperationException("the child exited");
        var clock = Stopwatch.StartNew();
        Thread.Sleep(window);
        var after = ProcStat.TryRead(Pid) ?? throw new InvalidOperationException("the child exited");
        var ticksPerSecond = 100.0; // USER_HZ, getconf CLK_TCK
        return (after.CpuTicks - before.CpuTicks) / ticksPerSecond / clock.Elapsed.TotalSeconds;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }
}
