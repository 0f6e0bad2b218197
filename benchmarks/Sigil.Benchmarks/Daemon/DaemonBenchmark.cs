using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Metrics;

namespace Sigil.Benchmarks.Daemon;

/// <summary>
/// The daemon's cost on this machine, as a separate process running <c>sigil run</c> on the dwell
/// fibre with the /proc sensor and with the eBPF sensor: CPU (share of one core) and resident
/// memory at idle and under load, against an idle .NET process measured in the same run; and the
/// cost of one /metrics exposition against System.Text.Json writing the same samples.
/// Run: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- daemon [seconds per scenario] [warm-up seconds]</c>,
/// or <c>-- daemon latency</c> for the close-to-action latency alone.
/// </summary>
internal static class DaemonBenchmark
{
    private const double TicksPerSecond = 100; // USER_HZ (getconf CLK_TCK)

    // A daemon is measured once past start-up and tiered compilation (which re-compiles methods
    // as they are called, for the first minute of a loop that ticks four times a second).
    private static TimeSpan s_warmUp = TimeSpan.FromSeconds(45);

    public static int Run(string[] args)
    {
        var repoRoot = BenchmarkRepository.Root;
        var latencyOnly = args.Length > 0 && args[0] == "latency";
        args = latencyOnly ? args[1..] : args;
        var seconds = args.Length > 0 && double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 15;
        s_warmUp = TimeSpan.FromSeconds(args.Length > 1 && double.TryParse(args[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : 45);
        var sigil = FindSigil(repoRoot);
        if (sigil is null)
        {
            Console.Error.WriteLine("sigil.dll not found: build it first (dotnet build src/Sigil.Cli -c Release)");
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("sigil-bench-");
        try
        {
            if (latencyOnly)
            {
                LatencyCost(sigil, work.FullName, trials: 40);
                return 0;
            }

            Console.WriteLine($"Daemon: sigil run on the dwell fibre (the /proc sensor over every process, then the eBPF sensor), tick 250 ms; {seconds:0} s per scenario after {s_warmUp.TotalSeconds:0} s of warm-up; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            ProcessCost(sigil, work.FullName, seconds);
            Console.WriteLine();
            LatencyCost(sigil, work.FullName, trials: 40);
            Console.WriteLine();
            ExpositionCost();
            return 0;
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
    }

    private static void ProcessCost(string sigil, string work, double seconds)
    {
        var descriptor = Path.Combine(work, "dwell.daemon.json");
        File.WriteAllText(descriptor, DaemonFibreFile.Write(DwellFibre()));
        var rows = new List<(string Name, Sample Sample)>();

        using (var baseline = Start(sigil, "workload", "benign", "--dir", Path.Combine(work, "idle"), "--rate", "1"))
        {
            Thread.Sleep(1500);
            rows.Add(("baseline: idle .NET process", Measure(baseline, seconds, null)));
        }

        var port = FreePort();
        using (var daemon = Start(sigil, "run", descriptor, "--sensor", "procfs", "--state-dir", Path.Combine(work, "state"), "--metrics-url", $"http://127.0.0.1:{port}", "--log-format", "none", "--table", "false"))
        {
            WaitHealthy(port);
            Thread.Sleep(s_warmUp);
            rows.Add(("daemon, idle", Measure(daemon, seconds, null)));
            rows.Add(("daemon, idle, scraped every 1 s", Measure(daemon, seconds, port)));

            using var benign = Start(sigil, "workload", "benign", "--dir", Path.Combine(work, "benign"), "--rate", "2000");
            using var holderA = Start(sigil, "workload", "ransomware", "--dir", Path.Combine(work, "holder-a"), "--hold", "1s", "--files", "32");
            using var holderB = Start(sigil, "workload", "ransomware", "--dir", Path.Combine(work, "holder-b"), "--hold", "1s", "--files", "32");
            Thread.Sleep(2000);
            rows.Add(("daemon, load: 2000 opens/s, 2 holders, 1 scrape/s", Measure(daemon, seconds, port)));
        }

        // The same fibre on the eBPF sensor: the kernel senses every openat and close and keeps the
        // prices; the daemon reads the maps once per tick.
        var kernelPort = FreePort();
        string? events = null;
        using (var kernel = Start(sigil, "run", descriptor, "--sensor", "kernel", "--state-dir", Path.Combine(work, "state-kernel"), "--metrics-url", $"http://127.0.0.1:{kernelPort}", "--log-format", "none", "--table", "false"))
        {
            if (TryWaitHealthy(kernelPort))
            {
                Thread.Sleep(s_warmUp);
                rows.Add(("daemon, kernel sensor, idle", Measure(kernel, seconds, null)));
                using (Start(sigil, "workload", "benign", "--dir", Path.Combine(work, "benign-k"), "--rate", "2000"))
                using (Start(sigil, "workload", "ransomware", "--dir", Path.Combine(work, "holder-k"), "--hold", "1s", "--files", "32"))
                {
                    Thread.Sleep(2000);
                    rows.Add(("daemon, kernel sensor, load as above", Measure(kernel, seconds, kernelPort)));
                }

                // 100,000 file events a second: 50,000 openat + close pairs from a thread of this
                // process, which the unscoped kernel sensor sees like any other process's.
                var seenBefore = ScrapeSum(kernelPort, "sigil_kernel_seen_total");
                var droppedBefore = ScrapeSum(kernelPort, "sigil_kernel_dropped_total");
                using (var load = new OpenCloseLoad(Path.Combine(work, "events.txt"), 50_000))
                {
                    Thread.Sleep(1000);
                    var pairsBefore = load.Pairs;
                    var clock = Stopwatch.StartNew();
                    var sample = Measure(kernel, seconds, kernelPort);
                    var rate = (load.Pairs - pairsBefore) / clock.Elapsed.TotalSeconds;
                    rows.Add((string.Create(CultureInfo.InvariantCulture, $"daemon, kernel sensor, {2 * rate / 1000:0}k file events/s"), sample));
                }

                Thread.Sleep(600);
                events = string.Create(CultureInfo.InvariantCulture,
                    $"kernel sensor under the event load: {ScrapeSum(kernelPort, "sigil_kernel_seen_total") - seenBefore:0} program runs counted seen (openat entry and exit, close), {ScrapeSum(kernelPort, "sigil_kernel_dropped_total") - droppedBefore:0} dropped");
            }
            else
            {
                Console.WriteLine("(kernel sensor: the daemon did not start; is dwell.bpf.o built and are bpffs and tracefs mounted?)");
            }
        }

        // The placement daemon (fibres/cache.sigil): the kernel adds every thread's on-CPU slices at
        // each context switch; the daemon solves the placement once a second (dry run).
        var placementPort = FreePort();
        using (var cache = Start(sigil, "run", Path.Combine(BenchmarkRepository.Root, "fibres", "cache.sigil"), "--sensor", "kernel", "--state-dir", Path.Combine(work, "state-cache"), "--metrics-url", $"http://127.0.0.1:{placementPort}", "--log-format", "none", "--table", "false", "--price-page", "none"))
        {
            if (TryWaitHealthy(placementPort))
            {
                Thread.Sleep(s_warmUp);
                rows.Add(("placement daemon (cache), eBPF sensor, idle", Measure(cache, seconds, null)));
                using (StartBusy())
                using (StartBusy())
                {
                    Thread.Sleep(2000);
                    rows.Add(("placement daemon (cache), 2 busy processes, 1 scrape/s", Measure(cache, seconds, placementPort)));
                }
            }
            else
            {
                Console.WriteLine("(placement daemon: it did not start; is cache.bpf.o built?)");
            }
        }

        // The same daemon sensing one process tree (as the demo does): what the /proc scan of the
        // whole host costs is the difference.
        var scopedPort = FreePort();
        using (var scoped = Start(sigil, "run", descriptor, "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--state-dir", Path.Combine(work, "state-scoped"), "--metrics-url", $"http://127.0.0.1:{scopedPort}", "--log-format", "none", "--table", "false"))
        {
            WaitHealthy(scopedPort);
            Thread.Sleep(s_warmUp);
            rows.Add(("daemon, idle, sensing one process tree", Measure(scoped, seconds, null)));
        }

        var baselineSample = rows[0].Sample;
        Console.WriteLine($"{"scenario",-52} {"cpu % core",11} {"rss MB",8} {"pss MB",8} {"private MB",11} {"target",22} {"cpu vs base",12} {"pss vs base",12}");
        foreach (var (name, sample) in rows)
        {
            var underLoad = name.Contains("load", StringComparison.Ordinal) || name.Contains("events", StringComparison.Ordinal) || name.Contains("busy", StringComparison.Ordinal);
            var target = name.StartsWith("baseline", StringComparison.Ordinal) ? "-"
                : (sample.CpuShare < (underLoad ? 0.10 : 0.02) ? "cpu ok" : "cpu MISSED") + (sample.RssMb < 50 ? ", rss ok" : ", rss MISSED");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-52} {sample.CpuShare * 100,11:0.00} {sample.RssMb,8:0.0} {sample.PssMb,8:0.0} {sample.PrivateMb,11:0.0} {target,22} {Ratio(sample.CpuShare, baselineSample.CpuShare),12} {Ratio(sample.PssMb, baselineSample.PssMb),12}"));
        }

        Console.WriteLine("targets: idle under 2% of one core, under load under 10%, resident memory under 50 MB");
        if (events is not null)
        {
            Console.WriteLine(events);
        }

        Console.WriteLine($"this host: {Directory.GetDirectories("/proc").Count(d => char.IsAsciiDigit(Path.GetFileName(d)[0]))} processes, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores; the /proc sensor reads every descriptor of every process once per second");
        Console.WriteLine("rss counts the shared .NET and ASP.NET Core framework pages in full; pss splits them among the processes mapping them; private is the daemon's own");
    }

    /// <summary>
    /// The latency from a close(2) to the daemon's throttle, end to end: this process holds a file
    /// 0.3 s and closes it (one update crosses the throttle price of a small-budget dwell fibre),
    /// then watches its own cgroup until the armed daemon (kernel sensor, scoped to this process)
    /// has moved it into the throttled group; a few short opens bring the price back to 0 and the
    /// daemon releases it before the next trial. The throttle quota is 4 CPUs, so nothing here
    /// really slows down, and the kill price is out of reach.
    /// </summary>
    private static void LatencyCost(string sigil, string work, int trials)
    {
        var fibre = DwellFibre() with
        {
            Rows = [new AgentRow("dwell", 0.1, "hold", 1, "couple @dwell[t] >= $hold[t];")],
            Rules =
            [
                new ActuatorRule(ActionKind.Throttle, "dwell", 0.2, 4, "act throttle(cpu = 400%) when ^dwell[t] >= 0.2;"),
                new ActuatorRule(ActionKind.Kill, "dwell", 100_000, 0, "act kill when ^dwell[t] >= 100000;"),
            ],
        };
        var descriptor = Path.Combine(work, "latency.daemon.json");
        File.WriteAllText(descriptor, DaemonFibreFile.Write(fibre));
        var held = Path.Combine(work, "held.txt");
        File.WriteAllText(held, "x");

        // The cgroup file is opened once and re-read in place: an open and close of this
        // (scoped) process would be a short hold that pulls the price back down.
        using var cgroup = File.OpenHandle("/proc/self/cgroup");
        var buffer = new byte[4096];
        bool Throttled()
        {
            var n = RandomAccess.Read(cgroup, buffer, 0);
            return Encoding.ASCII.GetString(buffer, 0, n).Contains("/sigil/dwell/throttled", StringComparison.Ordinal);
        }

        bool WaitFor(bool throttled, out double milliseconds)
        {
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start).TotalSeconds < 3)
            {
                if (Throttled() == throttled)
                {
                    milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    return true;
                }

                Thread.Sleep(1);
            }

            milliseconds = double.NaN;
            return false;
        }

        Console.WriteLine($"close -> throttle latency (kernel sensor, armed, {trials} trials per loop; resolution about 1 ms; the baseline is the tick-only loop)");
        Console.WriteLine($"{"loop",-34} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"p50/tick",9} {"vs tick only",13} {"missed",7}");
        double? baseline = null;
        foreach (var (tick, wake) in new[] { (250, false), (250, true), (50, false) })
        {
            var port = FreePort();
            var name = $"tick {tick} ms" + (wake ? ", woken by decisions" : ", tick only");
            using var daemon = Start(sigil, "run", descriptor, "--sensor", "kernel", "--arm", "--scope", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                "--wake-on-decision", wake ? "true" : "false",
                "--tick", tick.ToString(CultureInfo.InvariantCulture) + "ms", "--state-dir", Path.Combine(work, $"state-latency-{tick}-{wake}"), "--metrics-url", $"http://127.0.0.1:{port}", "--log-format", "none", "--table", "false");
            if (!TryWaitHealthy(port))
            {
                Console.WriteLine("(the armed kernel daemon did not start: is dwell.bpf.o built, and is this root?)");
                return;
            }

            Thread.Sleep(2000);
            var latencies = new List<double>();
            var missed = 0;
            var phase = new Random(tick);
            for (var i = 0; i < trials; i++)
            {
                // A release happens at a tick: start each trial at a random phase of the tick.
                Thread.Sleep(phase.Next(tick));
                using (var file = File.OpenHandle(held, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                {
                    Thread.Sleep(300);
                }

                if (WaitFor(throttled: true, out var ms))
                {
                    latencies.Add(ms);
                }
                else
                {
                    missed++;
                }

                for (var j = 0; j < 4; j++)
                {
                    File.OpenHandle(held, FileMode.Open, FileAccess.Read, FileShare.ReadWrite).Dispose();
                }

                if (!WaitFor(throttled: false, out _))
                {
                    Console.WriteLine("(the daemon did not release this process; stopping)");
                    break;
                }
            }

            latencies.Sort();
            if (latencies.Count == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {"-",8} {"-",8} {"-",8} {"-",9} {"-",13} {missed,7}"));
                continue;
            }

            var p50 = latencies[latencies.Count / 2];
            var p99 = latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(latencies.Count * 0.99) - 1)];
            baseline ??= p50;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-34} {p50,8:0.0} {p99,8:0.0} {latencies[^1],8:0.0} {p50 / tick,9:0.00} {Ratio(p50, baseline.Value),13} {missed,7}"));
        }

        Console.WriteLine("a kill needs no daemon round trip: the kernel program sends SIGKILL in the close that crosses the kill price");
    }

    internal static double ScrapeSum(int port, string family)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var text = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
        return text.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static void ExpositionCost()
    {
        Console.WriteLine($"{"exposition",-26} {"series",7} {"bytes",8} {"us/scrape",10} {"json us",9} {"vs json",8}");
        foreach (var agents in new[] { 0, 10, 100 })
        {
            var registry = PublishedDwellMetrics(agents, agents + 5);
            var text = registry.Render();
            var series = text.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
            var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => new { line = l[..l.LastIndexOf(' ')], value = l[(l.LastIndexOf(' ') + 1)..] }).ToList();
            var exposition = Median(() =>
            {
                using var buffer = new MemoryStream(8192);
                registry.WriteToAsync(buffer).GetAwaiter().GetResult();
            });
            var json = Median(() => _ = JsonSerializer.SerializeToUtf8Bytes(samples));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"dwell, top {agents} agents",-26} {series,7} {Encoding.UTF8.GetByteCount(text),8} {exposition,10:0.0} {json,9:0.0} {Ratio(exposition, json),8}"));
        }
    }

    /// <summary>
    /// A registry holding the dwell fibre's daemon families after one tick over
    /// <paramref name="agentCount"/> agents (the top <paramref name="topAgents"/> exported) and 50
    /// action outcomes.
    /// </summary>
    internal static Prometheus.CollectorRegistry PublishedDwellMetrics(int topAgents, int agentCount)
    {
        var registry = MetricsExposition.NewRegistry();
        var metrics = new DaemonMetrics(registry, DwellFibre(), "procfs", topAgents);
        var table = new AgentTable(1, 10_000);
        for (var i = 0; i < agentCount; i++)
        {
            var agent = table.Get(1000 + i, (ulong)i, "proc\"" + i)!;
            agent.Prices[0] = i * 0.5;
            agent.Loads[0] = i * 0.1;
            agent.LastActiveTick = 1;
        }

        for (var i = 0; i < 50; i++)
        {
            metrics.Record(new ActionResult(new ActionRequest(ActionKind.Throttle, 1000 + i, "r"), i % 2 == 0 ? ActionStatus.WouldApply : ActionStatus.Refused, "d", RefusalReason.KernelThread));
        }

        metrics.PublishTick(table, new SensorCounters(100, 50, 40, 1), new SolverStepResult(5, 0.1, 0.2), 1, 100, TimeSpan.FromMilliseconds(1));
        return registry;
    }

    internal static double Median(Action action, int repetitions = 2000)
    {
        for (var i = 0; i < 200; i++)
        {
            action();
        }

        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        return times[repetitions / 2];
    }

    /// <summary>CPU share of one core; resident (RSS), proportional (PSS: shared pages split among their users) and private memory, MB.</summary>
    private sealed record Sample(double CpuShare, double RssMb, double PssMb, double PrivateMb);

    private static Sample Measure(Child process, double seconds, int? scrapePort)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var before = Cpu(process.Id);
        var clock = Stopwatch.StartNew();
        var rss = new List<double>();
        var pss = new List<double>();
        var own = new List<double>();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            if (scrapePort is { } port)
            {
                try
                {
                    _ = http.GetStringAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
                }
                catch (HttpRequestException)
                {
                }
            }

            rss.Add(Status(process.Id, "VmRSS:"));
            var rollup = Rollup(process.Id);
            pss.Add(rollup["Pss"]);
            own.Add(rollup["Private_Clean"] + rollup["Private_Dirty"]);
            Thread.Sleep(1000);
        }

        var after = Cpu(process.Id);
        var share = (after - before) / TicksPerSecond / clock.Elapsed.TotalSeconds;
        return new Sample(share, Median(rss), Median(pss), Median(own));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    internal static Dictionary<string, double> Rollup(int pid) =>
        File.ReadLines($"/proc/{pid}/smaps_rollup").Skip(1)
            .Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => double.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024);

    private static double Cpu(int pid) => ProcStat.TryRead(pid) is { } stat ? stat.CpuTicks : throw new InvalidOperationException($"process {pid} exited");

    internal static double Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    }

    private static string Ratio(double value, double baseline) =>
        baseline > 0 ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";

    internal static Child Start(string sigil, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (args[0] == "workload")
        {
            Sigil.Runtime.Workloads.WorkloadEnvironment.Apply(info.Environment);
        }
        info.ArgumentList.Add(sigil);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Child(process);
    }

    private static Child StartBusy()
    {
        var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!;
        return new Child(process);
    }

    internal static void WaitHealthy(int port)
    {
        if (!TryWaitHealthy(port))
        {
            throw new InvalidOperationException("the daemon did not become healthy");
        }
    }

    internal static bool TryWaitHealthy(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (http.GetAsync($"http://127.0.0.1:{port}/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (System.Threading.Tasks.TaskCanceledException)
            {
            }

            Thread.Sleep(100);
        }

        return false;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string? FindSigil(string repoRoot)
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(repoRoot, "src", "Sigil.Cli", "bin", configuration, "net10.0", "sigil.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The dwell fibre as fibres/dwell.sigil compiles (budget 5 s, step 2, throttle at 5, kill at 15).</summary>
    internal static DaemonFibre DwellFibre() => new(
        "dwell",
        "task",
        AgentKeyKind.Pid,
        10240,
        [new AgentRow("dwell", 5, "hold", 1, "couple @dwell[t] >= $hold[t];")],
        [
            new ActuatorRule(ActionKind.Throttle, "dwell", 5, 0.2, "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
            new ActuatorRule(ActionKind.Kill, "dwell", 15, 0, "act kill when ^dwell[t] >= kill_price;"),
        ],
        new SensorDescription("hold", "span", ["syscalls:sys_enter_openat", "syscalls:sys_enter_close"], ["pid", "fd"], 1e9, "sense"),
        2,
        3600,
        1e6,
        [new FibreMetric("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, "s", 5, "metric dwell_seconds_current = mean($hold) target 5;")],
        new Dictionary<string, string> { ["dwell"] = "price_dwell" });

    /// <summary>A thread opening and closing one file at a steady rate until disposed.</summary>
    private sealed class OpenCloseLoad : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _pairs;

        public OpenCloseLoad(string path, double pairsPerSecond)
        {
            File.WriteAllText(path, "x");
            _thread = new Thread(() =>
            {
                var clock = Stopwatch.StartNew();
                while (!_stop)
                {
                    var due = (long)(clock.Elapsed.TotalSeconds * pairsPerSecond);
                    while (Interlocked.Read(ref _pairs) < due)
                    {
                        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite).Dispose();
                        Interlocked.Increment(ref _pairs);
                    }

                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "open-close load" };
            _thread.Start();
        }

        /// <summary>openat + close pairs done so far.</summary>
        public long Pairs => Interlocked.Read(ref _pairs);

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }

    /// <summary>A child process killed (with its children) when disposed.</summary>
    internal sealed class Child(Process process) : IDisposable
    {
        public int Id => process.Id;

        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }
    }
}
