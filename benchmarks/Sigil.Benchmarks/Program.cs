using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Benchmarks.Solvers;

namespace Sigil.Benchmarks;

/// <summary>
/// Runs one benchmark suite by name: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- &lt;suite&gt; [options]</c>.
/// Each suite prints its own table. A new suite adds one line to <see cref="s_suites"/>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Description, Func<string[], int> Run)> s_suites = new(StringComparer.Ordinal)
    {
        ["solvers"] = ("NUM solver engines vs CVXOPT and NumPy, and memory bandwidth at scale", SolverBenchmarks.Run),
        ["fluxbalance"] = ("E. coli core flux balance: the QP engine to 1e-6 of GLPK vs glpsol in the same run; warm vs cold re-solve after a 1% change", FluxBalanceBenchmark.Run),
        ["generator"] = ("generator time per fibre on a warm build, and what a no-op rebuild regenerates", Generator.GeneratorBenchmark.Run),
        ["llvm"] = ("LLVM hook call cost at price 0 and instrumented file-copy slowdown", Llvm.LlvmSuite.Run),
        ["proofs"] = ("coqc on the Coq library once and on each fibre's file vs coqc's start-up", Proofs.ProofsBenchmark.Run),
        ["daemon"] = ("daemon CPU and memory at idle and under load, and the cost of a metrics exposition", Daemon.DaemonBenchmark.Run),
        ["ransomware-daemon"] = ("the daemon on the ransomware fibre: CPU under 100,000 benign file events/s, and kernel decision to log and metrics", Daemon.RansomwareDaemonBenchmark.Run),
        ["startup"] = ("daemon start-up time and RSS/PSS against their floors (empty .NET program, Kestrel, Sigil.Solvers alone); --before <sigil.dll> adds another build", Daemon.StartupBenchmark.Run),
        ["bpf"] = ("eBPF dwell program cost per openat+close and getppid vs the empty-program floor; ring buffer drain rate; the ransomware program per write and openat+close on ext4", Bpf.BpfBenchmarks.Run),
        ["security"] = ("cost of the checks against a hostile local user: checkpoint saves, page publishes, 1,000 concurrent scrapes", Security.SecurityBenchmark.Run),
        ["editor"] = ("the language server: start-up, diagnostics after an edit, hover and completion (shipped fibres, 5,000 lines), memory after 1,000 edits", Editor.EditorBenchmark.Run),
        ["cluster"] = ("cluster fibre on etcd: rounds to converge, etcd requests per round and node, updater round time at 3, 100 and 1000 simulated nodes", Cluster.ClusterBenchmark.Run),
        ["tool"] = ("sigil check start-up: the build output (JIT) vs the installed tool (ReadyToRun), processor and wall time", Tool.ToolStartupBenchmark.Run),
        ["metrics"] = ("the exposition: prometheus-net vs the hand-written code it replaced, scrape time and allocation (10 to 1,000 agents), per-agent churn, daemon memory at start (--baseline DIR: the earlier CLI build)", Metrics.MetricsBenchmark.Run),
        ["placement"] = ("placement solve per period (cache fibre, 16 to 1024 threads; cold, warm) vs CVXOPT on the same instance", Placement.PlacementBenchmark.Run),
    };

    private static int Main(string[] args)
    {
        if (args.Length == 0 || !s_suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine(args.Length == 0 ? "No suite named." : $"Unknown suite '{args[0]}'.");
            Console.Error.WriteLine("Usage: Sigil.Benchmarks <suite> [options]. Suites:");
            foreach (var (name, (description, _)) in s_suites.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {name,-12} {description}");
            }

            return 2;
        }

        return suite.Run(args[1..]);
    }
}
