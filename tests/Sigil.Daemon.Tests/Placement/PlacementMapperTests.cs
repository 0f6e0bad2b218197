using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Emit.Daemon;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Solvers;

namespace Sigil.Daemon.Tests.Placement;

/// <summary>cache.sigil (and edited copies) become a placement descriptor with the file's numbers; the descriptor survives its JSON form.</summary>
public sealed class PlacementMapperTests
{
    [Fact]
    public void Cache_MapsToAPlacement_WithTheNumbersOfTheSigilAndItsTable()
    {
        var daemon = PlacementFibres.Cache();
        Assert.Empty(daemon.Validate());
        Assert.Equal(("cache", "thread", AgentKeyKind.Tid, 4096), (daemon.Name, daemon.AgentIndex, daemon.AgentKey, daemon.Capacity));
        Assert.Empty(daemon.Rows);
        Assert.Equal(ActionKind.Affinity, Assert.Single(daemon.Rules).Kind);
        Assert.Equal(("oncpu", "oncpu", 1e9), (daemon.Sensor.Variable, daemon.Sensor.Kind, daemon.Sensor.NanosecondsPerUnit));
        Assert.Equal(new Dictionary<string, string> { ["cpu"] = "price_cpu", ["llc"] = "price_llc" }, daemon.PriceMaps);
        var metric = Assert.Single(daemon.Metrics);
        Assert.Equal(("cache_llc_price", MetricAggregateKind.Max, "llc", MetricSourceKind.Price), (metric.Name, metric.Aggregate, metric.Source, metric.SourceKind));

        var p = daemon.Placement!;
        Assert.Equal(("x", "domain"), (p.Variable, p.DomainIndex));
        Assert.Equal(["node0", "node1"], p.Domains);
        Assert.Equal([0.0, 0.0], p.Lower);
        Assert.Equal([1.0, 1.0], p.Upper);
        Assert.Equal(["llc", "cpu"], p.Resources.Select(r => r.Name));
        Assert.Equal([32.0, 32.0], p.Resources[0].Capacity);
        Assert.Equal([8.0, 8.0], p.Resources[0].Coefficient);
        Assert.Equal([1.0, 1.0], p.Resources[1].Capacity);
        Assert.Equal([0.5, 0.5], p.Resources[1].Coefficient);
        Assert.Equal(("placed", 1.0, true), (p.Assignment.Name, p.Assignment.Total, p.Assignment.Equality));
        Assert.Equal([1.0, 1.0], p.Assignment.Coefficient);
        Assert.Equal(UtilityKind.Log, p.Utility.Family);
        Assert.Equal([1.0, 1.0], p.Utility.Weight);
        Assert.Equal([0.01, 0.01], p.Utility.Offset);
        Assert.Equal((1.0, 1e-6, 1e-6, 5000), (p.Admm.Rho, p.Admm.AbsoluteTolerance, p.Admm.RelativeTolerance, p.Admm.MaxIterations));
        Assert.Equal(20, p.PriceScaleBits);

        // 4 threads fit: the CPU rows hold 1 / 0.5 = 2 threads per domain.
        Assert.Equal(4, p.ThreadsThatFit());
    }

    [Fact]
    public void EditedCopy_ThreeDomainsAndOtherNumbers_GivesThoseNumbers()
    {
        var spec = PlacementFibres.CompileCache(
            "domain,llc,cpus\nsocket0,12,2\nsocket1,24,4\nsocket2,48,1.5\n",
            ("param footprint : MiB = 8;", "param footprint : MiB = 6;"),
            ("param demand : cpu = 0.5;", "param demand : cpu = 0.25;"),
            ("rho = 1.0;", "rho = 2.5;"),
            ("iterations = 5000;", "iterations = 700;"));
        var p = PlacementFibres.Map(spec).Placement!;
        Assert.Equal(["socket0", "socket1", "socket2"], p.Domains);
        Assert.Equal([12.0, 24.0, 48.0], p.Resources[0].Capacity);
        Assert.Equal([6.0, 6.0, 6.0], p.Resources[0].Coefficient);
        Assert.Equal([2.0, 4.0, 1.5], p.Resources[1].Capacity);
        Assert.Equal([0.25, 0.25, 0.25], p.Resources[1].Coefficient);
        Assert.Equal((2.5, 700), (p.Admm.Rho, p.Admm.MaxIterations));

        // Per domain the tighter row decides: min(12/6, 2/0.25) + min(24/6, 4/0.25) + min(48/6, 1.5/0.25) = 2 + 4 + 6.
        Assert.Equal(12, p.ThreadsThatFit());
    }

