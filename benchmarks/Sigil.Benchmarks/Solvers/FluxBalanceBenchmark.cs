using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Runtime.Metabolism;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Solvers;

/// <summary>
/// The <c>fluxbalance</c> suite: E. coli core (Debian's python3-cobra) solved by the QP engine to 1e-6 of
/// GLPK's optimum, against GLPK's simplex (glpsol, Debian's glpk-utils) on the same LP in the same run;
/// then the warm re-solve after a 1% change in the ATP maintenance bound against a cold solve.
/// </summary>
/// <remarks>
/// glpsol is timed as a process (start, read the LP file, solve, write): the figure a caller of the
/// command pays; its own "Time used" line is printed beside it.
/// </remarks>
internal static class FluxBalanceBenchmark
{
    private const string Model = "/usr/lib/python3/dist-packages/cobra/data/textbook.xml.gz";
    private const string Glpsol = "/usr/bin/glpsol";

    public static int Run(string[] args)
    {
        if (!File.Exists(Model) || !File.Exists(Glpsol))
        {
            Console.WriteLine($"fluxbalance: needs {Model} (python3-cobra) and {Glpsol} (glpk-utils); eng/setup.sh installs both");
            return 1;
        }

        MetabolicModel model = MetabolicModel.ReadSbml(Model);
        string folder = Path.Combine(Path.GetTempPath(), $"sigil-bench-fba-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            string lp = Path.Combine(folder, "ecoli.lp");
            model.WriteCplexLp(lp);
            (double glpk, string glpkOwn) = RunGlpsol(lp, folder);
            double glpkSeconds = Median(15, () => RunGlpsol(lp, folder));

            NumProblem<LinearAgents> problem = model.ToProblem();
            var options = new QpOptions();
            SolverResult cold = new QpSolver<LinearAgents>(problem, options).Solve();
            double coldSeconds = Median(15, () => new QpSolver<LinearAgents>(problem, options).Solve());
            var reused = new QpSolver<LinearAgents>(problem, options);
            double solveOnlySeconds = Median(15, () => reused.Solve());

            // Warm re-solve after ATPM + 1%, against a cold solve of the changed problem.
            int atpm = model.ReactionIndex("R_ATPM");
            double baseline = model.Lower[atpm];
            var warmTimes = new List<double>();
            var coldTimes = new List<double>();
            SolverResult warm = cold, changedCold = cold;
            for (int rep = 0; rep < 15; rep++)
            {
                model.Lower[atpm] = baseline;
                var solver = new QpSolver<LinearAgents>(problem, options);
                solver.Solve();
                model.Lower[atpm] = baseline * 1.01;
                long t0 = Stopwatch.GetTimestamp();
                solver.Update();
                warm = solver.SolveWarm();
                warmTimes.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
                var fresh = new QpSolver<LinearAgents>(problem, options);
                t0 = Stopwatch.GetTimestamp();
                changedCold = fresh.Solve();
                coldTimes.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }

            model.Lower[atpm] = baseline;
            Console.WriteLine($"E. coli core: {model.Reactions.Count} reactions x {model.Metabolites.Count} metabolites, {model.EntryValue.Count} nonzeros; GLPK optimum {glpk:R} ({glpkOwn})");
            var table = new List<string[]>
            {
                new[] { "solve", "status", "objective", "rel. error vs GLPK", "iterations", "median ms" },
                new[] { "GLPK simplex (glpsol process)", "optimal", glpk.ToString("R", CultureInfo.InvariantCulture), "0", "-", Ms(glpkSeconds) },
                new[] { "Sigil QP, cold (build + solve)", cold.Status.ToString(), cold.PrimalObjective.ToString("R", CultureInfo.InvariantCulture), Rel(cold.PrimalObjective, glpk), cold.Iterations.ToString(CultureInfo.InvariantCulture), Ms(coldSeconds) },
                new[] { "Sigil QP, cold (solve only)", cold.Status.ToString(), cold.PrimalObjective.ToString("R", CultureInfo.InvariantCulture), Rel(cold.PrimalObjective, glpk), cold.Iterations.ToString(CultureInfo.InvariantCulture), Ms(solveOnlySeconds) },
                new[] { "ATPM +1%: Sigil QP cold", changedCold.Status.ToString(), changedCold.PrimalObjective.ToString("R", CultureInfo.InvariantCulture), "-", changedCold.Iterations.ToString(CultureInfo.InvariantCulture), Ms(Statistics.Median(coldTimes)) },
                new[] { "ATPM +1%: Sigil QP warm", warm.Status.ToString(), warm.PrimalObjective.ToString("R", CultureInfo.InvariantCulture), Rel(warm.PrimalObjective, changedCold.PrimalObjective) + " vs cold", warm.Iterations.ToString(CultureInfo.InvariantCulture), Ms(Statistics.Median(warmTimes)) },
            };
            Print(table);
            Console.WriteLine($"Sigil QP cold / GLPK process: {coldSeconds / glpkSeconds:F1}x (target: within 10x); warm / cold re-solve: {Statistics.Median(warmTimes) / Statistics.Median(coldTimes):F2}x");
            return cold.Status == SolveStatus.Solved && Math.Abs(cold.PrimalObjective - glpk) <= 1e-6 * glpk ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (double Objective, string Own) RunGlpsol(string lp, string folder)
    {
        string output = Path.Combine(folder, "out.txt");
        var start = new ProcessStartInfo(Glpsol) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--lp", lp, "-o", output })
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        string log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string value = File.ReadAllLines(output).First(l => l.StartsWith("Objective:", StringComparison.Ordinal)).Split('=')[1].Trim().Split(' ')[0];
        string own = log.Split('\n').FirstOrDefault(l => l.StartsWith("Time used:", StringComparison.Ordinal))?.Trim() ?? "";
        return (double.Parse(value, CultureInfo.InvariantCulture), "glpsol: " + own);
    }

    private static double Median(int count, Action action)
    {
        action();
        var times = new List<double>();
        for (int i = 0; i < count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        return Statistics.Median(times);
    }

    private static double Median(int count, Func<(double, string)> action) => Median(count, () => { action(); });

    private static string Ms(double seconds) => (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture);

    private static string Rel(double value, double reference) => (Math.Abs(value - reference) / Math.Abs(reference)).ToString("E2", CultureInfo.InvariantCulture);

    private static void Print(List<string[]> table)
    {
        int[] width = Enumerable.Range(0, table[0].Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in table)
        {
            Console.WriteLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(width[c]) : cell.PadLeft(width[c]))));
        }
    }
}
