using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sigil.Benchmarks.Tool;

/// <summary>
/// The <c>tool</c> suite: what <c>sigil check fibres/dwell.sigil</c> costs from start to exit, for
/// the command as the build writes it (IL, compiled by the JIT as it runs: the "before") and as
/// <c>dotnet tool install</c> puts it on a user's machine from the packed packages (the linux-x64
/// implementation package, ReadyToRun: the "after"), both in the same run, with
/// <c>sigil --version</c> beside each as the floor of starting the runtime at all. The target is
/// 300 ms. Prints a table of medians: processor time (user + system of the child, which the
/// machine's load moves little) and wall time.
/// </summary>
/// <remarks>
/// Hand-timed rather than BenchmarkDotNet: each measurement is a process start.
/// Usage: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- tool [runs]</c>
/// (after <c>dotnet build src/Sigil.Cli -c Release</c>; the suite packs and installs the tool itself).
/// </remarks>
internal static class ToolStartupBenchmark
{
    private const double TargetMilliseconds = 300;

    public static int Run(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10;
        var repository = BenchmarkRepository.Root;
        var built = Path.Combine(repository, "src", "Sigil.Cli", "bin", "Release", "net10.0", "sigil.dll");
        if (!File.Exists(built))
        {
            Console.WriteLine($"tool: {built} is missing; build first: dotnet build src/Sigil.Cli -c Release");
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("sigil-tool-bench-");
        try
        {
            var installed = Install(repository, work.FullName);
            var fibre = Path.Combine(repository, "fibres", "dwell.sigil");
            var commands = new (string Name, string File, string[] Prefix)[]
            {
                ("build output, JIT (dotnet sigil.dll)", "dotnet", [built]),
                ("installed tool, ReadyToRun", installed, []),
            };

            // Interleaved, one of each per round, so that a change in the machine's load falls on both.
            var samples = commands.ToDictionary(c => c.Name, _ => (Check: new List<(double Cpu, double Wall)>(), Version: new List<(double Cpu, double Wall)>()));
            for (var round = 0; round < runs + 1; round++)
            {
                foreach (var (name, file, prefix) in commands)
                {
                    var check = Time(file, [.. prefix, "check", fibre]);
                    var version = Time(file, [.. prefix, "--version"]);
                    if (round > 0)
                    {
                        // the first round warms the page cache and is not counted
                        samples[name].Check.Add(check);
                        samples[name].Version.Add(version);
                    }
                }
            }

            Console.WriteLine($"sigil check fibres/dwell.sigil: medians of {runs} runs each (target {TargetMilliseconds:F0} ms)");
            Console.WriteLine($"{"command",-40} {"check cpu",10} {"check wall",11} {"--version cpu",14} {"--version wall",15}");
            foreach (var (name, _, _) in commands)
            {
                var (check, version) = samples[name];
                Console.WriteLine($"{name,-40} {Ms(check.Select(static s => s.Cpu)),10} {Ms(check.Select(static s => s.Wall)),11} {Ms(version.Select(static s => s.Cpu)),14} {Ms(version.Select(static s => s.Wall)),15}");
            }

            var before = Statistics.Median(samples[commands[0].Name].Check.Select(static s => s.Cpu));
            var after = Statistics.Median(samples[commands[1].Name].Check.Select(static s => s.Cpu));
            Console.WriteLine($"check processor time: {after:F0} ms installed vs {before:F0} ms from the build output ({(1 - (after / before)) * 100:F0}% less); load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Ms(IEnumerable<double> values) => Statistics.Median(values).ToString("F0", CultureInfo.InvariantCulture) + " ms";

    // Packs the tool (its pointer package and the per-runtime implementation packages) into a
    // folder feed and installs it into a tool path with a private NuGet cache, as a user would.
    private static string Install(string repository, string work)
    {
        var feed = Path.Combine(work, "feed");
        var tools = Path.Combine(work, "tools");
        var environment = new[] { ("NUGET_PACKAGES", Path.Combine(work, "packages")) };
        ChildProcess.RunChecked("dotnet", ["pack", "src/Sigil.Cli", "-c", "Release", "-o", feed, "-nologo"], repository, environment);
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "sigil.linux-x64.*.nupkg").Single())["sigil.linux-x64.".Length..];
        ChildProcess.RunChecked("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "sigil", "--version", version], work, environment);
        return Path.Combine(tools, "sigil");
    }

    private static (double Cpu, double Wall) Time(string file, string[] arguments)
    {
        var cpu = ChildProcessTime.Total();
        var clock = Stopwatch.StartNew();
        ChildProcess.RunChecked(file, arguments, BenchmarkRepository.Root);
        return ((ChildProcessTime.Total() - cpu).TotalMilliseconds, clock.Elapsed.TotalMilliseconds);
    }
}
