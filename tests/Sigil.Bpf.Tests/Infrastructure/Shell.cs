using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>Runs a tool to completion and returns its exit code and output.</summary>
public static class Shell
{
    public static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    public static string RunChecked(string file, params string[] arguments)
    {
        var (code, output, error) = Run(file, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}:\n{output}\n{error}");
        }

        return output;
    }
}
