using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace Sigil.Benchmarks;

/// <summary>
/// The Python baselines in benchmarks/baselines/, run with Debian's python3 (where
/// python3-cvxopt and python3-numpy are installed; the python3 on PATH may be another one).
/// </summary>
internal static class PythonBaselines
{
    /// <summary>Debian's interpreter.</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Why the baselines cannot run here, or null when they can.</summary>
    public static string? Missing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is absent (eng/setup.sh installs python3-cvxopt and python3-numpy)";
        }

        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import cvxopt, numpy"]) { RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{Python} cannot import cvxopt and numpy (eng/setup.sh installs them)";
    }

    /// <summary>Runs benchmarks/baselines/<paramref name="script"/> and parses the JSON it prints.</summary>
    public static JsonElement Run(string script, params string[] arguments)
    {
        var path = Path.Combine(BenchmarkRepository.Root, "benchmarks", "baselines", script);
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {error.Result}");
        }

        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
