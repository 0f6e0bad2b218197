using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using Sigil.Runtime.Workloads;

namespace Sigil.Cli;

/// <summary>A workload started as a child process of this command (<c>sigil workload ...</c>).</summary>
internal sealed class WorkloadProcess : IDisposable
{
    private WorkloadProcess(string name, Process process)
    {
        Name = name;
        Process = process;
    }

    public string Name { get; }

    public Process Process { get; }

    public int Pid => Process.Id;

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => Process.HasExited;

    /// <summary>Starts <c>sigil workload &lt;arguments&gt;</c> with the same executable as this process.</summary>
    public static WorkloadProcess Start(string name, params string[] arguments)
    {
        var self = Environment.ProcessPath ?? throw new CliException(CliExitCodes.Environment, "cannot find this program's executable");
        var info = new ProcessStartInfo(self) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        WorkloadEnvironment.Apply(info.Environment);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(WorkloadProcess).Assembly.Location);
        }

        info.ArgumentList.Add("workload");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new CliException(CliExitCodes.Environment, $"cannot start the {name} workload");
        var workload = new WorkloadProcess(name, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                workload.Output.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                workload.Output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return workload;
    }

    /// <summary>The exit description: the signal that ended it, or its exit code.</summary>
    public string ExitDescription()
    {
        if (!Process.HasExited)
        {
            return "running";
        }

        var code = Process.ExitCode;
        return code > 128 ? $"ended by signal {code - 128} ({(code - 128 == 9 ? "SIGKILL" : code - 128 == 15 ? "SIGTERM" : "signal")})" : $"exited with code {code}";
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
