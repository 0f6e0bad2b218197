using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using Sigil.Runtime.Enforcement;

namespace Sigil.Benchmarks.Daemon;

/// <summary>
/// The daemon on the ransomware fibre (<c>sigil run fibres/ransomware.sigil --sensor kernel</c>,
/// unscoped, observation mode: it never signals anything) under a benign load of file events, and
/// the time from a kernel decision to the operator's log and metrics.
/// Run: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- ransomware-daemon [seconds] [warm-up seconds] [events per second] [trials]</c> (root).
/// </summary>
/// <remarks>
/// The load: four threads of this process write 64 bytes at offset 0 of its own files (created after
/// the program loaded, so the kernel records them as its output and never prices them as damage),
/// 256 files in turn, paced to the asked rate; each write is one run of the behaviour program at
/// ext4's write_begin. The daemon's CPU is its utime + stime from /proc/&lt;pid&gt;/stat over the
/// window, against the same daemon idle in the same run.
/// The decisions: attackers started before the daemon (so each roots its own agent) wait on their
/// standard input; each in turn reads and overwrites three files it did not write, printing
/// CLOCK_MONOTONIC just before each write. The kernel decides at the second file's change (one more
/// destroyed file would reach the kill price). Every decision the daemon logs carries the kernel's
/// time of it (its ring event's bpf_ktime_get_ns, CLOCK_MONOTONIC, "decided at ... s"): latency to
/// the log is the arrival of that line on the daemon's standard error, where it logs (read here as it comes);
/// latency to the metrics is the first scrape (every 5 ms, on its own thread) in which
/// <c>sigil_would_be_actions_total</c> has grown by that decision's rank among the lines logged
/// since the trace began (the daemon counts each decision just before it logs it). Decisions of
/// other processes on the host, while the trials run, are measured alike.
/// </remarks>
internal static partial class RansomwareDaemonBenchmark
{
    private const double TicksPerSecond = 100; // USER_HZ (getconf CLK_TCK)
    private const int Files = 256;
    private const string StandardError = "stderr: ";

    // The attacker: waits for a line, then reads and overwrites each file of its folder in place.
    private const string Attacker = """
        import os, sys, time
        sys.stdin.readline()
        for name in sorted(os.listdir(".")):
            with open(name, "r+b") as f:
                data = f.read()
                f.seek(0)
                print("write", time.monotonic_ns(), flush=True)
                f.write(bytes(b ^ 0x5A for b in data))
            time.sleep(0.05)
        print("done", flush=True)
        """;

