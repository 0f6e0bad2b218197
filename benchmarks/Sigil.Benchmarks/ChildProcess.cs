using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Sigil.Benchmarks;

/// <summary>Runs a tool the suites need (a compiler, dotnet, bpftool) to completion, or throws with its output.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="directory"/>
    /// (the current folder when null), with <paramref name="environment"/> added and the MSBUILD*
    /// variables of a <c>dotnet run</c> parent removed; throws when it exits non-zero.
    /// </summary>
    public static void RunChecked(string file, IEnumerable<string> arguments, string? directory = null, IEnumerable<(string Name, string Value)>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (directory is not null)
        {
            info.WorkingDirectory = directory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{stdout.Result}{stderr}");
        }
    }
}
