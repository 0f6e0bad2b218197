using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Emit.Daemon;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Hosting;

public sealed class DaemonFibreMapperTests
{
    [Fact]
    public void Dwell_MapsToOneRowPerProcess_WithTheFibresNumbers()
    {
        var daemon = DaemonFibreMapper.Map(ShippedFibres.Compile("dwell"), out var problems);
        Assert.Empty(problems);
        Assert.NotNull(daemon);
        Assert.Equal(("dwell", "task", AgentKeyKind.Pid, 10240), (daemon.Name, daemon.AgentIndex, daemon.AgentKey, daemon.Capacity));
        var row = Assert.Single(daemon.Rows);
        Assert.Equal(("dwell", 5.0, "hold", 1.0), (row.Resource, row.Budget, row.Variable, row.Coefficient));
        Assert.Equal(2, daemon.Step);
        Assert.Equal(3600, daemon.LoadMax);
        Assert.Equal([(ActionKind.Throttle, 5.0, 0.2), (ActionKind.Kill, 15.0, 0.0)], daemon.Rules.Select(r => (r.Kind, r.Threshold, r.CpuFraction)));
        Assert.Equal(("span", 1e9), (daemon.Sensor.Kind, daemon.Sensor.NanosecondsPerUnit));
        var metric = Assert.Single(daemon.Metrics);
        Assert.Equal(("dwell_seconds_current", MetricAggregateKind.Mean, MetricSourceKind.Variable, (double?)5), (metric.Name, metric.Aggregate, metric.SourceKind, metric.Target));
        Assert.Equal("price_dwell", daemon.PriceMaps["dwell"]);
        Assert.Empty(daemon.Validate());

        // The descriptor round-trips through its JSON form.
        RoundTrip(daemon);
    }

    [Fact]
    public void Ransomware_MapsToProcessTrees_PricedAndStoppedInTheKernel()
    {
        var daemon = DaemonFibreMapper.Map(ShippedFibres.Compile("ransomware"), out var problems);
        Assert.Empty(problems);
        Assert.NotNull(daemon);
        Assert.Equal(("ransomware", "agent", AgentKeyKind.Tree, 8192), (daemon.Name, daemon.AgentIndex, daemon.AgentKey, daemon.Capacity));
        var row = Assert.Single(daemon.Rows);
        Assert.Equal(("damage", 0.1, "destroyed", 1.0), (row.Resource, row.Budget, row.Variable, row.Coefficient));
        Assert.Equal([new RowTerm("destroyed", 1.0), new RowTerm("written", 0.001)], row.Terms!);
        Assert.Equal([(ActionKind.Kill, 1.5)], daemon.Rules.Select(r => (r.Kind, r.Threshold)));
        Assert.Equal("price_damage", daemon.PriceMaps["damage"]);

        // The descriptor sigil emit writes for it round-trips, terms and all.
        Assert.Equal(row.Terms, RoundTrip(daemon).Rows[0].Terms);
    }

    private static DaemonFibre RoundTrip(DaemonFibre daemon)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("d.json"), DaemonFibreFile.Write(daemon));
        var back = DaemonFibreJson.TryRead(dir.Combine("d.json"), out var problem);
        Assert.Null(problem);
        Assert.Equal(DaemonFibreFile.Write(daemon), DaemonFibreFile.Write(back!));
        return back!;
    }

    [Fact]
    public void Freeze_OnAPerProcessFibre_IsAKernelActionError_AtItsStatement()
    {
        // The span program has no damaging event to stop a process at: the compiler says so (the
        // daemon would refuse it too, but the build stops first).
        using var dir = new TempDirectory();
        var path = dir.Combine("dwell.sigil");
        File.WriteAllText(path, File.ReadAllText(ShippedFibres.PathOf("dwell")).Replace("act kill when", "act freeze when", StringComparison.Ordinal));
        var result = Sigil.Language.SigilCompiler.Compile(new Sigil.Language.SourceFile(path, File.ReadAllText(path)), _ => null);
        Assert.Null(result.Spec);
        var error = Assert.Single(result.Diagnostics, d => d.Id == "SIG3009");
        Assert.Equal("The kernel cannot apply 'act freeze when ^dwell[t] >= kill_price;': freeze stops an agent at a damaging file event, which only a behaviour fibre senses (index ... by tree, files(...) and bytes(...) sensors)", error.Message);
        Assert.Equal((25, 4), (error.LineSpan.Start.Line, error.LineSpan.Start.Character));
    }

    [Fact]
    public void Atp_IsOffline() =>
        Assert.Contains("offline", Assert.Single(Problems("atp")));

    [Fact]
    public void Cache_IsAPlacement() =>
        Assert.NotNull(DaemonFibreMapper.Map(ShippedFibres.Compile("cache"), out _)?.Placement);

    [Fact]
    public void Options_Validate_RejectsNonsense()
    {
        Assert.Empty(new DaemonOptions().Validate());
        var bad = new DaemonOptions
        {
            Tick = TimeSpan.Zero,
            MetricsUrl = "http://127.0.0.1",
            KillGrace = TimeSpan.FromHours(1),
            AllowPids = [0],
            Scope = [5, -6],
        }.Validate();
        Assert.Equal(5, bad.Count);
        Assert.Contains(bad, p => p.Contains("explicit port"));
        Assert.Contains(bad, p => p.Contains("scope pid -6 is not a process id"));
        Assert.False(DaemonOptions.TryParseMetricsUrl("http://127.0.0.1:9464/metrics", out _, out var problem));
        Assert.Contains("just http://host:port", problem);
    }

    [Fact]
    public void Preflight_Reports_MissingMounts_AndArmedNeeds_WithoutArming()
    {
        using var dir = new TempDirectory();
        var mountinfo = dir.Combine("mountinfo");
        File.WriteAllText(mountinfo, "41 31 0:38 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        var options = new DaemonOptions { Arm = true, MountInfo = mountinfo, BpfFs = dir.Combine("nope"), TraceFs = dir.Path, StateDirectory = dir.Combine("state") };
        var report = DaemonPreflight.Check(Fixtures.Dwell(), options);
        Assert.False(report.Ok);
        Assert.Contains(report.Errors, e => e.Contains("bpffs is not mounted"));
        Assert.Contains(report.Errors, e => e.Contains($"tracefs is not mounted at {dir.Path}"));
        Assert.Contains(report.Errors, e => e.Contains("throttling needs the cgroup cpu controller"));

        var observing = DaemonPreflight.Check(Fixtures.Dwell(), options with { Arm = false, Sensor = SensorChoice.Procfs });
        Assert.True(observing.Ok, string.Join("; ", observing.Errors));
        Assert.Contains(observing.Warnings, w => w.Contains("cpu controller"));

        var onThisMachine = DaemonPreflight.Check(Fixtures.Dwell(), new DaemonOptions { Arm = true, StateDirectory = dir.Combine("state2") });
        Assert.True(onThisMachine.Ok, string.Join("; ", onThisMachine.Errors));
        Assert.NotNull(onThisMachine.Cpu);
    }

    private static IReadOnlyList<string> Problems(string fibre)
    {
        Assert.Null(DaemonFibreMapper.Map(ShippedFibres.Compile(fibre), out var problems));
        return problems;
    }
}
