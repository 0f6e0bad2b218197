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
        ["probe"] = ("probe", Probe.Run),
        ["bpf"] = ("eBPF dwell program cost per openat+close and getppid vs the empty-program floor; ring buffer drain rate", Bpf.BpfBenchmarks.Run),
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
