using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.State;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Security;

/// <summary>
/// The daemon as a process (<c>sigil run</c>), attacked by nobody: a planted appsettings.json and
/// environment variables that would add a listener, and 20,000 idle connections to the metrics
/// port while a throttle must still happen on time.
/// </summary>
[Collection(Sequential.Name)]
public sealed class DaemonProcessAttackTests
{
    private readonly ITestOutputHelper _output;

    public DaemonProcessAttackTests(ITestOutputHelper output) => _output = output;

    private static ProcessStartInfo Daemon(string workingDirectory, string descriptor, int scope, string state, int port, params string[] more)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in new[]
        {
            ProcessRunner.SigilDll, "run", descriptor, "--sensor", "kernel", "--scope", scope.ToString(CultureInfo.InvariantCulture),
            "--state-dir", state, "--tick", "100ms", "--price-page", "none", "--pin-folder", "none",
            "--metrics-url", $"http://127.0.0.1:{port}", "--log-format", "simple", "--table", "false",
        }.Concat(more))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task<bool> ServesAsync(int port, string path = "/metrics")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}{path}")).IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitServingAsync(int port, Process daemon, List<string> log)
    {
        var clock = Stopwatch.StartNew();
        while (!await ServesAsync(port))
        {
            Assert.False(daemon.HasExited, "the daemon exited: " + string.Join('\n', log));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the daemon did not serve in 30 s: " + string.Join('\n', log));
            await Task.Delay(100);
        }
    }

    private static Process Start(ProcessStartInfo info, List<string> log)
    {
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.Add(e.Data ?? string.Empty); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.Add(e.Data ?? string.Empty); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [AttackFact]
    public async Task PlantedAppSettingsAndEnvironment_AddNoListener()
    {
        using var dir = new TempDirectory();
        var descriptor = dir.Combine("dwell.daemon.json");
        var fibre = Fixtures.Dwell();
        File.WriteAllText(descriptor, DaemonFibreFile.Write(fibre));
        var port = Ports.FreeLoopbackPort();
        var planted = Ports.FreeLoopbackPort();
        var fromEnvironment = Ports.FreeLoopbackPort();
        var url = $"http://127.0.0.1:{planted}";
        File.WriteAllText(dir.Combine("appsettings.json"), "{\"Urls\":\"" + url + "\",\"Kestrel\":{\"Endpoints\":{\"x\":{\"Url\":\"" + url + "\"}}}}");
        using var child = Sacrificial.Sleeper();
        var info = Daemon(dir.Path, descriptor, child.Pid, dir.Combine("state"), port, "--bpf-object", KernelObjects.DwellFor(fibre));
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{fromEnvironment}";
        info.Environment["Kestrel__Endpoints__y__Url"] = $"http://127.0.0.1:{fromEnvironment}";
        var log = new List<string>();
        using var daemon = Start(info, log);
        try
        {
            await WaitServingAsync(port, daemon, log);
            Assert.False(Listening(planted), "an appsettings.json in the working directory added a listener");
            Assert.False(Listening(fromEnvironment), "an environment variable added a listener");
        }
        finally
        {
            daemon.Kill();
            await daemon.WaitForExitAsync();
        }
    }

    /// <summary>
    /// The daemon's descriptor limit in the flood test (soft and hard): a fifth of this machine's,
    /// so that a server without a connection limit runs out within the seconds the test allows.
    /// </summary>
    private const int DaemonDescriptors = 4096;

    /// <summary>
    /// Nobody opens 20,000 connections to the metrics port, each one established (the handshake
    /// done, so the daemon has accepted it or holds it in its accept queue), and holds them idle;
    /// the daemon (with <see cref="DaemonDescriptors"/> descriptors) must still throttle a process
    /// whose price crosses the threshold, within a second, write a checkpoint that records the
    /// throttle while the connections are held, and be alive and healthy afterwards. Without
    /// Kestrel's connection limit the accepted connections take every descriptor: the throttle
    /// and the checkpoints fail.
    /// </summary>
    [AttackFact]
    public async Task ConnectionFlood_DoesNotStopAThrottle()
    {
        using var dir = new TempDirectory();
        Hostile.Traversable(dir.Path);
        var descriptor = dir.Combine("dwell.daemon.json");
        var state = dir.Combine("state");

        // One 0.6 s hold over a 0.1 s budget prices the child at about 1: throttled at 0.5.
        var fibre = Fixtures.Dwell(budget: 0.1, step: 2, throttle: 0.5, kill: 100);
        File.WriteAllText(descriptor, DaemonFibreFile.Write(fibre));
        File.WriteAllText(dir.Combine("held"), "x");
        using var child = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"read go; exec 3<'{dir.Combine("held")}'; sleep 0.6; exec 3<&-; sleep 300"]) { RedirectStandardInput = true })!;
        var port = Ports.FreeLoopbackPort();
        var log = new List<string>();
        var limited = Daemon(dir.Path, descriptor, child.Id, state, port, "--arm", "--checkpoint-interval", "200ms", "--bpf-object", KernelObjects.DwellFor(fibre));
        limited.ArgumentList.Insert(0, limited.FileName);
        limited.ArgumentList.Insert(0, "--");
        limited.ArgumentList.Insert(0, $"--nofile={DaemonDescriptors}:{DaemonDescriptors}");
        limited.FileName = "prlimit";
        using var daemon = Start(limited, log);

        // Each attacker fires its connections at once (non-blocking; a SYN that finds the accept
        // queue full is retried by the kernel after 1, 3, 7 s) and counts the handshakes done
        // (accepted by the daemon or queued for it) until all are done or 8 s have passed. Each binds
        // its own source address in 127/8, so ports that earlier floods left in TIME_WAIT are not in
        // the way.
        var flood = dir.Combine("flood.py");
        File.WriteAllText(flood, $$"""
            import select, socket, sys, time
            source, count = sys.argv[1], int(sys.argv[2])
            held, pending, established = [], {}, 0
            poller = select.poll()
            def collect(timeout):
                global established
                for fd, _ in poller.poll(timeout):
                    s = pending.pop(fd, None)
                    if s is not None:
                        poller.unregister(fd)
                        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                            established += 1
            for i in range(count):
                s = socket.socket()
                s.setblocking(False)
                s.bind((source, 0))
                try:
                    s.connect(("127.0.0.1", {{port}}))
                except BlockingIOError:
                    pass
                held.append(s)
                pending[s.fileno()] = s
                poller.register(s.fileno(), select.POLLOUT)
                if i % 250 == 249:
                    collect(0)
            deadline = time.monotonic() + 8
            while pending and time.monotonic() < deadline:
                collect(100)
            print(len(held), established, flush=True)
            sys.stdin.read()
            """);
        var attackers = new List<Process>();
        try
        {
            await WaitServingAsync(port, daemon, log);
            var limits = File.ReadAllLines($"/proc/{daemon.Id}/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(limits[3], limits[4]); // the soft limit raised to the hard one

            // Two attackers of 10,000 connections each: this machine's hard descriptor limit
            // (20,000) is below 20,000 sockets and a process's own files, and a container's root
            // may not raise it.
            Assert.Equal(DaemonDescriptors.ToString(CultureInfo.InvariantCulture), limits[3]);
            var flooding = Stopwatch.StartNew();
            for (var i = 0; i < 2; i++)
            {
                var source = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";
                var info = new ProcessStartInfo("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", flood, source, "10000"])
                {
                    UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true,
                };
                attackers.Add(Process.Start(info)!);
            }

            var established = 0;
            foreach (var attacker in attackers)
            {
                var counts = (await attacker.StandardOutput.ReadLineAsync())?.Split(' ');
                Assert.Equal("10000", counts?[0]);
                established += int.Parse(counts![1], CultureInfo.InvariantCulture);
            }

            // Enough to take every descriptor of a server without a connection limit.
            Assert.True(established >= DaemonDescriptors, $"only {established} connections established");
            var descriptors = Directory.GetFiles($"/proc/{daemon.Id}/fd").Length;
            var figures = $"20,000 connections in {flooding.Elapsed.TotalSeconds:F1} s, {established} established (accepted by the daemon or queued for it); the daemon then held {descriptors} descriptors (limit {limits[3]}), {log.Count} log lines";

            child.StandardInput.WriteLine("go");
            child.StandardInput.Flush();
            var clock = Stopwatch.StartNew();
            var throttledAt = TimeSpan.Zero;
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                if (File.ReadAllText($"/proc/{child.Id}/cgroup").Contains("/sigil/dwell/throttled-", StringComparison.Ordinal))
                {
                    throttledAt = clock.Elapsed;
                    break;
                }

                await Task.Delay(20);
            }

            Assert.False(daemon.HasExited, $"the daemon died under the flood ({figures}): " + string.Join('\n', log.TakeLast(20)));
            Assert.True(throttledAt > TimeSpan.Zero, $"no throttle under the flood ({figures}): " + string.Join('\n', log.TakeLast(20)));

            // The price reaches 0.5 once the hold is 0.35 s old (2 * (0.35 - 0.1)), charged by the
            // kernel's hold timer while the file is open or at the close 0.6 s after go; the throttle
            // follows within a second of the close.
            _output.WriteLine($"{figures}; throttled {throttledAt.TotalSeconds:F2} s after go");
            Assert.InRange(throttledAt, TimeSpan.FromSeconds(0.35), TimeSpan.FromSeconds(1.6));

            // A checkpoint (every 200 ms) that records the throttle, written while the flood is held.
            var recorded = false;
            var checkpoint = Path.Combine(state, "dwell.state");
            while (!recorded && clock.Elapsed < throttledAt + TimeSpan.FromSeconds(3))
            {
                await Task.Delay(100);
                try
                {
                    recorded = CheckpointFormat.TryDecode(File.ReadAllBytes(checkpoint), out var saved, out _)
                        && saved!.Throttled is { } throttled && throttled.Any(t => t.Agent == child.Id);
                }
                catch (IOException)
                {
                    // Renamed while read: the next one.
                }
            }

            Assert.True(recorded, $"no checkpoint recorded the throttle under the flood ({figures}): " + string.Join('\n', log.TakeLast(20)));
            Assert.All(attackers, a => Assert.False(a.HasExited));
            foreach (var attacker in attackers)
            {
                attacker.StandardInput.Close();
                await attacker.WaitForExitAsync();
            }

            var healthy = Stopwatch.StartNew();
            while (!await ServesAsync(port, "/healthz") && healthy.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
            }

            Assert.True(await ServesAsync(port, "/healthz"), "unhealthy after the flood: " + string.Join('\n', log.TakeLast(20)));
            lock (log)
            {
                Assert.DoesNotContain(log, l => l.Contains("checkpoint", StringComparison.OrdinalIgnoreCase) && l.Contains("fail", StringComparison.OrdinalIgnoreCase));
            }
        }
        finally
        {
            foreach (var attacker in attackers.Where(a => !a.HasExited))
            {
                attacker.Kill();
            }

            if (!daemon.HasExited)
            {
                // A clean stop releases the throttled child and removes the daemon's cgroup.
                Signals.Kill(daemon.Id, Signals.SIGTERM);
                if (!daemon.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    daemon.Kill();
                }
            }

            child.Kill(entireProcessTree: true);
        }
    }
}
