using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.State;

namespace Sigil.Benchmarks.Security;

/// <summary>
/// What the defences against a hostile local user cost: a checkpoint saved through the state
/// directory's descriptor (exclusive create, no link followed, renameat) against the same save by
/// path as before; the price page's per-tick publish (unchanged: checks run when the page is
/// made, not per tick); and 1,000 concurrent scrapes of a metrics server with the connection
/// limits. Run: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- security</c>.
/// The hook's price-0 path is the same inline load as before (only the refresher thread reads the
/// page); the <c>llvm</c> suite measures the copy workload with it.
/// </summary>
internal static class SecurityBenchmark
{
    public static int Run(string[] args)
    {
        var rounds = args.Length > 0 && int.TryParse(args[0], out var r) ? r : 100;
        var work = Directory.CreateTempSubdirectory("sigil-bench-security-");
        try
        {
            Console.WriteLine($"Security checks: {rounds} checkpoint saves each way, page publishes, 1,000 concurrent scrapes; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine($"{"measure",-58} {"median",12} {"p90",12}");
            var state = StateOf(200);
            Row("checkpoint save, by directory descriptor (now)", Time(rounds, SaveSecure(Path.Combine(work.FullName, "secure"), state)), "us");
            Row("checkpoint save, by path (before)", Time(rounds, SaveByPath(Path.Combine(work.FullName, "path"), state)), "us");
            Row("checkpoint load, owner and mode checked (now)", Time(rounds, LoadSecure(Path.Combine(work.FullName, "secure"))), "us");
            using (var page = new SharedPricePage(Path.Combine(work.FullName, "bench.prices"), 20, 1024))
            {
                var prices = Enumerable.Range(1000, 1000).Select(p => (p, 1.5)).ToList();
                page.Publish(prices);
                Row("price page publish in place, 1,000 priced (per tick)", Time(rounds * 10, () => page.Publish(prices)), "us");
            }

            Scrapes(work.FullName);
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static DaemonState StateOf(int prices) => new(
        "bench", 1, 0,
        [.. Enumerable.Range(1, prices).Select(p => new PriceState("dwell", p, (ulong)p, p * 0.5))],
        [new CounterState("sigil_ticks_total", 1)]);

    private static Action SaveSecure(string directory, DaemonState state)
    {
        var store = new CheckpointStore(directory, "bench");
        return () => store.Save(state);
    }

    private static Action LoadSecure(string directory)
    {
        var store = new CheckpointStore(directory, "bench");
        return () => store.Load();
    }

    // The save as it was: paths, which follow links.
    private static Action SaveByPath(string directory, DaemonState state)
    {
        Directory.CreateDirectory(directory);
        var current = Path.Combine(directory, "bench.state");
        return () =>
        {
            var bytes = CheckpointFormat.Encode(state);
            using (var stream = new FileStream(current + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(current))
            {
                File.Move(current, current + ".prev", overwrite: true);
            }

            File.Move(current + ".tmp", current, overwrite: false);
            // The directory's fsync, as the old DirectorySync did it (open, fsync, close).
            using var dir = Sigil.Runtime.Security.SecureDirectory.Open(directory, 0x1C0);
            dir.Sync();
        };
    }

    private static void Scrapes(string work)
    {
        var fibre = DaemonFibre();
        var options = new DaemonOptions { MetricsUrl = "http://127.0.0.1:0", LogFormat = LogFormat.None, StateDirectory = Path.Combine(work, "scrape-state") };
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        var app = DaemonApplication.Build(new DaemonParts(fibre, new IdleSensor(), new SensedDualStep(fibre), enforcer, null, null), options);
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var server = app.MetricsServer!;
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1000 };
            using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
            for (var round = 1; round <= 3; round++)
            {
                var clock = Stopwatch.StartNew();
                var answers = Task.WhenAll(Enumerable.Range(0, 1000).Select(async _ =>
                {
                    try
                    {
                        return (await http.GetAsync("/metrics")).StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                })).GetAwaiter().GetResult();
                Console.WriteLine($"{$"1,000 concurrent scrapes, round {round} (limit {server.MaxConnections} connections)",-58} {answers.Count(a => a),8} ok {clock.Elapsed.TotalMilliseconds,9:0} ms");
            }
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static List<double> Time(int rounds, Action action)
    {
        action();
        var times = new List<double>(rounds);
        for (var i = 0; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMicroseconds);
        }

        return times;
    }

    private static void Row(string name, List<double> microseconds, string unit)
    {
        microseconds.Sort();
        Console.WriteLine($"{name,-58} {microseconds[microseconds.Count / 2],9:0.0} {unit} {microseconds[(int)(microseconds.Count * 0.9)],9:0.0} {unit}");
    }

    private static DaemonFibre DaemonFibre() => new(
        "dwell", "task", AgentKeyKind.Pid, 1024,
        [new AgentRow("dwell", 5, "hold", 1, "couple")],
        [new ActuatorRule(ActionKind.Throttle, "dwell", 5, 0.2, "throttle")],
        new SensorDescription("hold", "span", [], [], 1e9, "sense"),
        2, 3600, 1 << 20, [], new Dictionary<string, string> { ["dwell"] = "price_dwell" });

    private sealed class IdleSensor : ISensor
    {
        public string Name => "idle";

        public string Description => "senses nothing";

        public SensorFrame Sense() => new("hold", [], default);

        public void Dispose()
        {
        }
    }
}
