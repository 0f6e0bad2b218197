using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Solvers;

/// <summary>
/// The <c>solvers</c> suite: the NUM engines against CVXOPT (a generic interior-point solver given a
/// structure-exploiting KKT solver) and against NumPy running the same dual iteration, both run
/// as subprocesses in the same run; then the engine at scale against the machine's streaming
/// bandwidth, measured in the same run.
/// </summary>
/// <remarks>
/// A Stopwatch harness (warm-up, repetitions, medians) rather than BenchmarkDotNet: the
/// comparisons are end-to-end solves and subprocess baselines whose timings come from the
/// baselines themselves, and per-iteration figures need the solver's internal state between
/// iterations. Options: <c>--small-only</c>, <c>--large-only</c>, <c>--scaled-only</c> (the badly scaled table alone), <c>--no-python</c>.
/// </remarks>
internal static class SolverBenchmarks
{
    public static int Run(string[] args)
    {
        bool scaledOnly = args.Contains("--scaled-only");
        bool small = !args.Contains("--large-only") && !scaledOnly;
        bool large = !args.Contains("--small-only") && !scaledOnly;
        bool python = !args.Contains("--no-python");
        Console.WriteLine($"solvers benchmark: {Environment.ProcessorCount} cores, load average {LoadAverage()} at start; medians of repeated runs");
        if (small)
        {
            Comparison(python);
        }

        if (small || scaledOnly)
        {
            BadlyScaled(python);
        }

        if (large)
        {
            Scale();
        }

        Console.WriteLine();
        Console.WriteLine($"load average {LoadAverage()} at end (2 cores are shared: figures under load are slower, ratios less so)");
        return 0;
    }

