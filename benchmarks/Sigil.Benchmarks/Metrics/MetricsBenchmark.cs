using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using Prometheus;
using Sigil.Benchmarks.Daemon;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Metrics;
using HandWritten = Sigil.Benchmarks.Metrics.HandWritten;

namespace Sigil.Benchmarks.Metrics;

/// <summary>
/// The daemon's exposition with prometheus-net against the hand-written exposition it replaced
/// (<see cref="HandWritten.MetricRegistry"/>, the code of commit b90e8b5), in the same run: scrape
/// time and allocation for the same series, the per-agent churn of a tick, and the daemon's
/// memory at start with the build of either (<c>--baseline DIR</c>: the CLI build output of the
/// commit before, e.g. a copy of <c>src/Sigil.Cli/bin/Release/net10.0</c> built on main).
/// </summary>
internal static class MetricsBenchmark
{
    public static int Run(string[] args)
    {
        var baseline = args.Length > 1 && args[0] == "--baseline" ? args[1] : null;
        var version = FileVersionInfo.GetVersionInfo(typeof(CollectorRegistry).Assembly.Location).ProductVersion;
        Console.WriteLine($"Metrics: prometheus-net (assembly {version}) vs the hand-written exposition it replaced; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine();
        ScrapeCost();
        Console.WriteLine();
        Console.WriteLine($"{"tick + scrape (2 x 1,000 agents)",-30} {"series",7} {"bytes",8} {"us/tick",10} {"B alloc",9} {"vs hand",8}");
        ChurnCost(0);
        ChurnCost(500);
        Console.WriteLine("each tick publishes new values for both families; 'n new' agents were not in the previous tick, and as many were dropped");
        Console.WriteLine();
        return DaemonMemory(baseline);
    }

    // The daemon's families (dwell fibre) with `agents` per-agent series per snapshot family, rendered
    // by prometheus-net; the same families and series rebuilt in the hand-written registry.
    private static void ScrapeCost()
    {
        Console.WriteLine($"{"scrape (daemon families)",-30} {"series",7} {"bytes",8} {"us/scrape",10} {"B alloc",9} {"vs hand",8}");
        foreach (var agents in new[] { 10, 100, 1_000 })
        {
            var registry = DaemonBenchmark.PublishedDwellMetrics(agents - 1, agents + 100);
            var text = registry.Render();
            var hand = Rebuild(text);
            var handText = hand.Render();

            var repetitions = agents >= 1_000 ? 300 : 2_000;
            void Library()
            {
                using var buffer = new MemoryStream(8192);
                registry.WriteToAsync(buffer).GetAwaiter().GetResult();
            }

            void Hand()
            {
                var sb = new StringBuilder(8192);
                hand.RenderTo(sb);
                _ = Encoding.UTF8.GetBytes(sb.ToString());
            }

            var handUs = DaemonBenchmark.Median(Hand, repetitions);
            var libraryUs = DaemonBenchmark.Median(Library, repetitions);
            Row($"hand-written, {agents} agents", Series(handText), handText, handUs, Allocated(Hand), handUs);
            Row($"prometheus-net, {agents} agents", Series(text), text, libraryUs, Allocated(Library), handUs);
        }

        Console.WriteLine("a scrape as the server answers it: hand-written = render to a StringBuilder, then UTF-8 bytes; prometheus-net = collect into a MemoryStream");
        Console.WriteLine("series per snapshot family = agents (the top agents - 1, plus agent=\"other\"); both registries hold the same samples (families without samples are left out of the hand-written one)");
    }

    // A tick replaces the per-agent families (here 1,000 series each, `changed` of them new agents),
    // then a scrape reads them: prometheus-net removes and adds series in the scrape's before-collect
    // callback, the hand-written registry swapped one array.
    private static void ChurnCost(int changed)
    {
        const int Agents = 1_000;
        string[] names = ["sigil_price", "sigil_load"];
        var sets = Enumerable.Range(0, 2).Select(s => Enumerable.Range(0, Agents)
            .Select(i => new GaugeSample(["dwell", "files", (i + (s * changed)).ToString(CultureInfo.InvariantCulture), "proc"], (i * 0.25) + s)).ToArray()).ToArray();
        var library = MetricsExposition.NewRegistry();
        var libraryFamilies = names.Select(n => library.CreateGaugeSnapshot(n, "h", "fibre", "resource", "agent", "name")).ToArray();
        var hand = new HandWritten.MetricRegistry();
        var handFamilies = names.Select(n => hand.CreateGaugeSnapshot(n, "h", "fibre", "resource", "agent", "name")).ToArray();
        var tick = 0;
        void Library()
        {
            var set = sets[tick++ % 2];
            foreach (var family in libraryFamilies)
            {
                family.Publish(set);
            }

            using var buffer = new MemoryStream(8192);
            library.WriteToAsync(buffer).GetAwaiter().GetResult();
        }

        void Hand()
        {
            var set = sets[tick++ % 2].Select(s => new HandWritten.GaugeSample(s.LabelValues, s.Value));
            foreach (var family in handFamilies)
            {
                family.Publish(set);
            }

            var sb = new StringBuilder(8192);
            hand.RenderTo(sb);
            _ = Encoding.UTF8.GetBytes(sb.ToString());
        }

        var handUs = DaemonBenchmark.Median(Hand, 300);
        var libraryUs = DaemonBenchmark.Median(Library, 300);
        var handText = hand.Render();
        var libraryText = library.Render();
        Row($"hand-written, {changed} new", Series(handText), handText, handUs, Allocated(Hand), handUs);
        Row($"prometheus-net, {changed} new", Series(libraryText), libraryText, libraryUs, Allocated(Library), handUs);
    }

    private static int DaemonMemory(string? baseline)
    {
        var current = Path.Combine(BenchmarkRepository.Root, "src", "Sigil.Cli", "bin", "Release", "net10.0");
        Console.WriteLine($"{"daemon at start (dwell, procfs)",-44} {"rss MB",8} {"pss MB",8} {"private MB",11} {"Sigil.Runtime.dll",18} {"Prometheus.*.dll",17}");
        var builds = new List<(string Name, string Directory)>();
        if (baseline is not null)
        {
            builds.Add(("hand-written (--baseline)", baseline));
        }

        builds.Add(("prometheus-net (this build)", current));
        if (builds.Any(b => !File.Exists(Path.Combine(b.Directory, "sigil.dll"))))
        {
            Console.Error.WriteLine($"sigil.dll not found in {string.Join(" or ", builds.Select(b => b.Directory))}: build src/Sigil.Cli -c Release first");
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("sigil-bench-metrics-");
        try
        {
            var descriptor = Path.Combine(work.FullName, "dwell.daemon.json");
            File.WriteAllText(descriptor, DaemonFibreFile.Write(DaemonBenchmark.DwellFibre()));

            // Two rounds, alternating the builds, so that a change in the machine's load falls on both.
            var samples = builds.ToDictionary(b => b.Name, _ => new List<(double Rss, double Pss, double Own)>());
            for (var round = 0; round < 2; round++)
            {
                foreach (var (name, directory) in builds)
                {
                    samples[name].Add(StartAndMeasure(Path.Combine(directory, "sigil.dll"), descriptor, Path.Combine(work.FullName, $"state-{round}-{samples[name].Count}-{name.Length}")));
                }
            }

            foreach (var (name, directory) in builds)
            {
                var s = samples[name];
                var prometheus = Directory.GetFiles(directory, "Prometheus.*.dll").Sum(f => new FileInfo(f).Length);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-44} {Median(s.Select(x => x.Rss)),8:0.0} {Median(s.Select(x => x.Pss)),8:0.0} {Median(s.Select(x => x.Own)),11:0.0} {new FileInfo(Path.Combine(directory, "Sigil.Runtime.dll")).Length,18:N0} {prometheus,17:N0}"));
            }

            Console.WriteLine("each: sigil run, healthy, 3 s, one scrape, then the median of 5 samples 1 s apart; median of 2 rounds; dll sizes in bytes");
            if (baseline is null)
            {
                Console.WriteLine("(no --baseline: the hand-written build is not measured)");
            }
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return 0;
    }

    private static (double Rss, double Pss, double Own) StartAndMeasure(string sigil, string descriptor, string state)
    {
        var port = DaemonBenchmark.FreePort();
        using var daemon = DaemonBenchmark.Start(sigil, "run", descriptor, "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--state-dir", state, "--metrics-url", $"http://127.0.0.1:{port}", "--log-format", "none", "--table", "false");
        DaemonBenchmark.WaitHealthy(port);
        Thread.Sleep(3000);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            _ = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
        }

        var rss = new List<double>();
        var pss = new List<double>();
        var own = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            rss.Add(DaemonBenchmark.Status(daemon.Id, "VmRSS:"));
            var rollup = DaemonBenchmark.Rollup(daemon.Id);
            pss.Add(rollup["Pss"]);
            own.Add(rollup["Private_Clean"] + rollup["Private_Dirty"]);
            Thread.Sleep(1000);
        }

        return (Median(rss), Median(pss), Median(own));
    }