    public static int Run(string[] args)
    {
        double Arg(int i, double fallback) => args.Length > i && double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        var seconds = Arg(0, 15);
        var warmUp = Arg(1, 30);
        var rate = Arg(2, 100_000);
        var trials = (int)Arg(3, 8);
        if (Environment.UserName != "root")
        {
            Console.Error.WriteLine("the ransomware-daemon suite needs root (the daemon loads the eBPF program)");
            return 1;
        }

        var sigil = Path.Combine(BenchmarkRepository.Root, "src", "Sigil.Cli", "bin", "Release", "net10.0", "sigil.dll");
        if (!File.Exists(sigil))
        {
            Console.Error.WriteLine("sigil.dll not found: build it first (dotnet build src/Sigil.Cli -c Release)");
            return 1;
        }

        // On ext4 (the program senses ext4 files), inside the repository's artefacts.
        var work = Path.Combine(BenchmarkRepository.Root, "artifacts", "bench", "ransomware-daemon-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        var attackers = new List<AttackerProcess>();
        try
        {
            for (var i = 0; i < trials; i++)
            {
                var folder = Path.Combine(work, "victim-" + i.ToString(CultureInfo.InvariantCulture));
                Directory.CreateDirectory(folder);
                for (var f = 0; f < 3; f++)
                {
                    File.WriteAllBytes(Path.Combine(folder, $"doc{f}.bin"), Enumerable.Repeat((byte)(f + 1), 16_384).ToArray());
                }

                attackers.Add(new AttackerProcess(folder));
            }

            var port = DaemonBenchmark.FreePort();
            using var daemon = new DaemonProcess(sigil, work, port);
            if (!daemon.WaitHealthy(TimeSpan.FromSeconds(60)))
            {
                Console.Error.WriteLine("the daemon did not become healthy:\n" + string.Join('\n', daemon.Lines.Select(l => l.Text).TakeLast(20)));
                return 1;
            }

            Console.WriteLine($"ransomware daemon: sigil run fibres/ransomware.sigil --sensor kernel (unscoped, observation), tick 250 ms; {seconds:0} s per window after {warmUp:0} s of warm-up; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
            Thread.Sleep(TimeSpan.FromSeconds(warmUp));
            var idle = CpuShare(daemon.Id, seconds);

            var seenBefore = DaemonBenchmark.ScrapeSum(port, "sigil_kernel_seen_total");
            double loaded;
            double achieved;
            using (var load = new WriteLoad(Path.Combine(work, "load"), rate))
            {
                Thread.Sleep(1000);
                var writesBefore = load.Writes;
                var clock = Stopwatch.StartNew();
                loaded = CpuShare(daemon.Id, seconds);
                achieved = (load.Writes - writesBefore) / clock.Elapsed.TotalSeconds;
            }

            var seen = DaemonBenchmark.ScrapeSum(port, "sigil_kernel_seen_total") - seenBefore;
            Console.WriteLine();
            Console.WriteLine($"{"window",-48} {"daemon cpu % core",18} {"target",10}");
            Console.WriteLine($"{"idle",-48} {idle * 100,18:0.00} {"-",10}");
            Console.WriteLine($"{$"{achieved / 1000:0}k file events/s (64-byte writes, own files)",-48} {loaded * 100,18:0.00} {(loaded < 0.02 ? "met" : "NOT met"),10}");
            Console.WriteLine($"the kernel counted {seen:N0} program runs seen over the load (with its warm-up); target: daemon under 2% of a core at 100k file events/s");

            // Decisions, one attacker at a time, under the same load; every kernel decision the
            // daemon logs in the meantime (the attackers' and any other process's on this host) is
            // paired with its log line and with its step of the metric.
            List<Decision> decisions;
            List<double> scrapes;
            int attackersSeen;
            using (new WriteLoad(Path.Combine(work, "load2"), rate))
            {
                Thread.Sleep(1000);
                var linesBefore = daemon.Lines.Count;
                using var metric = new MetricTrace(port, "sigil_would_be_actions_total");
                foreach (var attacker in attackers)
                {
                    attacker.Go();
                    attacker.WaitDone(TimeSpan.FromSeconds(10));
                }

                Thread.Sleep(2000);
                decisions = Decisions(daemon.Lines.Skip(linesBefore));
                metric.Pair(decisions);
                scrapes = metric.Scrapes;
                attackersSeen = attackers.Count(a => decisions.Any(d => d.Agent == a.Id));
            }

            var toLog = decisions.Select(static d => d.ToLogMs).ToList();
            var toMetric = decisions.Where(static d => d.ToMetricMs is not null).Select(static d => d.ToMetricMs!.Value).ToList();
            Console.WriteLine();
            Console.WriteLine($"kernel decision -> operator: {decisions.Count} decision(s) logged under the same load ({attackersSeen} of {trials} attackers among them; observation: the kernel's would-be kills), ms from the decision's kernel time (its ring event, CLOCK_MONOTONIC)");
            Console.WriteLine($"{"to",-44} {"n",5} {"median",8} {"p95",8} {"max",8}");
            Console.WriteLine($"{"the daemon's log line (stderr, JSON)",-44} {toLog.Count,5} {Percentile(toLog, 0.5),8} {Percentile(toLog, 0.95),8} {Percentile(toLog, 1),8}");
            Console.WriteLine($"{"sigil_would_be_actions_total (5 ms scrapes)",-44} {toMetric.Count,5} {Percentile(toMetric, 0.5),8} {Percentile(toMetric, 0.95),8} {Percentile(toMetric, 1),8}");
            Console.WriteLine($"{"one scrape of /metrics (request to response)",-44} {scrapes.Count,5} {Percentile(scrapes, 0.5),8} {Percentile(scrapes, 0.95),8} {Percentile(scrapes, 1),8}");
            Console.WriteLine("a step of the metric is timed when the scrape that shows it returns (the daemon counts a decision just before it logs it)");
            Console.WriteLine("a decision wakes the daemon through the wake ring; the target is within one tick (250 ms)");
            return 0;
        }
        finally
        {
            foreach (var attacker in attackers)
            {
                attacker.Dispose();
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // The nearest-rank percentile (1 is the maximum).
    private static string Percentile(List<double> values, double q) =>
        values.Count == 0 ? "-" : values.Order().ElementAt(Math.Max(0, (int)Math.Ceiling(q * values.Count) - 1)).ToString("0.0", CultureInfo.InvariantCulture);

    // The daemon's action lines for kernel decisions, in the order it wrote them (the order it
    // counts them in), each with the kernel's time of the decision ("decided at <s> s") and the
    // line's arrival here.
    private static List<Decision> Decisions(IEnumerable<(long Arrived, string Text)> lines)
    {
        var found = new List<Decision>();
        foreach (var (arrived, line) in lines)
        {
            // The daemon logs on its standard error (DaemonApplication.ConfigureLogging).
            var text = line.StartsWith(StandardError, StringComparison.Ordinal) ? line[StandardError.Length..] : line;
            if (!text.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var e = JsonDocument.Parse(text);
                if (e.RootElement.TryGetProperty("EventId", out var id) && id.GetInt32() is 4 or 5 or 6
                    && e.RootElement.TryGetProperty("State", out var state) && state.TryGetProperty("Detail", out var detail)
                    && DecidedAt().Match(detail.GetString() ?? string.Empty) is { Success: true } at)
                {
                    var kernelNs = (long)Math.Round(double.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture) * 1e9);
                    found.Add(new Decision(state.GetProperty("Pid").GetInt32(), kernelNs, arrived));
                }
            }
            catch (JsonException)
            {
            }
        }

        return found;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"decided at ([0-9]+\.[0-9]+) s")]
    private static partial System.Text.RegularExpressions.Regex DecidedAt();

    /// <summary>A kernel decision the daemon logged: its agent, the kernel's time of it and the log line's arrival (CLOCK_MONOTONIC ns).</summary>
    private sealed record Decision(int Agent, long KernelNs, long LoggedNs)
    {
        public long? CountedNs { get; set; }

        public double ToLogMs => (LoggedNs - KernelNs) / 1e6;

        public double? ToMetricMs => CountedNs is { } counted ? (counted - KernelNs) / 1e6 : null;
    }

    /// <summary>Scrapes one counter every 5 ms on its own thread and keeps the time of each step.</summary>
    private sealed class MetricTrace : IDisposable
    {
        private readonly List<(long At, double Value)> _steps = new();
        private readonly List<double> _scrapes = new();
        private readonly Thread _thread;
        private volatile bool _stop;

        public MetricTrace(int port, string name)
        {
            var start = DaemonBenchmark.ScrapeSum(port, name);
            _steps.Add((Stopwatch.GetTimestamp(), start));
            _thread = new Thread(() =>
            {
                var last = start;
                while (!_stop)
                {
                    var asked = Stopwatch.GetTimestamp();
                    var value = DaemonBenchmark.ScrapeSum(port, name);
                    lock (_steps)
                    {
                        _scrapes.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
                    }

                    if (value != last)
                    {
                        lock (_steps)
                        {
                            _steps.Add((Stopwatch.GetTimestamp(), value));
                        }

                        last = value;
                    }

                    Thread.Sleep(5);
                }
            }) { IsBackground = true, Name = "metric trace" };
            _thread.Start();
        }

        // The n-th decision logged since the trace began is the counter's n-th unit: the daemon
        // counts each decision just before it logs it, in the same order.
        public void Pair(List<Decision> decisions)
        {
            List<(long At, double Value)> steps;
            lock (_steps)
            {
                steps = _steps.ToList();
            }

            var start = steps[0].Value;
            for (var i = 0; i < decisions.Count; i++)
            {
                var step = steps.Skip(1).FirstOrDefault(s => s.Value - start >= i + 1);
                decisions[i].CountedNs = step.At == 0 ? null : step.At;
            }
        }

        /// <summary>How long each scrape took, ms: a step is timed when its scrape returns, so this bounds how late it is seen.</summary>
        public List<double> Scrapes
        {
            get
            {
                lock (_steps)
                {
                    return _scrapes.ToList();
                }
            }
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }

    private static double CpuShare(int pid, double seconds)
    {
        var before = ProcStat.TryRead(pid)?.CpuTicks ?? throw new InvalidOperationException("the daemon exited");
        var clock = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        var after = ProcStat.TryRead(pid)?.CpuTicks ?? throw new InvalidOperationException("the daemon exited");
        return (after - before) / TicksPerSecond / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The daemon, its standard output and error read line by line with each line's arrival (Stopwatch ticks).</summary>
    private sealed class DaemonProcess : IDisposable
    {
        private readonly Process _process;
        private readonly int _port;
        private readonly List<(long Arrived, string Text)> _lines = new();

        public DaemonProcess(string sigil, string work, int port)
        {
            _port = port;
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
            {
                sigil, "run", Path.Combine(BenchmarkRepository.Root, "fibres", "ransomware.sigil"), "--sensor", "kernel", "--tick", "250ms",
                "--log-format", "json", "--table", "false", "--metrics-url", $"http://127.0.0.1:{port}",
                "--state-dir", Path.Combine(work, "state"), "--pin-folder", "none", "--price-page", "none",
            })
            {
                info.ArgumentList.Add(arg);
            }

            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } text)
                {
                    lock (_lines)
                    {
                        _lines.Add((Stopwatch.GetTimestamp(), text));
                    }
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } text)
                {
                    lock (_lines)
                    {
                        _lines.Add((Stopwatch.GetTimestamp(), StandardError + text));
                    }
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public List<(long Arrived, string Text)> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public bool WaitHealthy(TimeSpan timeout)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                try
                {
                    if (http.GetAsync($"http://127.0.0.1:{_port}/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                    {
                        return true;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or System.Threading.Tasks.TaskCanceledException)
                {
                }

                Thread.Sleep(100);
            }

            return false;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Bpf.Syscalls.Kill(_process.Id, 15);
                if (!_process.WaitForExit(30_000))
                {
                    _process.Kill();
                }
            }

            _process.Dispose();
        }
    }

    /// <summary>An attacker waiting on its standard input, started before the daemon: the root of its own agent.</summary>
    private sealed class AttackerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<long> _writes = new();
        private readonly ManualResetEventSlim _done = new();

        public AttackerProcess(string folder)
        {
            var info = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, WorkingDirectory = folder };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(Attacker);
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null || e.Data == "done")
                {
                    _done.Set();
                }
                else if (e.Data.StartsWith("write ", StringComparison.Ordinal))
                {
                    lock (_writes)
                    {
                        _writes.Add(long.Parse(e.Data.AsSpan(6), CultureInfo.InvariantCulture));
                    }
                }
            };
            _process.BeginOutputReadLine();
        }

