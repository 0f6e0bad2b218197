using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>
/// A Native/workload child: started, it reports its pid and waits, so a test can scope the
/// kernel programs to it before it does anything; then <see cref="Go"/> lets it run.
/// </summary>
public sealed class WorkloadProcess : IDisposable
{
    private readonly Process _process;

    private WorkloadProcess(Process process, uint pid)
    {
        _process = process;
        Pid = pid;
    }

    /// <summary>The child's pid (its tgid).</summary>
    public uint Pid { get; }

    /// <summary>Starts <c>workload &lt;arguments&gt;</c> and waits for its "ready" line.</summary>
    public static WorkloadProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(NativeTools.Workload)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the workload");
        var ready = ReadLine(process, TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("the workload exited before it was ready");
        var parts = ready.Split(' ');
        if (parts.Length != 2 || parts[0] != "ready")
        {
            throw new InvalidOperationException($"unexpected workload line '{ready}'");
        }

        return new WorkloadProcess(process, uint.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Lets the child run.</summary>
    public void Go()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
    }

    /// <summary>The child's next output line, or null when it ended (or was killed).</summary>
    public string? ReadLine(TimeSpan? timeout = null) => ReadLine(_process, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Lets the child exit and waits for it; returns its exit code (128 + signal when killed).</summary>
    public int Finish()
    {
        try
        {
            _process.StandardInput.WriteLine("end");
            _process.StandardInput.Flush();
        }
        catch (System.IO.IOException)
        {
            // It has exited already (killed): the pipe is closed.
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
            throw new TimeoutException("the workload did not exit");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits for the child to end on its own; returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException("the workload did not exit");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static string? ReadLine(Process process, TimeSpan timeout)
    {
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(timeout))
        {
            throw new TimeoutException("the workload said nothing in time");
        }

        return line.Result;
    }
}
