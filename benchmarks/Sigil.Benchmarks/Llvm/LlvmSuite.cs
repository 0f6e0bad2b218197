using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Sigil.Language.Emit.Llvm;
using Sigil.Language.Model;

namespace Sigil.Benchmarks.Llvm;

/// <summary>
/// The LLVM backend's costs at price 0, each against a baseline measured in the same run:
/// an instrumented call site (the inline price check the pass inserts), a direct call of the
/// hook's slow path, and the file-copy workload of samples/llvm/copy.c built with and without
/// the dwell plugin. Medians over alternating repetitions; prints a table.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- llvm [--quick]</c>.</remarks>
internal static class LlvmSuite
{
    private const double SiteTargetNs = 5;
    private const double CopyTargetPercent = 2;

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var repetitions = quick ? 5 : 21;
        var iterations = quick ? 50_000_000L : 200_000_000L;
        var copyBytes = (quick ? 64 : 256) << 20;

        var root = BenchmarkRepository.Root;
        var work = Path.Combine(Path.GetTempPath(), "sigil-llvm-bench-" + Guid.NewGuid().ToString("N"));
        var data = Directory.Exists("/dev/shm") ? Path.Combine("/dev/shm", "sigil-llvm-bench-" + Guid.NewGuid().ToString("N")) : Path.Combine(work, "data");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(data);
        var maps = new List<string>();
        try
        {
            var dwell = LlvmBenchFibres.Dwell(root);
            var bench = LlvmBenchFibres.Bench(dwell);
            var dwellDir = EmitAndBuild(root, dwell, work);
            var benchDir = EmitAndBuild(root, bench, work);
            var samples = Path.Combine(root, "samples", "llvm");

            // hookbench: bench_sink called in a loop, with and without the inserted check.
            var sink = Path.Combine(work, "hooksink.o");
            Tool("clang-14", "-O2", "-c", Path.Combine(samples, "hooksink.c"), "-o", sink);
            var plainBench = Path.Combine(work, "hookbench.plain");
            Tool("clang-14", "-O2", Path.Combine(samples, "hookbench.c"), sink, "-o", plainBench);
            var hookedBench = Path.Combine(work, "hookbench.hooked");
            Tool("clang-14", "-O2", "-fpass-plugin=" + Path.Combine(benchDir, LlvmNames.PluginLibraryFileName(bench.Name)),
                "-DHOOKBENCH_UPDATE=" + LlvmNames.HookSymbol(bench.Name), Path.Combine(samples, "hookbench.c"), sink,
                Path.Combine(benchDir, LlvmNames.HookArchiveFileName(bench.Name)), "-pthread", "-o", hookedBench);

            // copy: the same source with and without the dwell plugin and hook.
            var plainCopy = Path.Combine(work, "copy.plain");
            Tool("clang-14", "-O2", Path.Combine(samples, "copy.c"), "-o", plainCopy);
            var hookedCopy = Path.Combine(work, "copy.hooked");
            Tool("clang-14", "-O2", "-fpass-plugin=" + Path.Combine(dwellDir, LlvmNames.PluginLibraryFileName(dwell.Name)),
                Path.Combine(samples, "copy.c"), Path.Combine(dwellDir, LlvmNames.HookArchiveFileName(dwell.Name)), "-pthread", "-o", hookedCopy);

            // The price source: real pinned maps with no entry for the process (price 0) when
            // this runs as root, so the refresher thread does its real work; else none.
            var environment = new Dictionary<string, string>();
            var source = "none (not root: no BPF map)";
            if (Environment.UserName == "root" && File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal))
            {
                foreach (var spec in new[] { dwell, bench })
                {
                    var folder = "/sys/fs/bpf/sigil-bench-" + Guid.NewGuid().ToString("N");
                    Directory.CreateDirectory(folder);
                    var map = folder + "/" + spec.PriceExports[0].MapName;
                    Tool("bpftool", "map", "create", map, "type", "hash", "key", "4", "value", "8", "entries", "1024", "name", spec.PriceExports[0].MapName);
                    maps.Add(map);
                    environment[LlvmNames.MacroPrefix(spec.Name) + "_PRICE_MAP"] = map;
                    environment[LlvmNames.MacroPrefix(spec.Name) + "_PRICE_PAGE"] = string.Empty;
                }

                source = "pinned BPF maps, price 0";
            }

            var input = Path.Combine(data, "copy.in");
            var bytes = new byte[copyBytes];
            new Random(1).NextBytes(bytes);
            File.WriteAllBytes(input, bytes);
            var output = Path.Combine(data, "copy.out");

