using Sigil.Daemon.Tests.Infrastructure;
using Prometheus;
using Sigil.Runtime.Metrics;

namespace Sigil.Daemon.Tests.Metrics;

public sealed class ExpositionTests
{
    private static CollectorRegistry TrickyRegistry()
    {
        var registry = MetricsExposition.NewRegistry();
        var actions = registry.CreateCounter("sigil_actions_total", "Actions taken, by kind.\nSecond line with a \\ backslash.", "fibre", "kind");
        actions.WithLabels("dwell", "throttle").Inc(3);
        actions.WithLabels("dwell", "kill").Inc();
        var price = registry.CreateGauge("sigil_price", "Price \"quoted\" per resource.", "fibre", "resource");
        price.WithLabels("dwell", "quote\"d").Set(double.NaN);
        price.WithLabels("dwell", "back\\slash").Set(double.PositiveInfinity);
        price.WithLabels("dwell", "new\nline").Set(double.NegativeInfinity);
        price.WithLabels("dwell", "plain").Set(1e-300);
        price.WithLabels("dwell", "üñïçødé").Set(-0.5);
        registry.CreateGauge("dwell_seconds_current", "Mean hold.").WithLabels().Set(4.25);
        var agents = registry.CreateGaugeSnapshot("sigil_agent_price", "Top agents.", "fibre", "agent");
        agents.Publish([new(["dwell", "42"], 7.5), new(["dwell", "100"], 1), new(["dwell", "other"], 0.125)]);
        return registry;
    }

    [Fact]
    public void Registry_Render_IsStrictlyValid_AndRoundTrips()
    {
        var text = TrickyRegistry().Render();
        var families = StrictExpositionParser.Parse(text);

        // prometheus-net writes families in registration order and series in creation order.
        Assert.Equal(["sigil_actions_total", "sigil_price", "dwell_seconds_current", "sigil_agent_price"], families.Select(f => f.Name));
        var actions = families.Single(f => f.Name == "sigil_actions_total");
        Assert.Equal("counter", actions.Type);
        Assert.Equal("Actions taken, by kind.\nSecond line with a \\ backslash.", actions.Help);
        Assert.Equal([3.0, 1.0], actions.Samples.Select(s => s.Value));
        Assert.Equal(["throttle", "kill"], actions.Samples.Select(s => s.Label("kind")));

        var price = families.Single(f => f.Name == "sigil_price");
        Assert.Equal("Price \"quoted\" per resource.", price.Help);
        var byResource = price.Samples.ToDictionary(s => s.Label("resource")!, s => s.Value);
        Assert.True(double.IsNaN(byResource["quote\"d"]));
        Assert.Equal(double.PositiveInfinity, byResource["back\\slash"]);
        Assert.Equal(double.NegativeInfinity, byResource["new\nline"]);
        Assert.Equal(1e-300, byResource["plain"]);
        Assert.Equal(-0.5, byResource["üñïçødé"]);

        Assert.Equal(["42", "100", "other"], families.Single(f => f.Name == "sigil_agent_price").Samples.Select(s => s.Label("agent")));
        Assert.Equal(4.25, families.Single(f => f.Name == "dwell_seconds_current").Samples.Single().Value);
    }

    [Fact]
    public void Registry_Render_EscapesExactly()
    {
        var text = TrickyRegistry().Render();
        Assert.Contains("# HELP sigil_actions_total Actions taken, by kind.\\nSecond line with a \\\\ backslash.\n", text);
        Assert.Contains("# HELP sigil_price Price \"quoted\" per resource.\n", text);
        Assert.Contains("sigil_price{fibre=\"dwell\",resource=\"quote\\\"d\"} NaN\n", text);
        Assert.Contains("sigil_price{fibre=\"dwell\",resource=\"back\\\\slash\"} Infinity\n", text);
        Assert.Contains("sigil_price{fibre=\"dwell\",resource=\"new\\nline\"} -Infinity\n", text);
        Assert.Contains("sigil_price{fibre=\"dwell\",resource=\"plain\"} 1e-300\n", text);
        Assert.Contains("# TYPE sigil_actions_total counter\n", text);
        Assert.Contains("dwell_seconds_current 4.25\n", text);
    }

    [Fact]
    public void Registry_Render_IsDeterministic_InRegistrationAndCreationOrder()
    {
        static string Build(bool reverse)
        {
            var registry = MetricsExposition.NewRegistry();
            var names = new[] { "b_total", "a_total", "c_total" };
            foreach (var name in reverse ? names.Reverse() : names)
            {
                var counter = registry.CreateCounter(name, "help", "x");
                var values = new[] { "2", "10", "1" };
                foreach (var value in reverse ? values.Reverse() : values)
                {
                    counter.WithLabels(value).Inc();
                }
            }

            return registry.Render();
        }

        Assert.Equal(Build(false), Build(false));
        var forward = StrictExpositionParser.Parse(Build(false));
        Assert.Equal(["b_total", "a_total", "c_total"], forward.Select(f => f.Name));
        Assert.Equal(["2", "10", "1"], forward[0].Samples.Select(s => s.Label("x")));
        Assert.Equal(["c_total", "a_total", "b_total"], StrictExpositionParser.Parse(Build(true)).Select(f => f.Name));
    }

