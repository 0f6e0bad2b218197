using System.Net.Http;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Daemon.Tests.Metrics;
using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Placement;

/// <summary><c>sigil run</c> on the cache fibre as a user runs it: from the .sigil file, from the emitted descriptor, and with bad descriptors.</summary>
[Collection(Sequential.Name)]
public sealed class PlacementCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RunCache_ForThreeSeconds_Exits0_AndItsMetricsShowThePerDomainPricesAndTheFibresMetric()
    {
        var port = Ports.FreeLoopbackPort();
        using var daemon = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "run", ShippedFibres.PathOf("cache"), "--duration", "3s", "--state-dir", _dir.Combine("state"), "--metrics-url", $"http://127.0.0.1:{port}", "--table", "false", "--log-format", "none");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        string? text = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !daemon.HasExited)
        {
            try
            {
                var scraped = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
                // A solve that placed threads has run and its tick was published (solves, then iterations).
                if (StrictExpositionParser.Parse(scraped).FirstOrDefault(f => f.Name == "sigil_solver_iterations_total")?.Samples.Single().Value > 0)
                {
                    text = scraped;
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.True(daemon.WaitForExit(30_000), "the daemon did not stop after --duration");
        Assert.True(text is not null, $"no placement solve was scraped (exit {daemon.ExitCode})");
        Assert.Equal(0, daemon.ExitCode);

        var families = StrictExpositionParser.Parse(text!);
        var llc = Assert.Single(families.Single(f => f.Name == "cache_llc_price").Samples);
        Assert.True(llc.Value >= 0 && double.IsFinite(llc.Value));
        var prices = families.Single(f => f.Name == "sigil_price").Samples;
        foreach (var resource in new[] { "llc", "cpu" })
        {
            Assert.Equal(["node0", "node1"], prices.Where(s => s.Label("resource") == resource).Select(s => s.Label("name")).Order());
            Assert.Equal(["0", "1"], prices.Where(s => s.Label("resource") == resource).Select(s => s.Label("agent")).Order());
        }

        Assert.Equal(prices.Where(s => s.Label("resource") == "llc").Max(s => s.Value), llc.Value);
        Assert.Equal(2, families.Single(f => f.Name == "sigil_placement_domain_cpus").Samples.Count);
        Assert.True(families.Single(f => f.Name == "sigil_solver_iterations_total").Samples.Single().Value >= 1);
        Assert.Contains(families, f => f.Name == "sigil_solver_primal_residual");
        Assert.Equal(0, families.Single(f => f.Name == "sigil_actions_total").Samples.Single(s => s.Label("kind") == "affinity").Value);

        // The checkpoint holds the counters of the run.
        var state = new Sigil.Runtime.State.CheckpointStore(_dir.Combine("state"), "cache").Load().State;
        Assert.NotNull(state);
        Assert.True(state!.Counters.Single(c => c.Name == "sigil_placement_solves_total").Value >= 1);
    }

    [Fact]
    public async Task EmittedDescriptor_RunsWithoutCompiling_OnTheProcFallback_ScopedToAChild()
    {
        using var child = Sacrificial.BusyLoop();
        var output = _dir.Combine("out");
        var emit = await ProcessRunner.RunSigilAsync(["emit", ShippedFibres.PathOf("cache"), "-o", output]);
        Assert.True(emit.ExitCode == 0, ProcessRunner.Describe(emit));
        var descriptor = Path.Combine(output, "daemon", "cache.daemon.json");
        Assert.True(File.Exists(descriptor));
        Assert.True(File.Exists(Path.Combine(output, "k8s", "daemonset.yaml")));

        var run = await ProcessRunner.RunSigilAsync(["run", descriptor, "--sensor", "procfs", "--scope", child.Pid.ToString(), "--placement-period", "300ms", "--state-dir", _dir.Combine("state"), "--metrics-url", "none", "--duration", "3s", "--log-format", "simple", "--table", "false"]);
        Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));
        Assert.Contains("observation mode", run.StandardError);
        Assert.Contains("placement: domains on", run.All);
        Assert.Contains($"would affinity pid {child.Pid}", run.All);
        Assert.DoesNotContain("would affinity pid " + Environment.ProcessId, run.All);
        Assert.Equal(Enumerable.Range(0, Environment.ProcessorCount), Sigil.Runtime.Enforcement.AffinitySetter.Get(child.Pid));
    }

    [Theory]
    [InlineData("\"domains\": [\n      \"node0\",\n      \"node1\"\n    ]", "\"domains\": []", "has no domain")]
    [InlineData("\"capacity\": [\n          32,\n          32\n        ]", "\"capacity\": [\n          32,\n          -4\n        ]", "@llc[node1] has capacity -4")]
    [InlineData("\"maxIterations\": 5000", "\"maxIterations\": 0", "the ADMM settings")]
    [InlineData("\"assignment\": {", "\"assignmnet\": {", "assignmnet")]
    public async Task BadDescriptors_AreRejectedClearly_WithExit1(string old, string replacement, string message)
    {
        var text = DaemonFibreFile.Write(PlacementFibres.Cache());
        Assert.Contains(old, text);
        var path = _dir.Combine("bad.daemon.json");
        File.WriteAllText(path, text.Replace(old, replacement, StringComparison.Ordinal));
        var result = await ProcessRunner.RunSigilAsync(["run", path, "--state-dir", _dir.Combine("state"), "--metrics-url", "none"]);
        Assert.True(result.ExitCode == 1, ProcessRunner.Describe(result));
        Assert.Contains(message, result.StandardError);
        Assert.DoesNotContain("   at ", result.All);
        Assert.DoesNotContain("Unhandled exception", result.All);
    }
}
