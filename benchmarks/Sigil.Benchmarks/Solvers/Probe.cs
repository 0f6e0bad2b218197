using System;
using System.Diagnostics;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Solvers;

internal static class Probe
{
    public static int Run(string[] args)
    {
        NumInstance instance = NumInstance.Random(10_000, 1_000, 3, seed: 1);
        NumProblem<LogAgents> problem = instance.LogProblem();
        var engine = new DualEngine<LogAgents>(problem, true, true, 1.0, 0);
        var cert = engine.Certificate;
        for (int rep = 0; rep < 40; rep++)
        {
            long t0 = Stopwatch.GetTimestamp();
            engine.Reset(default);
            long t1 = Stopwatch.GetTimestamp();
            for (int i = 0; i < 29; i++) { engine.Pass(false); engine.Measure(); engine.Advance(); }
            long t2 = Stopwatch.GetTimestamp();
            var (u, p) = engine.Pass(true);
            long t3 = Stopwatch.GetTimestamp();
            engine.Measure();
            double d = engine.DualObjective(u, p);
            double pr = cert.Recover(engine.X, engine.Load);
            long t4 = Stopwatch.GetTimestamp();
            var v = Certificate<LogAgents>.Violation(cert.RecoveredLoad, problem.Capacity, problem.Senses);
            long t5 = Stopwatch.GetTimestamp();
            var dual = new DualSolver<LogAgents>(problem);
            long t6 = Stopwatch.GetTimestamp();
            dual.Solve();
            long t7 = Stopwatch.GetTimestamp();
            double f = 1e6 / Stopwatch.Frequency;
            if (rep % 10 == 9)
            {
                Console.WriteLine($"reset {(t1 - t0) * f:F0} 29it {(t2 - t1) * f:F0} store {(t3 - t2) * f:F0} recover {(t4 - t3) * f:F0} viol {(t5 - t4) * f:F0} ctor {(t6 - t5) * f:F0} solve {(t7 - t6) * f:F0} us; stores {dual.StoringPasses} it {dual.Iterations}");
            }
        }

        return 0;
    }
}