    /// <summary>(N, L) = (10,000, 1,000): time to the accuracy contract against CVXOPT, and per iteration against NumPy.</summary>
    private static void Comparison(bool python)
    {
        const int agents = 10_000;
        const int resources = 1_000;
        NumInstance instance = NumInstance.Random(agents, resources, 3, seed: 1);
        NumProblem<LogAgents> problem = instance.LogProblem();
        double optimum = new DualSolver<LogAgents>(problem, new DualOptions { RelativeTolerance = 1e-13, FeasibilityTolerance = 1e-12 }).Solve().PrimalObjective;
        Console.WriteLine();
        Console.WriteLine($"N = {agents:N0} agents, L = {resources:N0} resources, 3 resources per agent, weighted log utilities");
        Console.WriteLine("contract: status Solved (rows, stationarity and gap within eps_abs 1e-6 + eps_rel 1e-4 of their scale, on the returned point)");

        var rows = new List<string[]>();
        var dual = new DualSolver<LogAgents>(problem);
        SolverResult r = dual.Solve();
        double dualSeconds = Median(25, () => dual.Solve());
        double dualBest = MinOf(25, () => dual.Solve());
        rows.Add(Row("Sigil dual (scaled, accelerated)", r, dualSeconds, optimum));

        var admm = new AdmmSolver<LogAgents>(problem);
        SolverResult ra = admm.Solve();
        rows.Add(Row("Sigil ADMM (default tolerances)", ra, Median(3, () => admm.Solve()), optimum));
        var penalty = new PenaltySolver<LogAgents>(problem, new PenaltyOptions { Mu = 1e5 });
        SolverResult rp = penalty.Solve();
        rows.Add(Row("Sigil penalty (mu = 1e5)", rp, Median(5, () => penalty.Solve()), optimum));
        var fixedRule = new DualSolver<LogAgents>(problem, new DualOptions { Rule = DualStepRule.Fixed, Step = 0.02, MaxIterations = 2000 });
        SolverResult rf = fixedRule.Solve();
        rows.Add(Row("Sigil dual, fixed step 0.02 (2,000 cap)", rf, Median(1, () => fixedRule.Solve()), optimum));

        double cvxoptSeconds = double.NaN;
        double cvxoptBest = double.NaN;
        double numpySeconds = double.NaN;
        string? missing = python ? PythonBaselines.Missing() : "--no-python";
        if (missing is null)
        {
            string path = Path.Combine(Path.GetTempPath(), $"sigil-bench-{Environment.ProcessId}.txt");
            string xPath = path + ".x";
            try
            {
                instance.Write(path);
                var runs = new List<(double Seconds, JsonElement Json)>();
                for (int i = 0; i < 3; i++)
                {
                    JsonElement json = PythonBaselines.Run("num_cvxopt.py", path, "--reltol", "1e-4", "--feastol", "1e-4", "--x", xPath);
                    runs.Add((json.GetProperty("seconds").GetDouble(), json));
                }

                cvxoptSeconds = runs.Select(t => t.Seconds).OrderBy(t => t).ElementAt(1);
                cvxoptBest = runs.Min(t => t.Seconds);
                double[] x = File.ReadAllLines(xPath).Where(t => t.Length > 0).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                rows.Add(CvxoptRow("CVXOPT cp, custom KKT (reltol 1e-4)", runs[0].Json, x, cvxoptSeconds, problem, optimum));
                JsonElement tight = PythonBaselines.Run("num_cvxopt.py", path, "--x", xPath);
                x = File.ReadAllLines(xPath).Where(t => t.Length > 0).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
                rows.Add(CvxoptRow("CVXOPT cp, custom KKT (defaults)", tight, x, tight.GetProperty("seconds").GetDouble(), problem, optimum));
                numpySeconds = PythonBaselines.Run("num_numpy.py", path, "--iterations", "30", "--repeat", "7").GetProperty("seconds_per_iteration").GetDouble();
            }
            finally
            {
                File.Delete(path);
                File.Delete(xPath);
            }
        }

        (string[] warmRow, string[] coldRow, double warmSeconds, double coldSeconds) = WarmAfterBudgetChange(instance);
        rows.Add(warmRow);
        rows.Add(coldRow);
        Table(["solver", "iterations", "time", "rel. gap", "worst overload", "iterate overload", "obj. shortfall"], rows);
        Console.WriteLine("  rel. gap: certified (dual bound - primal) / |primal|; worst overload: of the returned x (relative);");
        Console.WriteLine("  iterate overload: before primal recovery; obj. shortfall: (optimum - objective) / |optimum|, optimum from a 1e-13-gap solve");
        Console.WriteLine("  (for the two 1% rows, of the changed instance: its optimum from a 1e-13-gap solve of it).");

        // Per iteration: median of single plain iterations, and a solve's average.
        dual.Reset();
        dual.Iterate(10);
        double perIteration = MedianOf(400, () => dual.Iterate(1));
        double perIterationBest = MinOf(400, () => dual.Iterate(1));
        double solveAverage = dualSeconds / r.Iterations;
        Console.WriteLine();
        Table(
            ["comparison", "Sigil", "baseline", "ratio", "target"],
            [
                ["vs CVXOPT, whole solve at the contract (median)", Ms(dualSeconds), missing is null ? Ms(cvxoptSeconds) : "skipped", missing is null ? $"{cvxoptSeconds / dualSeconds:F0}x" : "-", ">= 2,000x"],
                ["vs CVXOPT, whole solve at the contract (best)", Ms(dualBest), missing is null ? Ms(cvxoptBest) : "skipped", missing is null ? $"{cvxoptBest / dualBest:F0}x" : "-", ">= 2,000x"],
                ["vs NumPy, same dual iteration", Us(perIteration), missing is null ? Us(numpySeconds) : "skipped", missing is null ? $"{numpySeconds / perIteration:F1}x" : "-", ">= 4x"],
                ["  (Sigil best single iteration)", Us(perIterationBest), "", missing is null ? $"{numpySeconds / perIterationBest:F1}x" : "-", ""],
                ["  (Sigil solve average per iteration, incl. statuses and checks)", Us(solveAverage), "", missing is null ? $"{numpySeconds / solveAverage:F1}x" : "-", "<= 20 us"],
                ["warm re-solve after a 1% budget change vs cold (median)", Ms(warmSeconds), Ms(coldSeconds), $"{coldSeconds / warmSeconds:F1}x", "fewer iterations"],
            ]);
        if (missing is not null)
        {
            Console.WriteLine($"  baselines skipped: {missing}");
        }
    }

