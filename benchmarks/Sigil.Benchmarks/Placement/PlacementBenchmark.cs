using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Placement;

/// <summary>
/// The <c>placement</c> suite: what one placement period costs the daemon. For the cache fibre's
/// numbers (2 domains, LLC and CPU rows, a row per thread) and an 8-domain variant, over n threads:
/// the cold solve, the daemon's warm solve (the previous period's prices, with a tenth of the
/// threads new), their share of the 1 s period, and CVXOPT (a generic interior-point solver with a
/// structure-exploiting KKT solver, benchmarks/baselines/num_cvxopt.py) on the same instance in the
/// same run, with the objectives compared.
/// </summary>
/// <remarks>
/// A Stopwatch harness (medians of repetitions) like the <c>solvers</c> suite: the figures are whole
/// solves. Options: <c>--no-python</c>.
/// </remarks>
internal static class PlacementBenchmark
{
    public static int Run(string[] args)
    {
        var python = !args.Contains("--no-python") && PythonBaselines.Missing() is null;
        Console.WriteLine($"placement benchmark: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start; medians of repeated solves");
        Console.WriteLine("instance: $x[t, d] with log($x + 0.01), @llc[d] and @cpu[d] per domain, sum_d $x[t, d] == 1 per thread; ADMM rho 1, tolerances 1e-6 (cache.sigil)");
        Console.WriteLine("capacities are scaled together when the threads do not fit (the daemon's rule); warm = the prices of a previous period over 90% of the threads");
        Console.WriteLine();
        var header = new[] { "domains", "threads", "rows x cols", "cold ms", "iter", "warm ms", "iter", "% of 1 s", "CVXOPT ms", "CVXOPT / cold", "objective diff" };
        var rows = new List<string[]>();
        foreach (var domains in new[] { 2, 8 })
        {
            foreach (var threads in new[] { 16, 64, 256, 1024 })
            {
                rows.Add(Measure(Cache(domains), threads, python));
            }
        }

        Print(header, rows);
        Console.WriteLine();
        Console.WriteLine(python ? "objective diff: (Sigil - CVXOPT) / |CVXOPT| at the cold solve's point" : "CVXOPT skipped (--no-python, or /usr/bin/python3 cannot import cvxopt and numpy: eng/setup.sh installs them)");
        Console.WriteLine($"load average {LoadAverage()} at end");
        return 0;
    }

    private static string[] Measure(PlacementDescription placement, int threads, bool python)
    {
        var problem = new PlacementProblem(placement);
        var cold = problem.Solve(threads);
        var coldMs = Median(9, () => problem.Solve(threads).Elapsed.TotalMilliseconds);

        // The daemon's case: the previous period placed nine tenths of these threads; its prices
        // start this one, and the new tenth has no price yet (the mean of the others is used).
        var previous = new PlacementProblem(placement).Solve(threads - (threads / 10));
        var assignment = Enumerable.Range(0, threads).Select(t => t < previous.Threads ? previous.AssignmentPrices[t] : double.NaN).ToArray();
        var warm = problem.Solve(threads, previous.Prices, assignment);
        var warmMs = Median(15, () => problem.Solve(threads, previous.Prices, assignment).Elapsed.TotalMilliseconds);
        problem.Solve(threads);
        var instance = problem.LastInstance!;
        var cvxMs = "skipped";
        var ratio = "-";
        var diff = "-";
        if (python)
        {
            var path = Path.Combine(Path.GetTempPath(), $"sigil-placement-bench-{Environment.ProcessId}.txt");
            try
            {
                ToNumInstance(placement, instance, threads).Write(path);
                var runs = Enumerable.Range(0, 3).Select(_ => PythonBaselines.Run("num_cvxopt.py", path)).ToList();
                var seconds = runs.Select(r => r.GetProperty("seconds").GetDouble()).Order().ElementAt(1);
                var objective = runs[0].GetProperty("objective").GetDouble();
                cvxMs = (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture);
                ratio = (seconds * 1000 / coldMs).ToString("F0", CultureInfo.InvariantCulture) + "x";
                diff = ((cold.Result!.PrimalObjective - objective) / Math.Abs(objective)).ToString("E1", CultureInfo.InvariantCulture);
            }
            finally
            {
                File.Delete(path);
            }
        }

        return
        [
            placement.DomainCount.ToString(CultureInfo.InvariantCulture),
            threads.ToString(CultureInfo.InvariantCulture),
            $"{instance.ResourceCount} x {instance.AgentCount}",
            coldMs.ToString("F2", CultureInfo.InvariantCulture),
            cold.Result!.Iterations.ToString(CultureInfo.InvariantCulture) + (cold.Result.Converged ? string.Empty : "*"),
            warmMs.ToString("F3", CultureInfo.InvariantCulture),
            warm.Result!.Iterations.ToString(CultureInfo.InvariantCulture) + (warm.Result.Converged ? string.Empty : "*"),
            (warmMs / 10).ToString("F3", CultureInfo.InvariantCulture),
            cvxMs,
            ratio,
            diff,
        ];
    }