    private static void Row(string name, int series, string text, double us, double allocated, double handUs) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-30} {series,7} {Encoding.UTF8.GetByteCount(text),8} {us,10:0.0} {allocated,9:0} {(handUs > 0 ? us / handUs : 0),7:0.00}x"));

    private static int Series(string text) => text.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    // Bytes allocated per call, over 100 calls after the timing's warm-up.
    private static double Allocated(Action action)
    {
        const int Calls = 100;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            action();
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Calls;
    }

    // The hand-written registry holding the families and samples of an exposition (the per-agent
    // families sigil_price and sigil_load as snapshots, as the daemon registered them).
    private static HandWritten.MetricRegistry Rebuild(string text)
    {
        var registry = new HandWritten.MetricRegistry();
        var families = new List<(string Name, string Help, string Type, List<(string[] Keys, string[] Values, double Value)> Samples)>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', 4);
                families.Add((parts[2], Unescape(parts.Length > 3 ? parts[3] : string.Empty), string.Empty, []));
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families[^1] = families[^1] with { Type = line.Split(' ')[3] };
            }
            else
            {
                families[^1].Samples.Add(ParseSample(line));
            }
        }

        foreach (var (name, help, type, samples) in families.Where(f => f.Samples.Count > 0))
        {
            var keys = samples[0].Keys;
            if (name is "sigil_price" or "sigil_load")
            {
                registry.CreateGaugeSnapshot(name, help, keys).Publish(samples.Select(s => new HandWritten.GaugeSample(s.Values, s.Value)));
            }
            else if (type == "counter")
            {
                var counter = registry.CreateCounter(name, help, keys);
                samples.ForEach(s => counter.WithLabels(s.Values).Add(s.Value));
            }
            else
            {
                var gauge = registry.CreateGauge(name, help, keys);
                samples.ForEach(s => gauge.WithLabels(s.Values).Set(s.Value));
            }
        }

        return registry;
    }

    private static (string[] Keys, string[] Values, double Value) ParseSample(string line)
    {
        var i = line.IndexOfAny(['{', ' ']);
        var keys = new List<string>();
        var values = new List<string>();
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                keys.Add(line[i..equals]);
                i = equals + 2;
                var value = new StringBuilder();
                for (; line[i] != '"'; i++)
                {
                    value.Append(line[i] == '\\' ? line[++i] switch { 'n' => '\n', var c => c } : line[i]);
                }

                values.Add(value.ToString());
                i += line[i + 1] == ',' ? 2 : 1;
            }

            i++;
        }

        return ([.. keys], [.. values], double.Parse(line[(i + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static string Unescape(string help) => help.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
