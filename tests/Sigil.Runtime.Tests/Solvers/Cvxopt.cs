using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using Sigil.Benchmarks.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>Runs the independent CVXOPT solver (benchmarks/baselines/num_cvxopt.py) on an instance.</summary>
internal static class Cvxopt
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> s_missing = new(FindMissing);

    /// <summary>Why CVXOPT cannot run here, or null when it can.</summary>
    public static string? Missing => s_missing.Value;

    public static string RepositoryRoot() => Sigil.Tests.Shared.Metabolism.CobraModels.RepositoryRoot();

    /// <summary>Solves to tight tolerances and returns the optimal objective of the maximisation.</summary>
    public static double Objective(NumInstance instance)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sigil-num-{Guid.NewGuid():N}.txt");
        try
        {
            instance.Write(path);
            string script = Path.Combine(RepositoryRoot(), "benchmarks", "baselines", "num_cvxopt.py");
            (int code, string output, string error) = Run(script, path, "--reltol", "1e-9", "--abstol", "1e-10", "--feastol", "1e-7");
            Assert.True(code == 0, $"num_cvxopt.py failed ({code}): {error}");
            using JsonDocument json = JsonDocument.Parse(output);
            JsonElement root = json.RootElement;
            string status = root.GetProperty("status").GetString()!;
            double gap = root.GetProperty("gap").GetDouble();

            // CVXOPT may stop short of these tolerances at its precision floor ("unknown"); its
            // objective is still accurate when the gap it reached is tiny.
            Assert.True(status == "optimal" || gap < 1e-7, $"CVXOPT did not solve the instance: {output}");
            return root.GetProperty("objective").GetDouble();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Solves many instances in one Python process; per instance its optimal objective, or null
    /// when CVXOPT did not reach its tolerances (an infeasible instance, say).
    /// </summary>
    public static double?[] Objectives(IReadOnlyList<NumInstance> instances)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sigil-num-batch-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var paths = new List<string>();
            for (int i = 0; i < instances.Count; i++)
            {
                string path = Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture) + ".txt");
                instances[i].Write(path);
                paths.Add(path);
            }

            string listing = Path.Combine(folder, "list");
            File.WriteAllLines(listing, paths);
            string script = Path.Combine(RepositoryRoot(), "benchmarks", "baselines", "num_cvxopt.py");
            (int code, string output, string error) = Run(script, "--batch", listing, "--reltol", "1e-9", "--abstol", "1e-10", "--feastol", "1e-8");
            Assert.True(code == 0, $"num_cvxopt.py failed ({code}): {error}");
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(instances.Count, lines.Length);
            var objectives = new double?[lines.Length];
            for (int i = 0; i < lines.Length; i++)
            {
                using JsonDocument json = JsonDocument.Parse(lines[i]);
                JsonElement root = json.RootElement;
                bool solved = root.GetProperty("status").GetString() == "optimal"
                    || (root.TryGetProperty("gap", out JsonElement gap) && gap.ValueKind == JsonValueKind.Number && gap.GetDouble() < 1e-8);
                objectives[i] = solved && root.GetProperty("objective").ValueKind == JsonValueKind.Number
                    ? root.GetProperty("objective").GetDouble()
                    : null;
            }

            return objectives;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim(), error.Result);
    }

    private static string? FindMissing()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is absent (eng/setup.sh installs python3-cvxopt)";
        }

        try
        {
            (int code, _, string error) = Run("-c", "import cvxopt, numpy");
            return code == 0 ? null : $"{Python} cannot import cvxopt and numpy (eng/setup.sh installs python3-cvxopt): {error.Trim()}";
        }
        catch (Exception e)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Python} did not run: {e.Message}");
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when CVXOPT is not installed.</summary>
internal sealed class CvxoptFactAttribute : FactAttribute
{
    public CvxoptFactAttribute()
    {
        if (Cvxopt.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
