using System.Net;
using System.Net.Http;
using System.Text.Json;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Daemon.Tests.Metrics;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.Hosting;

[Collection(Sequential.Name)]
public sealed class HostTests
{
    private static async Task<(DaemonApplication App, ScriptedSensor Sensor, TempDirectory State)> StartAsync(string metricsUrl = "http://127.0.0.1:0")
    {
        var fibre = Fixtures.Dwell();
        var sensor = new ScriptedSensor();
        var state = new TempDirectory();
        var options = new DaemonOptions { MetricsUrl = metricsUrl, Tick = TimeSpan.FromMilliseconds(50), CheckpointInterval = TimeSpan.FromMilliseconds(200), LogFormat = LogFormat.None, StateDirectory = state.Path };
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        var app = DaemonApplication.Build(new DaemonParts(fibre, sensor, new SensedDualStep(fibre), enforcer, null, new CheckpointStore(state.Path, fibre.Name)), options);
        await app.StartAsync();
        return (app, sensor, state);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task MetricsEndpoint_OnLoopback_ServesStrictExposition_AndHealth()
    {
        using var child = Sacrificial.Sleeper();
        var (app, sensor, state) = await StartAsync();
        using var _ = state;
        await using var __ = app;
        sensor.Enqueue(new AgentObservation(child.Pid, ProcStat.TryRead(child.Pid)!.StartTime, "sleep \"quoted\"\\", [8]));
        await WaitUntilAsync(() => app.Engine.Agents.Find(child.Pid) is not null, TimeSpan.FromSeconds(5), "the first sample");

        var address = app.MetricsServer!.Address!;
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };

        var metrics = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        var text = await metrics.Content.ReadAsStringAsync();
        var families = StrictExpositionParser.Parse(text);
        Assert.Equal(8, families.Single(f => f.Name == "dwell_seconds_current").Samples.Single().Value);
        var price = families.Single(f => f.Name == "sigil_price").Samples.Single();
        Assert.Equal((6.0, "sleep \"quoted\"\\"), (price.Value, price.Label("name")));
        Assert.Equal(1, families.Single(f => f.Name == "sigil_would_be_actions_total").Samples.Single(s => s.Label("kind") == "throttle").Value);
        Assert.Equal(0, families.Single(f => f.Name == "sigil_armed").Samples.Single().Value);
        Assert.Equal(5, families.Single(f => f.Name == "sigil_budget").Samples.Single().Value);
        Assert.Contains(families, f => f.Name == "sigil_kernel_seen_total" && f.Samples.Single().Label("sensor") == "scripted");
        Assert.True(families.Single(f => f.Name == "sigil_ticks_total").Samples.Single().Value >= 1);
        Assert.True(families.Single(f => f.Name == "sigil_solver_iterations_total").Samples.Single().Value >= 1);
        var promtool = await ProcessRunner.RunAsync("/usr/bin/promtool", ["check", "metrics"], standardInput: text);
        Assert.True(promtool.ExitCode == 0, ProcessRunner.Describe(promtool));

        var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/other")).StatusCode);

        // Loopback only: the port is not reachable on another local address.
        var other = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (other is not null)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => tcp.ConnectAsync(other, address.Port));
        }

        await app.StopAsync();
    }

    [Fact]
    public async Task Stop_WritesAFinalCheckpoint_ThatANewDaemonRestores()
    {
        using var child = Sacrificial.Sleeper();
        var (app, sensor, state) = await StartAsync();
        using var _ = state;
        sensor.Enqueue(new AgentObservation(child.Pid, ProcStat.TryRead(child.Pid)!.StartTime, "sleep", [8]));
        await WaitUntilAsync(() => app.Engine.Agents.Find(child.Pid) is not null, TimeSpan.FromSeconds(5), "the first sample");
        await app.StopAsync();
        var sequence = app.Service.Sequence;
        await app.DisposeAsync();

        var loaded = new CheckpointStore(state.Path, "dwell").Load();
        Assert.Equal(sequence, loaded.State!.Sequence);
        Assert.Equal(6, loaded.State.Prices.Single(p => p.Agent == child.Pid).Price);

        var (again, _, state2) = await StartAsync();
        using var ___ = state2;
        await using var ____ = again;
        Assert.Equal(1, again.Engine.Restore(loaded.State));
        Assert.Equal(6, again.Engine.Agents.Find(child.Pid)!.Prices[0]);
        await again.StopAsync();
    }

    [Fact]
    public async Task Health_AfterTheLoopStalls_Is503()
    {
        var health = new DaemonHealth(TimeSpan.FromMilliseconds(10));
        Assert.False(health.Check().Healthy);
        health.Beat();
        Assert.True(health.Check().Healthy);
        await Task.Delay(1200);
        var (healthy, text) = health.Check();
        Assert.False(healthy);
        Assert.StartsWith("stalled", text);
        health.Fail("boom");
        Assert.Equal("failed: boom", health.Check().Text);
    }

    [Fact]
    public async Task Prometheus_ScrapesTheDaemon_AndAnswersDwellSecondsCurrent()
    {
        Assert.True(File.Exists("/usr/bin/prometheus"), "prometheus (Debian package) is installed by eng/setup.sh");
        using var child = Sacrificial.Sleeper();
        var (app, sensor, state) = await StartAsync();
        using var _ = state;
        await using var __ = app;
        sensor.Enqueue(new AgentObservation(child.Pid, ProcStat.TryRead(child.Pid)!.StartTime, "sleep", [7.5]));
        var target = app.MetricsServer!.Address!;

        using var work = new TempDirectory();
        var webPort = Ports.FreeLoopbackPort();
        var config = work.Combine("prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sigil
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ["127.0.0.1:{target.Port}"]
            """);
        using var prometheus = ProcessRunner.Start(
            "/usr/bin/prometheus",
            $"--config.file={config}",
            $"--storage.tsdb.path={work.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{webPort}",
            "--log.level=warn");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(40);
            double? value = null;
            string last = string.Empty;
            while (value is null && DateTime.UtcNow < deadline && !prometheus.HasExited)
            {
                await Task.Delay(500);
                try
                {
                    last = await http.GetStringAsync("/api/v1/query?query=dwell_seconds_current");
                }
                catch (HttpRequestException)
                {
                    continue;
                }

                using var json = JsonDocument.Parse(last);
                var result = json.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    var sample = result[0];
                    Assert.Equal("dwell", sample.GetProperty("metric").GetProperty("fibre").GetString());
                    Assert.Equal("sigil", sample.GetProperty("metric").GetProperty("job").GetString());
                    value = double.Parse(sample.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            Assert.False(prometheus.HasExited, "prometheus exited early");
            Assert.True(value is not null, "prometheus never returned dwell_seconds_current; last answer: " + last);
            Assert.Equal(7.5, value!.Value);

            var up = await http.GetStringAsync("/api/v1/query?query=up");
            Assert.Contains("\"1\"]", up);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            prometheus.WaitForExit(10_000);
        }

        await app.StopAsync();
    }
}
