using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.State;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.State;

/// <summary>
/// The real daemon (<c>sigil run</c>, eBPF sensor) killed with SIGKILL again and again and started
/// again: each start restores the price its predecessor's last checkpoint holds into the kernel
/// and carries the counters on, and no checkpoint is ever unreadable.
/// </summary>
[Collection(Sequential.Name)]
public sealed class DaemonKillNineTests(ITestOutputHelper output)
{
    private const int Rounds = 6;

    [Fact]
    public async Task Daemon_KilledWithSigkillInALoop_RestartsWithItsPricesAndCounters()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        var descriptor = dir.Combine("dwell.daemon.json");

        // One 0.6 s hold over a 0.1 s budget prices the child at about 1; nothing moves it after.
        var fibre = Fixtures.Dwell(budget: 0.1, step: 2, throttle: 50, kill: 100);
        File.WriteAllText(descriptor, DaemonFibreFile.Write(fibre));
        var kernelObject = KernelObjects.DwellFor(fibre);
        using var child = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"read go; exec 3<'{dir.Combine("held")}'; sleep 0.6; exec 3<&-; sleep 300"]) { RedirectStandardInput = true })!;
        var state = dir.Combine("state");
        var store = new CheckpointStore(state, "dwell");
        var random = new Random(7);
        Process? daemon = null;
        try
        {
            int port;
            (daemon, port) = await StartAsync(descriptor, kernelObject, child.Id, state, dir.Combine("dwell.prices"));
            child.StandardInput.WriteLine("go");
            child.StandardInput.Flush();
            var price = await WaitForAsync(port, m => Price(m, child.Id) > 0 && Counter(m, "sigil_checkpoints_total") >= 2);
            var held = Price(price, child.Id);
            Assert.InRange(held, 0.9, 1.2);
            double savedTicks = 0;
            for (var round = 0; round < Rounds; round++)
            {
                // Killed at a random moment of its loop, with no chance to save or clean up.
                await Task.Delay(random.Next(50, 600));
                daemon.Kill();
                await daemon.WaitForExitAsync();

                var loaded = store.Load();
                Assert.Empty(loaded.Problems);
                Assert.NotNull(loaded.State);
                var checkpoint = loaded.State!;
                Assert.Equal(held, checkpoint.Prices.Single(p => p.Agent == child.Id).Price);
                var ticks = checkpoint.Counters.Single(c => c.Name == "sigil_ticks_total").Value;
                Assert.True(ticks >= savedTicks, $"round {round}: the checkpoint's ticks went back from {savedTicks} to {ticks}");
                savedTicks = ticks;

                // The next daemon restores the price into the kernel and carries the counters on.
                (daemon, port) = await StartAsync(descriptor, kernelObject, child.Id, state, dir.Combine("dwell.prices"));
                // (Its first ticks show the restored price, and the counters' totals already include the old ones.)
                var metrics = await WaitForAsync(port, m => Price(m, child.Id) > 0);
                Assert.Equal(held, Price(metrics, child.Id));
                Assert.True(Counter(metrics, "sigil_ticks_total") >= ticks, $"round {round}: {Counter(metrics, "sigil_ticks_total")} ticks after the restart, {ticks} in the checkpoint");
                output.WriteLine($"round {round}: checkpoint {checkpoint.Sequence} ({loaded.Source}), {ticks} ticks, price {held} restored");
            }

            daemon.Kill(); // SIGKILL, then a clean stop of a last daemon
            await daemon.WaitForExitAsync();
            var last = Process.Start(Info(descriptor, kernelObject, child.Id, state, dir.Combine("dwell.prices"), Ports.FreeLoopbackPort(), "--duration", "2s"))!;
            await last.WaitForExitAsync();
            Assert.Equal(0, last.ExitCode);
            Assert.Equal(held, store.Load().State!.Prices.Single(p => p.Agent == child.Id).Price);
        }
        finally
        {
            if (daemon is { HasExited: false })
            {
                daemon.Kill();
            }

            child.Kill(entireProcessTree: true);
        }
    }

    private static ProcessStartInfo Info(string descriptor, string kernelObject, int scope, string state, string page, int port, params string[] more)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            ProcessRunner.SigilDll, "run", descriptor, "--sensor", "kernel", "--scope", scope.ToString(CultureInfo.InvariantCulture),
            "--state-dir", state, "--checkpoint-interval", "200ms", "--tick", "100ms", "--price-page", page,
            "--metrics-url", $"http://127.0.0.1:{port}", "--log-format", "none", "--table", "false",
            "--bpf-object", kernelObject,
        }.Concat(more))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static async Task<(Process Daemon, int Port)> StartAsync(string descriptor, string kernelObject, int scope, string state, string page)
    {
        var port = Ports.FreeLoopbackPort();
        var daemon = Process.Start(Info(descriptor, kernelObject, scope, state, page, port))!;
        daemon.OutputDataReceived += static (_, _) => { };
        daemon.ErrorDataReceived += static (_, _) => { };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        await WaitForAsync(port, _ => true);
        return (daemon, port);
    }

    private static async Task<string> WaitForAsync(int port, Func<string, bool> done)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                if (done(text))
                {
                    return text;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the daemon on port {port} did not get there in 30 s");
    }

    private static double Price(string metrics, int agent) => Samples(metrics, "sigil_price").Where(s => s.Line.Contains($"agent=\"{agent}\"", StringComparison.Ordinal)).Select(s => s.Value).DefaultIfEmpty(0).Single();

    private static double Counter(string metrics, string family) => Samples(metrics, family).Sum(s => s.Value);

    private static IEnumerable<(string Line, double Value)> Samples(string metrics, string family) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(family + "{", StringComparison.Ordinal) || l.StartsWith(family + " ", StringComparison.Ordinal))
            .Select(l => (l, double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)));
}
