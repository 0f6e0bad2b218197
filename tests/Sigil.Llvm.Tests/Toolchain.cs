using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Sigil.Llvm.Tests;

/// <summary>What a finished process left: exit code, output and how long it ran.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>The machine's tools, the repository's paths, and a process runner for the tests.</summary>
internal static class Toolchain
{
    public const string Clang = "clang-14";
    public const string Clangxx = "clang++-14";
    public const string Opt = "opt-14";
    public const string FileCheck = "FileCheck-14";
    public const string ClangFormat = "clang-format-14";
    public const string Bpftool = "bpftool";

    private static readonly Lazy<string> s_repoRoot = new(FindRepoRoot);

    /// <summary>The repository's root: the folder holding Sigil.sln.</summary>
    public static string RepoRoot => s_repoRoot.Value;

    public static string CopySample => Path.Combine(RepoRoot, "samples", "llvm", "copy.c");

    public static string TargetsFile => Path.Combine(RepoRoot, "eng", "llvm.targets");

    public static string ChecksFolder => Path.Combine(RepoRoot, "tests", "Sigil.Llvm.Tests", "Checks");

    /// <summary>True when this process runs as root (pinning BPF maps needs it).</summary>
    public static bool IsRoot => geteuid() == 0;

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; never throws for a nonzero exit.</summary>
    public static ProcessResult Run(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        using var process = Start(file, arguments, workingDirectory, environment, redirectInput: false);
        return Finish(process, Stopwatch.StartNew(), timeout ?? TimeSpan.FromMinutes(5));
    }

    /// <summary>Starts a process with its output captured (and its input, when asked).</summary>
    public static Process Start(
        string file,
        IEnumerable<string> arguments,
        string? workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        bool redirectInput)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // A nested MSBuild must not inherit the test host's MSBuild settings.
        foreach (var key in new List<string>(EnvironmentKeys(info)))
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key == "MSBuildExtensionsPath" || key == "MSBuildSDKsPath")
            {
                info.Environment.Remove(key);
            }
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info };
        process.Start();
        return process;
    }

    /// <summary>Waits for <paramref name="process"/> (killing it after <paramref name="timeout"/>) and collects its output.</summary>
    public static ProcessResult Finish(Process process, Stopwatch clock, TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} ran longer than {timeout}.");
        }

        process.WaitForExit();
        var elapsed = clock.Elapsed;
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, elapsed);
    }

    /// <summary>Runs and asserts a zero exit.</summary>
    public static ProcessResult RunChecked(string file, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Run(file, arguments, workingDirectory, environment);
        Assert.True(result.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed: {result}");
        return result;
    }

    /// <summary>A fresh folder under the temporary folder.</summary>
    public static string NewTemporaryFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sigil-llvm-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A file of <paramref name="size"/> pseudo-random bytes (seeded: the same every run).</summary>
    public static string RandomFile(string folder, string name, int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static IEnumerable<string> EnvironmentKeys(ProcessStartInfo info)
    {
        foreach (var key in info.Environment.Keys)
        {
            yield return key;
        }
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sigil.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Sigil.sln was not found above " + AppContext.BaseDirectory);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();
}
