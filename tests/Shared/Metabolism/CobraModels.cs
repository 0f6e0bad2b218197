using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Sigil.Runtime.Metabolism;

namespace Sigil.Tests.Shared.Metabolism;

/// <summary>The metabolic models Debian's python3-cobra ships, and their known optima.</summary>
public static class CobraModels
{
    public const string Data = "/usr/lib/python3/dist-packages/cobra/data";

    /// <summary>E. coli core, COBRApy's textbook model (SBML level 3, fbc 2, gzip).</summary>
    public const string EcoliCore = Data + "/textbook.xml.gz";

    /// <summary>COBRApy's (and GLPK's) optimum of E. coli core.</summary>
    public const double EcoliCoreOptimum = 0.8739215070;

    /// <summary>The repository's root (the folder holding Sigil.sln), above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sigil.sln not found above the test binaries.");
    }
}

/// <summary>GLPK's simplex (glpsol, Debian's glpk-utils) on a model written as a CPLEX LP file.</summary>
public static class Glpk
{
    public const string Glpsol = "/usr/bin/glpsol";

    /// <summary>GLPK's status (<c>OPTIMAL</c>, <c>INFEASIBLE (FINAL)</c>, ...) and objective.</summary>
    public static (string Status, double Objective) Solve(MetabolicModel model)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"sigil-glpk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string lp = Path.Combine(folder, "model.lp");
            model.WriteCplexLp(lp);
            var start = new ProcessStartInfo(Glpsol) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "--lp", lp, "-o", Path.Combine(folder, "out.txt") })
            {
                start.ArgumentList.Add(a);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
            string[] lines = File.ReadAllLines(Path.Combine(folder, "out.txt"));
            string status = lines.First(l => l.StartsWith("Status:", StringComparison.Ordinal))["Status:".Length..].Trim();
            string value = lines.First(l => l.StartsWith("Objective:", StringComparison.Ordinal)).Split('=')[1].Trim().Split(' ')[0];
            return (status, double.Parse(value, CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>
/// CVXOPT's QP solver on a flux-balance problem read from the SBML file by Python's standard library
/// (benchmarks/baselines/fba_cvxopt.py), not by Sigil: the independent check of the metabolic fibres.
/// </summary>
public static class FbaCvxopt
{
    /// <summary>
    /// Solves <c>max c'v + sum (w v_r - k/2 v_r^2)</c> over the model's fluxes, with <paramref name="fixes"/>
    /// (reaction = value) and <paramref name="benefits"/> (reaction = (w, k)); returns CVXOPT's status,
    /// objective and every reaction's flux by id.
    /// </summary>
    public static (string Status, double Objective, IReadOnlyDictionary<string, double> Flux) Solve(
        string model, IEnumerable<(string Reaction, double Value)> fixes, IEnumerable<(string Reaction, double W, double K)> benefits)
    {
        string script = Path.Combine(CobraModels.RepositoryRoot(), "benchmarks", "baselines", "fba_cvxopt.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(model);
        foreach (var (reaction, value) in fixes)
        {
            start.ArgumentList.Add("--fix");
            start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{reaction}={value:R}"));
        }

        foreach (var (reaction, w, k) in benefits)
        {
            start.ArgumentList.Add("--benefit");
            start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{reaction}={w:R},{k:R}"));
        }

        using Process python = Process.Start(start)!;
        string output = python.StandardOutput.ReadToEnd();
        string error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"fba_cvxopt.py failed: {error}");
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        var flux = root.GetProperty("flux").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
        return (root.GetProperty("status").GetString()!, root.GetProperty("objective").GetDouble(), flux);
    }
}

/// <summary>A fact that is skipped, with the reason, when the python3-cobra models or glpsol are not installed (eng/setup.sh installs both).</summary>
public sealed class ModelFactAttribute : FactAttribute
{
    public ModelFactAttribute()
    {
        if (!File.Exists(CobraModels.EcoliCore))
        {
            Skip = $"{CobraModels.EcoliCore} is absent (eng/setup.sh installs python3-cobra)";
        }
        else if (!File.Exists(Glpk.Glpsol))
        {
            Skip = $"{Glpk.Glpsol} is absent (eng/setup.sh installs glpk-utils)";
        }
    }
}

/// <summary>
/// The problem fibres/atp.sigil states, handed to CVXOPT independently: E. coli core with R_ATPM
/// fixed at 8.39 and a benefit w m - k/2 m^2 (atp.edits.csv) on each edit's exchange reaction.
/// </summary>
public static class AtpReference
{
    /// <summary>The fibre's edits and the real reaction each one drives (its inline table 'secretes').</summary>
    public static readonly (string Edit, string Reaction)[] Edits =
    {
        ("acetate", "R_EX_ac_e"), ("ethanol", "R_EX_etoh_e"), ("lactate", "R_EX_lac__D_e"), ("succinate", "R_EX_succ_e"), ("formate", "R_EX_for_e"),
    };

    /// <summary>CVXOPT's answer to the fibre's QP, the benefits read from fibres/atp.edits.csv.</summary>
    public static (string Status, double Objective, IReadOnlyDictionary<string, double> Flux) Cvxopt()
    {
        var table = File.ReadAllLines(Path.Combine(CobraModels.RepositoryRoot(), "fibres", "atp.edits.csv")).Skip(1)
            .Select(static l => l.Split(','))
            .ToDictionary(static f => f[0], static f => (W: double.Parse(f[1], CultureInfo.InvariantCulture), K: double.Parse(f[2], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        Assert.Equal(Edits.Select(static e => e.Edit).Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        var result = FbaCvxopt.Solve(CobraModels.EcoliCore, [("R_ATPM", 8.39)], Edits.Select(e => (e.Reaction, table[e.Edit].W, table[e.Edit].K)));
        Assert.Equal("optimal", result.Status);
        return result;
    }
}