    [Fact]
    public void PrivateRegistry_HoldsNoDefaultMetrics()
    {
        // The static default registry is collected once, so that its process and runtime
        // collectors would be running, had they leaked into private registries.
        _ = Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null);
        Assert.Equal(string.Empty, MetricsExposition.NewRegistry().Render());
    }

    [Fact]
    public void GaugeSnapshot_NextScrape_ShowsOnlyTheLatestSnapshot()
    {
        var registry = MetricsExposition.NewRegistry();
        var snapshot = registry.CreateGaugeSnapshot("top_price", "h", "agent");
        snapshot.Publish([new(["1"], 1), new(["2"], 2), new(["3"], 3)]);
        Assert.Equal(["1", "2", "3"], StrictExpositionParser.Parse(registry.Render()).Single().Samples.Select(s => s.Label("agent")));
        snapshot.Publish([new(["3"], 30), new(["4"], 4)]);
        var samples = StrictExpositionParser.Parse(registry.Render()).Single().Samples;
        Assert.Equal(new Dictionary<string, double> { ["3"] = 30, ["4"] = 4 }, samples.ToDictionary(s => s.Label("agent")!, s => s.Value));
        snapshot.Publish([]);
        Assert.Empty(StrictExpositionParser.Parse(registry.Render()).Single().Samples);
    }

    [Fact]
    public async Task Registry_Render_PassesPromtool()
    {
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool (Debian package prometheus) is installed by eng/setup.sh");
        var result = await ProcessRunner.RunAsync("/usr/bin/promtool", ["check", "metrics"], standardInput: TrickyRegistry().Render());
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
    }

    [Fact]
    public void StrictParser_Rejects_BadExpositions()
    {
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a gauge\na 1"));
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a gauge\na{l=\"\\t\"} 1\n"));
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a counter\na 1\n"));
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a gauge\na Inf\n"));
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a gauge\na{l=\"1\"} 1\na{l=\"1\"} 2\n"));
        Assert.Throws<FormatException>(() => StrictExpositionParser.Parse("# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\na{l=\"2\"} 1\n"));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(5, "5")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(123456789.123456789, "123456789.12345679")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Values_AreWritten_InAGoParseableShortestForm(double value, string expected)
    {
        var registry = MetricsExposition.NewRegistry();
        registry.CreateGauge("v", "h").Set(value);
        var text = registry.Render();
        Assert.Equal($"# HELP v h\n# TYPE v gauge\nv {expected}\n", text);
        Assert.Equal(value, StrictExpositionParser.Parse(text).Single().Samples.Single().Value);
    }

    [Fact]
    public void Families_Reject_InvalidNames_AndCardinalityOverflow()
    {
        var registry = MetricsExposition.NewRegistry();
        Assert.Throws<ArgumentException>(() => registry.CreateGauge("9bad", "h"));
        Assert.Throws<ArgumentException>(() => registry.CreateGauge("ok", "h", "__reserved"));
        Assert.Throws<ArgumentException>(() => registry.CreateCounter("no_suffix", "h"));
        Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("dup", "h", "a", "a"));
        Assert.Throws<ArgumentException>(() => registry.CreateGauge("g", "h", "k").WithLabels("a", "b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.CreateCounter("c_total", "h").Inc(-1));

        var limited = registry.CreateGaugeSnapshot("s", "h", "k");
        Assert.Throws<InvalidOperationException>(() => limited.Publish(Enumerable.Range(0, 2000).Select(i => new GaugeSample([i.ToString()], i))));
        Assert.Throws<ArgumentException>(() => limited.Publish([new(["x"], 1), new(["x"], 2)]));
        Assert.Throws<ArgumentException>(() => limited.Publish([new(["x", "y"], 1)]));
    }

    [Fact]
    public async Task Counters_UnderConcurrentWritersAndScrapes_LoseNoIncrement()
    {
        var registry = MetricsExposition.NewRegistry();
        var counter = registry.CreateCounter("hits_total", "h", "worker");
        const int Writers = 4;
        const int PerWriter = 50_000;
        using var stop = new CancellationTokenSource();
        var scrapes = 0;
        using var scraping = new ManualResetEventSlim();
        var scraper = Task.Run(() =>
        {
            do
            {
                StrictExpositionParser.Parse(registry.Render());
                scrapes++;
                scraping.Set();
            }
            while (!stop.IsCancellationRequested);
        });
        scraping.Wait(TimeSpan.FromSeconds(10));
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                counter.WithLabels((i % 3).ToString()).Inc();
            }
        })));
        stop.Cancel();
        await scraper;

        var total = StrictExpositionParser.Parse(registry.Render()).Single().Samples.Sum(s => s.Value);
        Assert.Equal(Writers * PerWriter, total);
        Assert.True(scrapes > 1, $"{scrapes} scrapes overlapped the writers");
    }
}