    /// <summary>cache.sigil's numbers over <paramref name="domains"/> domains (LLC 32 MiB and 1 CPU each; 8 MiB and 0.5 CPU per thread); 8 domains get uneven LLCs.</summary>
    private static PlacementDescription Cache(int domains)
    {
        IReadOnlyList<double> Each(double v) => Enumerable.Repeat(v, domains).ToArray();
        var llc = domains == 2 ? Each(32) : Enumerable.Range(0, domains).Select(d => 16.0 * (1 + (d % 4))).ToArray();
        return new PlacementDescription(
            "x",
            "domain",
            Enumerable.Range(0, domains).Select(d => "node" + d.ToString(CultureInfo.InvariantCulture)).ToList(),
            Each(0),
            Each(1),
            [new PlacementResource("llc", "MiB", llc, Each(8), "llc"), new PlacementResource("cpu", "cpu", Each(1), Each(0.5), "cpu")],
            new PlacementAssignment("placed", Each(1), 1, true, "placed"),
            new PlacementUtility(UtilityKind.Log, Each(1), Each(0.01), Each(0), "log"),
            new PlacementAdmm(1.0, 1e-6, 1e-6, 5000, "admm"),
            20);
    }

    private static NumInstance ToNumInstance(PlacementDescription placement, NumProblem<MixedAgents> problem, int threads)
    {
        var a = problem.Coupling;
        var rows = new List<int>();
        var columns = new List<int>();
        var values = new List<double>();
        for (var s = 0; s < problem.AgentCount; s++)
        {
            for (var k = a.ColumnStartArray[s]; k < a.ColumnStartArray[s + 1]; k++)
            {
                rows.Add(a.ColumnRowArray[k]);
                columns.Add(s);
                values.Add(a.ColumnValueArray[k]);
            }
        }

        var d = placement.DomainCount;
        double[] PerColumn(IReadOnlyList<double> perDomain) => Enumerable.Range(0, threads * d).Select(s => perDomain[s % d]).ToArray();
        return new NumInstance
        {
            Agents = problem.AgentCount,
            Resources = problem.ResourceCount,
            Rows = [.. rows],
            Columns = [.. columns],
            Values = [.. values],
            Capacity = (double[])problem.Capacity.Clone(),
            Senses = problem.Senses,
            Kind = Enumerable.Repeat(placement.Utility.Family, threads * d).ToArray(),
            Weight = PerColumn(placement.Utility.Weight),
            Offset = PerColumn(placement.Utility.Offset),
            Shape = PerColumn(placement.Utility.Shape),
            Lower = PerColumn(placement.Lower),
            Upper = PerColumn(placement.Upper),
        };
    }

    private static double Median(int repetitions, Func<double> measure)
    {
        measure();
        var samples = Enumerable.Range(0, repetitions).Select(_ => measure()).Order().ToList();
        return samples[samples.Count / 2];
    }

    private static void Print(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        Console.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
        Console.WriteLine("| " + string.Join(" | ", widths.Select(w => new string('-', w))) + " |");
        foreach (var row in rows)
        {
            Console.WriteLine("| " + string.Join(" | ", row.Select((c, i) => c.PadLeft(widths[i]))) + " |");
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