    /// <summary>
    /// Equilibration: the benchmark family at (2,000, 200) written in mixed units (rows in units
    /// 1e-3..1e6, so budgets spread over 1e-3..1e7, variables in units 1e-3..1e3), each engine with
    /// and without its row scaling, against CVXOPT on the mixed-unit form and on the consistent one.
    /// Objectives are compared in the consistent units (the mixed form's optimum is the consistent
    /// one's plus <c>sum_s w_s log k_s</c>).
    /// </summary>
    private static void BadlyScaled(bool python)
    {
        NumInstance consistent = NumInstance.Random(2_000, 200, 3, seed: 5);
        (NumInstance instance, double shift) = consistent.InUnits(seed: 6);
        double optimum = new DualSolver<LogAgents>(consistent.LogProblem(), new DualOptions { RelativeTolerance = 1e-13, FeasibilityTolerance = 1e-12 }).Solve().PrimalObjective;
        Console.WriteLine();
        Console.WriteLine($"badly scaled: N = {instance.Agents:N0}, L = {instance.Resources:N0}, budgets {instance.Capacity.Min():E0}..{instance.Capacity.Max():E0}, rows and variables in mixed units; iteration cap 20,000");
        var rows = new List<string[]>();
        foreach (int passes in new[] { 0, 10 })
        {
            string how = passes == 0 ? "unscaled" : "equilibrated";
            NumProblem<LogAgents> problem = instance.LogProblem();
            var dual = new DualSolver<LogAgents>(problem, new DualOptions { ScalingPasses = passes });
            rows.Add(Scaled($"Sigil dual, {how}", dual.Solve(), Median(3, () => dual.Solve())));
            var penalty = new PenaltySolver<LogAgents>(problem, new PenaltyOptions { ScalingPasses = passes });
            rows.Add(Scaled($"Sigil penalty, {how}", penalty.Solve(), Median(3, () => penalty.Solve())));
            var admm = new AdmmSolver<LogAgents>(problem, new AdmmOptions { ScalingPasses = passes });
            rows.Add(Scaled($"Sigil ADMM, {how}", admm.Solve(), Median(1, () => admm.Solve())));
        }

        string? missing = python ? PythonBaselines.Missing() : "--no-python";
        if (missing is null)
        {
            foreach ((string name, NumInstance form, double offset) in new[] { ("CVXOPT cp, mixed units", instance, shift), ("CVXOPT cp, consistent units", consistent, 0.0) })
            {
                string path = Path.Combine(Path.GetTempPath(), $"sigil-bench-scaled-{Environment.ProcessId}.txt");
                try
                {
                    form.Write(path);
                    JsonElement json = PythonBaselines.Run("num_cvxopt.py", path, "--reltol", "1e-4", "--feastol", "1e-4");
                    double objective = json.GetProperty("objective").ValueKind == JsonValueKind.Number ? json.GetProperty("objective").GetDouble() - offset : double.NaN;
                    rows.Add(
                    [
                        name,
                        json.GetProperty("status").GetString() ?? "?",
                        json.GetProperty("iterations").ToString(),
                        Ms(json.GetProperty("seconds").GetDouble()),
                        "-",
                        ((optimum - objective) / Math.Abs(optimum)).ToString("E1", CultureInfo.InvariantCulture),
                    ]);
                }
                finally
                {
                    File.Delete(path);
                }
            }
        }

        Table(["solver", "status", "iterations", "time", "worst overload", "obj. shortfall"], rows);
        Console.WriteLine("  obj. shortfall in consistent units, against a 1e-13-gap solve of the consistent form; worst overload of the returned x (relative)");
        if (missing is not null)
        {
            Console.WriteLine($"  baselines skipped: {missing}");
        }

        string[] Scaled(string name, SolverResult r, double seconds) =>
        [
            name,
            r.Status.ToString(),
            r.Iterations.ToString(CultureInfo.InvariantCulture),
            Ms(seconds),
            Percent(r.RelativePrimalResidual),
            ((optimum - (r.PrimalObjective - shift)) / Math.Abs(optimum)).ToString("E1", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>
    /// The most loaded row's budget up 1%, set through <see cref="TunableProblem{TAgents}"/> (the API a
    /// generated <c>Instance</c> uses): a warm solve from the old optimum's prices against a cold one,
    /// both at the default contract, one solver kept across solves as the daemon keeps it.
    /// </summary>
    private static (string[] Warm, string[] Cold, double WarmSeconds, double ColdSeconds) WarmAfterBudgetChange(NumInstance instance)
    {
        NumProblem<LogAgents> problem = instance.LogProblem();
        var solver = new DualSolver<LogAgents>(problem);
        var tunable = new TunableProblem<LogAgents>(problem, (_, prices) => solver.Solve(prices));
        SolverResult start = tunable.SolveCold();
        int row = Array.IndexOf(start.Prices, start.Prices.Max());
        double before = problem.Capacity[row];
        double[] startPrices = start.Prices;

        SolverResult warm = start;
        var warmTimes = new double[9];
        for (int i = 0; i < warmTimes.Length; i++)
        {
            tunable.SetCapacity(row, before);
            tunable.Solve(startPrices);
            tunable.SetCapacity(row, before * 1.01);
            long t0 = Stopwatch.GetTimestamp();
            warm = tunable.Solve();
            warmTimes[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        SolverResult cold = tunable.SolveCold();
        double coldSeconds = Median(9, () => tunable.SolveCold());
        Array.Sort(warmTimes);
        double changedOptimum = new DualSolver<LogAgents>(problem, new DualOptions { RelativeTolerance = 1e-13, FeasibilityTolerance = 1e-12 }).Solve().PrimalObjective;
        return (
            Row($"Sigil dual, row {row} budget +1%, warm (status {warm.Status})", warm, warmTimes[warmTimes.Length / 2], changedOptimum),
            Row($"Sigil dual, row {row} budget +1%, cold (status {cold.Status})", cold, coldSeconds, changedOptimum),
            warmTimes[warmTimes.Length / 2],
            coldSeconds);
    }

    /// <summary>(N, L) = (1,000,000, 100,000): time and bytes per iteration against a single-thread streaming triad.</summary>
    private static void Scale()
    {
        const int agents = 1_000_000;
        const int resources = 100_000;
        NumInstance instance = NumInstance.Random(agents, resources, 3, seed: 7);
        NumProblem<LogAgents> problem = instance.LogProblem();
        var dual = new DualSolver<LogAgents>(problem);
        SolverResult r = dual.Solve();
        double solveSeconds = Median(3, () => dual.Solve());

        dual.Reset();
        dual.Iterate(8);
        long before = GC.GetAllocatedBytesForCurrentThread();
        dual.Iterate(40);
        double allocatedPerIteration = (GC.GetAllocatedBytesForCurrentThread() - before) / 40.0;
        var single = new List<double>();
        for (int i = 0; i < 80; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            dual.Iterate(1);
            single.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        single.Sort();
        double plain = single[single.Count / 2];
        double best = single[0];
        double mean = single.Average();

        // Compulsory memory traffic of a plain pass (a curvature pass adds its 8 B per row twice):
        // the matrix entries (4 B row index + 8 B value), the agents' parameters (LogAgents: w, eps,
        // lo, hi), the column pointers unless every column has the same length, and the row arrays
        // the row pass reads and writes. Row state the pass gathers at random is counted once.
        CouplingMatrix a = problem.Coupling;
        bool uniform = Enumerable.Range(0, agents).All(s => a.ColumnLength(s) == 3);
        double bytes = 12.0 * a.NonZeroCount + 32.0 * agents + (uniform ? 0 : 4.0 * (agents + 1))
            + resources * (16.0 * 2 + 8 + 8 * 2 + 8 * 2 + 1);
        (double triad, double triadMedian) = Triad();
        double achieved = bytes / plain;
        Console.WriteLine();
        Console.WriteLine($"N = {agents:N0} agents, L = {resources:N0} resources, {a.NonZeroCount:N0} entries, weighted log utilities");
        Table(
            ["scale", "value"],
            [
                ["solve to the contract", $"{Ms(solveSeconds)}, {r.Iterations} iterations, gap {r.RelativeDualityGap:E1}, status {r.Status}"],
                ["time per iteration: median (best; mean incl. curvature passes)", $"{Ms(plain)} ({Ms(best)}; {Ms(mean)})"],
                ["bytes moved per iteration (compulsory)", $"{bytes / 1e6:F1} MB"],
                ["achieved bandwidth: median (best)", $"{achieved / 1e9:F1} GB/s ({bytes / best / 1e9:F1} GB/s)"],
                ["single-thread streaming triad (same run): best (median)", $"{triad / 1e9:F1} GB/s ({triadMedian / 1e9:F1} GB/s)"],
                ["fraction of triad bandwidth, median (best) (target >= 60%)", $"{100 * achieved / triad:F0}% ({100 * bytes / best / triad:F0}%)"],
                ["allocated per iteration (target 0 B)", $"{allocatedPerIteration:F0} B"],
            ]);
    }

    /// <summary>
    /// Single-thread streaming triad a = b + s c over three 128 MiB arrays (STREAM's convention:
    /// 24 bytes per element), with 512-bit vectors; the best of ten runs (as STREAM reports) and the median.
    /// </summary>
    private static (double Best, double Median) Triad()
    {
        int n = 1 << 24;
        var a = new double[n];
        var b = new double[n];
        var c = new double[n];
        Array.Fill(a, 0.0);
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        var times = new double[10];
        for (int rep = 0; rep < times.Length; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            TriadKernel(a, b, c, 3.0);
            times[rep] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(times);
        return (24.0 * n / times[0], 24.0 * n / times[times.Length / 2]);
    }

    private static void TriadKernel(double[] a, double[] b, double[] c, double s)
    {
        Span<Vector512<double>> va = MemoryMarshal.Cast<double, Vector512<double>>(a.AsSpan());
        ReadOnlySpan<Vector512<double>> vb = MemoryMarshal.Cast<double, Vector512<double>>(b);
        ReadOnlySpan<Vector512<double>> vc = MemoryMarshal.Cast<double, Vector512<double>>(c);
        var vs = Vector512.Create(s);
        for (int i = 0; i < va.Length; i++)
        {
            va[i] = vb[i] + vs * vc[i];
        }
    }

    private static string[] Row(string name, SolverResult r, double seconds, double optimum) =>
    [
        name,
        r.Iterations.ToString(CultureInfo.InvariantCulture),
        Ms(seconds),
        r.RelativeDualityGap.ToString("E1", CultureInfo.InvariantCulture),
        Percent(r.RelativePrimalResidual),
        Percent(r.IterateRelativeOverload),
        ((optimum - r.PrimalObjective) / Math.Abs(optimum)).ToString("E1", CultureInfo.InvariantCulture),
    ];

    private static string[] CvxoptRow(string name, JsonElement json, double[] x, double seconds, NumProblem<LogAgents> problem, double optimum)
    {
        var load = new double[problem.ResourceCount];
        problem.Coupling.Multiply(x, load);
        double worst = 0;
        for (int l = 0; l < load.Length; l++)
        {
            worst = Math.Max(worst, (load[l] - problem.Capacity[l]) / Math.Abs(problem.Capacity[l]));
        }

        double objective = 0;
        for (int s = 0; s < x.Length; s++)
        {
            objective += problem.Agents.Utility(s, Math.Max(x[s], problem.Agents.Lower(s)));
        }

        return
        [
            name,
            json.GetProperty("iterations").GetInt32().ToString(CultureInfo.InvariantCulture),
            Ms(seconds),
            json.GetProperty("gap").GetDouble().ToString("E1", CultureInfo.InvariantCulture) + " (own)",
            Percent(Math.Max(worst, 0)),
            "-",
            ((optimum - objective) / Math.Abs(optimum)).ToString("E1", CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>Median wall time of <paramref name="count"/> runs after one warm-up run.</summary>
    private static double Median(int count, Action action)
    {
        action();
        return MedianOf(count, action);
    }

    private static double MedianOf(int count, Action action)
    {
        var times = new double[count];
        for (int i = 0; i < count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        Array.Sort(times);
        return times[count / 2];
    }

    private static double MinOf(int count, Action action)
    {
        double best = double.MaxValue;
        for (int i = 0; i < count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        return best;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Ms(double seconds) => (seconds * 1e3).ToString(seconds < 0.01 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    private static string Us(double seconds) => (seconds * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " us";

    private static string Percent(double fraction) => (fraction * 100).ToString(fraction < 1e-3 ? "E1" : "F3", CultureInfo.InvariantCulture) + "%";

    private static void Table(string[] header, List<string[]> rows)
    {
        int[] width = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(width[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", width.Select(w => new string('-', w + 2))) + "|");
        foreach (string[] row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }
}