    [Fact]
    public void Descriptor_RoundTripsThroughItsJson_AndDwellsDescriptorHasNoPlacementKey()
    {
        using var dir = new TempDirectory();
        var daemon = PlacementFibres.Cache();
        var text = DaemonFibreFile.Write(daemon);
        File.WriteAllText(dir.Combine("cache.daemon.json"), text);
        var back = DaemonFibreJson.TryRead(dir.Combine("cache.daemon.json"), out var problem);
        Assert.True(back is not null, problem);
        Assert.Equal(text, DaemonFibreFile.Write(back!));
        Assert.Equal(daemon.Placement!.Resources[1].Capacity, back!.Placement!.Resources[1].Capacity);
        Assert.Equal(daemon.Placement.Domains, back.Placement.Domains);
        Assert.Equal(daemon.Placement.Admm, back.Placement.Admm);
        Assert.Empty(back.Validate());

        Assert.DoesNotContain("placement", DaemonFibreFile.Write(Fixtures.Dwell()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("solve admm { rho = 1.0; tolerance = 1e-6; iterations = 5000; }", "solve penalty { mu = 10; }", "the daemon solves placements by ADMM", "certify admm, chordal;", "certify chordal;")]
    [InlineData("index thread by tid max 4096;", "index thread by pid max 4096;", "a placement pins threads", "key (tid);", "key (pid);")]
    public void UnsupportedPlacements_SayWhatIsMissing(string old, string replacement, string message, string old2, string replacement2)
    {
        var spec = PlacementFibres.CompileCache(File.ReadAllText(Path.Combine(ShippedFibres.Folder, "cache.domains.csv")), (old, replacement), (old2, replacement2));
        Assert.Null(DaemonFibreMapper.Map(spec, out var problems));
        Assert.Contains(problems, p => p.Contains(message, StringComparison.Ordinal) && p.Contains("not available yet", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadPlacementNumbers_AreNamed()
    {
        var good = PlacementFibres.Cache();
        var p = good.Placement!;
        Assert.Contains("has no domain", Assert.Single(Problems(good with { Placement = p with { Domains = [], Lower = [], Upper = [] } })));

        var negative = p with { Resources = [p.Resources[0] with { Capacity = [32, -1] }, p.Resources[1]] };
        Assert.Contains(Problems(good with { Placement = negative }), m => m.Contains("@llc[node1] has capacity -1: a capacity must be finite and >= 0", StringComparison.Ordinal));

        var shortList = p with { Resources = [p.Resources[0] with { Coefficient = [8] }, p.Resources[1]] };
        Assert.Contains(Problems(good with { Placement = shortList }), m => m.Contains("the coefficients of @llc have 1 value(s) for 2 domain(s)", StringComparison.Ordinal));

        Assert.Contains(Problems(good with { Placement = p with { Admm = p.Admm with { Rho = 0 } } }), m => m.Contains("ADMM settings", StringComparison.Ordinal));
        Assert.Contains(Problems(good with { Placement = p with { Utility = p.Utility with { Offset = [0, 0] } } }), m => m.Contains("log utility needs lower + eps > 0", StringComparison.Ordinal));
        Assert.Contains(Problems(good with { Placement = p with { Resources = [p.Resources[0] with { Capacity = [0, 0] }, p.Resources[1]] } }), m => m.Contains("no domain can hold", StringComparison.Ordinal));
        Assert.Contains(Problems(good with { Placement = null }), m => m.Contains("affinity follows a solved placement", StringComparison.Ordinal));
        Assert.Contains(Problems(good with { AgentKey = AgentKeyKind.Pid }), m => m.Contains("must be keyed by tid", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Problems(DaemonFibre fibre)
    {
        // The descriptor's own checks (the compiler runs them too) and the solver engines' (the daemon's, at load).
        var problems = fibre.Validate().Concat(Sigil.Runtime.Hosting.Placement.PlacementSettings.Problems(fibre)).ToList();
        Assert.NotEmpty(problems);
        return problems;
    }
}
