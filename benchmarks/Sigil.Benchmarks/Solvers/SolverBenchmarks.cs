using System;
using System.Diagnostics;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Solvers;

internal static class SolverBenchmarks
{
    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "scale")
        {
            ScaleProbe.Run();
            return 0;
        }

        if (args.Length > 0 && args[0] == "write")
        {
            NumInstance.Random(int.Parse(args[2]), int.Parse(args[3]), 3, 1, double.Parse(args[4]), args[5] == "1").Write(args[1]);
            return 0;
        }

        int n = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        int l = args.Length > 1 ? int.Parse(args[1]) : 1_000;
        var inst = NumInstance.Random(n, l, 3, 1);
        var problem = inst.LogProblem();
        var dual = new DualSolver<LogAgents>(problem);
        for (int rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            var r = dual.Solve();
            sw.Stop();
            Console.WriteLine($"dual: it={r.Iterations} t={sw.Elapsed.TotalMilliseconds:F3}ms gap={r.RelativeDualityGap:E2} over={r.RelativePrimalResidual:E2} iterOver={r.IterateRelativeOverload:E2} P={r.PrimalObjective:F6} D={r.DualObjective:F6} conv={r.Converged}");
        }

        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 20; i++) { dual.Reset(); }
            double reset = sw.Elapsed.TotalMicroseconds / 20;
            sw.Restart();
            for (int i = 0; i < 20; i++) { dual.Reset(); dual.Iterate(30); }
            double it30 = sw.Elapsed.TotalMicroseconds / 20;
            sw.Restart();
            for (int i = 0; i < 20; i++) { dual.Solve(); }
            double solve = sw.Elapsed.TotalMicroseconds / 20;
            Console.WriteLine($"reset {reset:F0}us, reset+30 it {it30:F0}us, solve {solve:F0}us, storing passes {dual.StoringPasses}");
        }

        var tight = new DualSolver<LogAgents>(problem, new DualOptions { GapTolerance = 1e-10, FeasibilityTolerance = 1e-9 });
        var rt = tight.Solve();
        Console.WriteLine($"dual tight: it={rt.Iterations} gap={rt.RelativeDualityGap:E2} over={rt.RelativePrimalResidual:E2} iterOver={rt.IterateRelativeOverload:E2} P={rt.PrimalObjective:F9} conv={rt.Converged}");
        var fixedRule = new DualSolver<LogAgents>(problem, new DualOptions { Rule = DualStepRule.Fixed, Step = 0.01, MaxIterations = 5000 });
        var rf = fixedRule.Solve();
        Console.WriteLine($"dual fixed: it={rf.Iterations} gap={rf.RelativeDualityGap:E2} over={rf.RelativePrimalResidual:E2} conv={rf.Converged}");
        var sw2 = Stopwatch.StartNew();
        var admm = new AdmmSolver<LogAgents>(problem).Solve();
        Console.WriteLine($"admm: it={admm.Iterations} t={sw2.Elapsed.TotalMilliseconds:F1}ms gap={admm.RelativeDualityGap:E2} over={admm.RelativePrimalResidual:E2} iterOver={admm.IterateRelativeOverload:E2} P={admm.PrimalObjective:F9} conv={admm.Converged}");
        var pen = new PenaltySolver<LogAgents>(problem, new PenaltyOptions { Mu = 1e4 }).Solve();
        Console.WriteLine($"penalty: it={pen.Iterations} gap={pen.RelativeDualityGap:E2} over={pen.RelativePrimalResidual:E2} P={pen.PrimalObjective:F9} conv={pen.Converged}");
        dual.Reset();
        dual.Iterate(10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        dual.Iterate(100);
        long alloc = GC.GetAllocatedBytesForCurrentThread() - before;
        double bi = double.MaxValue;
        for (int i = 0; i < 200; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            dual.Iterate(1);
            bi = Math.Min(bi, Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }

        Console.WriteLine($"per-iter min {bi:F1}us alloc={alloc}");
        return 0;
    }
}

internal static class ScaleProbe
{
    public static void Run()
    {
        var sw = Stopwatch.StartNew();
        int rowsN = int.Parse(Environment.GetEnvironmentVariable("ROWS") ?? "100000");
        var inst = NumInstance.Random(1_000_000, rowsN, 3, 7);
        var problem = inst.LogProblem();
        Console.WriteLine($"build {sw.Elapsed.TotalSeconds:F1}s");
        var dual = new DualSolver<LogAgents>(problem);
        dual.Reset();
        dual.Iterate(3);
        int n = 1 << 24;
        var a = new double[n];
        var b = new double[n];
        var c = new double[n];
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
        double best = double.MaxValue;
        double bestT = double.MaxValue;
        for (int rep = 0; rep < 40; rep++)
        {
            sw.Restart();
            dual.Iterate(1);
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            Triad(a, b, c, 3.0);
            bestT = Math.Min(bestT, sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine($"1M: min {best:F2} ms/iter = {72e6 / best / 1e6:F1} GB/s; triad: {24.0 * n / bestT / 1e9:F1} GB/s");
        sw.Restart();
        var r = dual.Solve();
        Console.WriteLine($"1M solve: {sw.Elapsed.TotalMilliseconds:F0} ms it={r.Iterations} gap={r.RelativeDualityGap:E2} conv={r.Converged}");
    }

    private static void Triad(double[] a, double[] b, double[] c, double s)
    {
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Runtime.Intrinsics.Vector512<double>>(a.AsSpan());
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Runtime.Intrinsics.Vector512<double>>(b.AsSpan());
        var vc = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Runtime.Intrinsics.Vector512<double>>(c.AsSpan());
        var vs = System.Runtime.Intrinsics.Vector512.Create(s);
        for (int i = 0; i < va.Length; i++)
        {
            va[i] = vb[i] + vs * vc[i];
        }
    }
}
