using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Sigil.Runtime.Proofs;

/// <summary>One run of coqc: exit code, output, and how long it took.</summary>
internal sealed record CoqcRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>What coqc printed, both streams, as one text (its errors go to either).</summary>
    public string Output => Stdout + (Stdout.EndsWith("\n", StringComparison.Ordinal) || Stdout.Length == 0 ? string.Empty : "\n") + Stderr;
}

/// <summary>The coqc executable: found on the PATH (or given), with its version.</summary>
internal sealed class Coqc
{
    private Coqc(string path, string version)
    {
        Path = path;
        Version = version;
    }

    public string Path { get; }

    /// <summary>e.g. <c>coqc 8.16.1</c>.</summary>
    public string Version { get; }

    /// <summary>coqc at <paramref name="path"/>, or on the PATH; null when there is none that runs.</summary>
    public static Coqc? Find(string? path)
    {
        var candidate = path ?? Search("coqc");
        if (candidate is null || !File.Exists(candidate))
        {
            return null;
        }

        try
        {
            var run = Run(candidate, new[] { "--version" }, Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(30));
            if (!run.Succeeded)
            {
                return null;
            }

            // "The Coq Proof Assistant, version 8.16.1"
            var line = run.Stdout.Split('\n').FirstOrDefault(static l => l.Contains("version", StringComparison.Ordinal)) ?? run.Stdout.Trim();
            var at = line.LastIndexOf("version ", StringComparison.Ordinal);
            var version = at >= 0 ? "coqc " + line[(at + "version ".Length)..].Trim() : line.Trim();
            return new Coqc(candidate, version);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public CoqcRun Run(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
        => Run(Path, arguments, workingDirectory, timeout);

    private static CoqcRun Run(string executable, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds));
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }

            process.WaitForExit();
        }

        Task.WaitAll(stdout, stderr);
        clock.Stop();
        return new CoqcRun(exited ? process.ExitCode : -1, stdout.Result, stderr.Result, clock.Elapsed, !exited);
    }

    private static string? Search(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var folder in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