        public int Id => _process.Id;

        public List<long> Writes
        {
            get
            {
                lock (_writes)
                {
                    return _writes.ToList();
                }
            }
        }

        public void Go()
        {
            _process.StandardInput.WriteLine("go");
            _process.StandardInput.Flush();
        }

        public void WaitDone(TimeSpan timeout) => _done.Wait(timeout);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }

            _process.Dispose();
            _done.Dispose();
        }
    }

    /// <summary>Threads writing 64 bytes at offset 0 of their own files in turn, at a steady rate in all, until disposed.</summary>
    private sealed unsafe class WriteLoad : IDisposable
    {
        private const int Threads = 4;
        private readonly List<Thread> _threads = new();
        private readonly List<int> _fds = new();
        private readonly string _folder;
        private volatile bool _stop;
        private long _writes;

        public WriteLoad(string folder, double perSecond)
        {
            _folder = folder;
            Directory.CreateDirectory(folder);
            for (var i = 0; i < Files; i++)
            {
                var path = Encoding.UTF8.GetBytes(Path.Combine(folder, "own-" + i.ToString(CultureInfo.InvariantCulture)) + "\0");
                fixed (byte* p = path)
                {
                    var fd = Bpf.Syscalls.OpenAt(Bpf.Syscalls.AtFdCwd, p, Bpf.Syscalls.ReadWrite | Bpf.Syscalls.Create, 0x1A4);
                    if (fd < 0)
                    {
                        throw new IOException($"cannot create a file in {folder}");
                    }

                    _fds.Add(fd);
                }
            }

            // Several threads, so that a busy machine still gives the load its rate; they share the count.
            var clock = Stopwatch.StartNew();
            for (var t = 0; t < Threads; t++)
            {
                var first = t;
                var thread = new Thread(() =>
                {
                    var block = stackalloc byte[64];
                    var n = first;
                    while (!_stop)
                    {
                        var due = (long)(clock.Elapsed.TotalSeconds * perSecond);
                        while (Interlocked.Read(ref _writes) < due && !_stop)
                        {
                            Bpf.Syscalls.PWrite(_fds[n % Files], block, 64, 0);
                            n += Threads;
                            Interlocked.Increment(ref _writes);
                        }

                        Thread.Sleep(1);
                    }
                }) { IsBackground = true, Name = "write load" };
                _threads.Add(thread);
                thread.Start();
            }
        }

        public long Writes => Interlocked.Read(ref _writes);

        public void Dispose()
        {
            _stop = true;
            foreach (var thread in _threads)
            {
                thread.Join();
            }

            foreach (var fd in _fds)
            {
                Bpf.Syscalls.Close(fd);
            }

            Directory.Delete(_folder, recursive: true);
        }
    }
}