            // The baseline copy is measured twice, as two binaries: their difference is the noise
            // floor the instrumented build's difference has to be read against.
            var againCopy = Path.Combine(work, "copy.again");
            Tool("clang-14", "-O2", Path.Combine(samples, "copy.c"), "-o", againCopy);
            var sinkNs = new Dictionary<string, List<double>> { ["plain"] = [], ["hooked"] = [] };
            var update = new List<double>();
            var copyMs = new Dictionary<string, List<double>> { ["plain"] = [], ["again"] = [], ["hooked"] = [] };
            var copyCpu = new Dictionary<string, List<double>> { ["plain"] = [], ["again"] = [], ["hooked"] = [] };
            var copies = new Dictionary<string, string> { ["plain"] = plainCopy, ["again"] = againCopy, ["hooked"] = hookedCopy };
            var count = iterations.ToString(CultureInfo.InvariantCulture);
            for (var r = 0; r < repetitions; r++)
            {
                // rotate the order so that drift of the machine falls on every variant alike
                var order = new[] { "plain", "again", "hooked" };
                order = order.Skip(r % 3).Concat(order.Take(r % 3)).ToArray();
                foreach (var variant in order)
                {
                    if (variant != "again")
                    {
                        var lines = Measure(variant == "hooked" ? hookedBench : plainBench, [count], environment).Stdout;
                        sinkNs[variant].Add(Value(lines, "sink"));
                        if (variant == "hooked")
                        {
                            update.Add(Value(lines, "update"));
                        }
                    }

                    var copy = Measure(copies[variant], ["-b", "4096", input, output], environment);
                    copyMs[variant].Add(copy.Elapsed.TotalMilliseconds);
                    copyCpu[variant].Add(copy.Cpu.TotalMilliseconds);
                }
            }

            var siteCost = Statistics.Median(sinkNs["hooked"]) - Statistics.Median(sinkNs["plain"]);
            var updateCost = Statistics.Median(update);
            double Slowdown(Dictionary<string, List<double>> times, string variant) => ((Statistics.Median(times[variant]) / Statistics.Median(times["plain"])) - 1) * 100;
            string Percent(double value) => value.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " %";
            Console.WriteLine();
            Console.WriteLine($"LLVM hook at price 0: fibres/dwell.sigil; price source: {source}");
            Console.WriteLine($"medians of {repetitions} rotated runs; {iterations:N0} calls per call-cost run; copy of {copyBytes >> 20} MiB in 4 KiB writes on {(data.StartsWith("/dev/shm", StringComparison.Ordinal) ? "tmpfs" : "disk")}");
            Console.WriteLine();
            Table(
                ["measurement", "baseline", "instrumented", "cost", "noise (baseline again)", "target", "met"],
                [
                    ["call site, inline check (ns/call)", F(Statistics.Median(sinkNs["plain"])), F(Statistics.Median(sinkNs["hooked"])), $"{siteCost:+0.00;-0.00} ns", "-", $"<= {SiteTargetNs} ns", Met(siteCost <= SiteTargetNs)],
                    [$"{LlvmNames.HookSymbol(bench.Name)}() direct (ns/call)", "-", F(updateCost), $"{updateCost:0.00} ns", "-", $"<= {SiteTargetNs} ns", Met(updateCost <= SiteTargetNs)],
                    ["copy workload, CPU time (ms)", F(Statistics.Median(copyCpu["plain"])), F(Statistics.Median(copyCpu["hooked"])), Percent(Slowdown(copyCpu, "hooked")), Percent(Slowdown(copyCpu, "again")), $"<= {CopyTargetPercent} %", Met(Slowdown(copyCpu, "hooked") <= CopyTargetPercent)],
                    ["copy workload, wall time (ms)", F(Statistics.Median(copyMs["plain"])), F(Statistics.Median(copyMs["hooked"])), Percent(Slowdown(copyMs, "hooked")), Percent(Slowdown(copyMs, "again")), $"<= {CopyTargetPercent} %", Met(Slowdown(copyMs, "hooked") <= CopyTargetPercent)],
                ]);
            Console.WriteLine();
            Console.WriteLine("CPU time is user + system time of the copy process (getrusage of children); wall time also");
            Console.WriteLine("counts waiting for a core. 'noise' compares the baseline with a second copy of itself.");
            foreach (var variant in copies.Keys)
            {
                Console.WriteLine($"copy CPU times (ms), {variant,-6}: {string.Join(' ', copyCpu[variant].Select(F))}");
            }

            return 0;
        }
        finally
        {
            foreach (var map in maps)
            {
                File.Delete(map);
                Directory.Delete(Path.GetDirectoryName(map)!);
            }

            Directory.Delete(data, recursive: true);
            Directory.Delete(work, recursive: true);
        }
    }

    // Writes the fibre's artefacts as the build writes them (obj/sigil/<fibre>/llvm/...) and runs
    // the build step, eng/llvm.targets, on them: the same command lines as every build.
    private static string EmitAndBuild(string root, FibreSpec spec, string work)
    {
        foreach (var artefact in LlvmEmitter.Emit(spec))
        {
            var path = Path.Combine(work, spec.Name, artefact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, artefact.Content);
        }

        var folder = Path.Combine(work, spec.Name, LlvmNames.Target);
        Tool("dotnet", "msbuild", Path.Combine(root, "eng", "llvm.targets"), "-t:SigilBuildLlvm", "-nologo", "-nr:false", "-v:m", "-p:SigilLlvmSourceDir=" + folder);
        if (!File.Exists(Path.Combine(folder, LlvmNames.PluginLibraryFileName(spec.Name))))
        {
            throw new InvalidOperationException($"eng/llvm.targets built no plugin for '{spec.Name}' (is LLVM 14 installed?)");
        }

        return folder;
    }

    private static (string Stdout, TimeSpan Elapsed, TimeSpan Cpu) Measure(string program, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var before = ChildProcessTime.Total();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var elapsed = clock.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr}");
        }

        return (stdout, elapsed, ChildProcessTime.Total() - before);
    }

    private static void Tool(string file, params string[] arguments) => ChildProcess.RunChecked(file, arguments);

    private static double Value(string lines, string name)
    {
        var line = lines.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Met(bool met) => met ? "yes" : "NO";

    private static void Table(string[] header, string[][] rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }
}
