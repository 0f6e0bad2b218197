using Microsoft.Extensions.Logging.Abstractions;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.Hosting;

public sealed class EngineTests
{
    private static (DaemonEngine Engine, ScriptedSensor Sensor, Enforcer Enforcer) Build(DaemonFibre? fibre = null, int topAgents = 10)
    {
        fibre ??= Fixtures.Dwell();
        var sensor = new ScriptedSensor();
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), new EnforcerSettings(TimeSpan.FromMilliseconds(300)), throttler: null);
        var metrics = new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, sensor.Name, topAgents);
        var engine = new DaemonEngine(fibre, new DaemonOptions(), sensor, new SensedDualStep(fibre), enforcer, metrics, NullLogger.Instance);
        return (engine, sensor, enforcer);
    }

    private static AgentObservation Closed(Sacrificial child, params double[] holds) =>
        new(child.Pid, ProcStat.TryRead(child.Pid)!.StartTime, "sleep", holds);

    [Fact]
    public async Task Tick_LongHolds_RaisePriceByTheDualRule_ThenWouldThrottle_ThenWouldKill()
    {
        using var child = Sacrificial.Sleeper();
        var (engine, sensor, _) = Build();

        sensor.Enqueue(Closed(child, 8));
        var first = await engine.TickAsync();
        Assert.Equal(6, engine.Agents.Find(child.Pid)!.Prices[0], 12); // 0 + 2 * (8 - 5)
        var throttle = Assert.Single(first.Actions);
        Assert.Equal((ActionKind.Throttle, ActionStatus.WouldApply), (throttle.Request.Kind, throttle.Status));

        sensor.Enqueue(Closed(child, 8));
        var second = await engine.TickAsync();
        Assert.Equal(12, engine.Agents.Find(child.Pid)!.Prices[0], 12);
        Assert.Empty(second.Actions); // already (would be) throttled: no repeat

        sensor.Enqueue(Closed(child, 8));
        var third = await engine.TickAsync();
        Assert.Equal(18, engine.Agents.Find(child.Pid)!.Prices[0], 12);
        var kill = Assert.Single(third.Actions);
        Assert.Equal((ActionKind.Kill, ActionStatus.WouldApply), (kill.Request.Kind, kill.Status));
        Assert.Contains("^dwell = 18 >= 15", kill.Request.Reason);

        Assert.False(child.Process.HasExited);
        Assert.Equal(1, engine.Metrics.Count(ActionKind.Throttle, ActionStatus.WouldApply));
        Assert.Equal(1, engine.Metrics.Count(ActionKind.Kill, ActionStatus.WouldApply));
        Assert.Equal(0, engine.Metrics.Count(ActionKind.Kill, ActionStatus.Applied));
        Assert.Equal(8, engine.Metrics.FibreMetric("dwell_seconds_current"));
    }

    [Fact]
    public async Task Tick_ShortHolds_KeepPriceAtZero_AndPricesFallBackToRelease()
    {
        using var child = Sacrificial.Sleeper();
        var (engine, sensor, _) = Build();

        sensor.Enqueue(Closed(child, 0.01, 0.02, 0.01));
        await engine.TickAsync();
        Assert.Equal(0, engine.Agents.Find(child.Pid)!.Prices[0]);

        sensor.Enqueue(Closed(child, 8));
        await engine.TickAsync();
        Assert.Equal(EnforcementLevel.Throttled, engine.Agents.Find(child.Pid)!.Level);

        sensor.Enqueue(Closed(child, 0.1, 0.1));
        var released = await engine.TickAsync();
        Assert.Equal(0, engine.Agents.Find(child.Pid)!.Prices[0]);
        Assert.Equal(ActionKind.Release, Assert.Single(released.Actions).Request.Kind);
        Assert.Equal(EnforcementLevel.None, engine.Agents.Find(child.Pid)!.Level);
    }

    [Fact]
    public async Task Tick_ProtectedProcess_IsRefusedOnce_NotEveryTick()
    {
        var (engine, sensor, _) = Build();
        var init = ProcStat.TryRead(1)!;
        sensor.Enqueue(new AgentObservation(1, init.StartTime, init.Comm, [20]));
        var first = await engine.TickAsync();
        var refused = Assert.Single(first.Actions);
        Assert.Equal(ActionStatus.Refused, refused.Status);
        Assert.Equal(RefusalReason.Init, refused.Refusal);

        sensor.Enqueue(new AgentObservation(1, init.StartTime, init.Comm, [20]));
        Assert.Empty((await engine.TickAsync()).Actions);
        Assert.Equal(1, engine.Metrics.Count(ActionKind.Kill, ActionStatus.Refused));
    }

    [Fact]
    public async Task Tick_Armed_KillsInTheBackground_AndReportsNextTick()
    {
        using var child = Sacrificial.Sleeper();
        var (engine, sensor, enforcer) = Build();
        enforcer.Arm();
        sensor.Enqueue(Closed(child, 20));
        var first = await engine.TickAsync();
        Assert.Empty(first.Actions); // the kill runs in the background
        Assert.True(child.Process.WaitForExit(5000));
        await engine.DrainAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, engine.Metrics.Count(ActionKind.Kill, ActionStatus.Applied));
        Assert.Equal(EnforcementLevel.Killed, engine.Agents.Find(child.Pid)?.Level ?? EnforcementLevel.Killed);
    }

    [Fact]
    public async Task Metrics_TopK_BoundCardinality_WithAnAggregate()
    {
        var (engine, sensor, _) = Build(topAgents: 2);
        using var a = Sacrificial.Sleeper();
        using var b = Sacrificial.Sleeper();
        using var c = Sacrificial.Sleeper();
        sensor.Enqueue(Closed(a, 6), Closed(b, 7), Closed(c, 9));
        await engine.TickAsync();

        var text = engine.Metrics.Registry.Render();
        var price = Metrics.StrictExpositionParser.Parse(text).Single(f => f.Name == "sigil_price");
        Assert.Equal(3, price.Samples.Count);
        Assert.Equal([b.Pid.ToString(), c.Pid.ToString(), "other"], price.Samples.Select(s => s.Label("agent")).Order(StringComparer.Ordinal));
        Assert.Equal(2, price.Samples.Single(s => s.Label("agent") == "other").Value); // a: 2 * (6 - 5)
    }

    [Fact]
    public async Task CaptureAndRestore_KeepPricesOfLiveAgents_DropReusedOrGone_AndContinueCounters()
    {
        using var child = Sacrificial.Sleeper();
        var (engine, sensor, _) = Build();
        sensor.Enqueue(Closed(child, 8));
        await engine.TickAsync();
        var state = engine.CaptureState(7);
        state = state with { Prices = [.. state.Prices, new PriceState("dwell", 999_999, 1, 42), new PriceState("dwell", child.Pid, 12345, 42)] };

        var (restored, _, _) = Build();
        Assert.Equal(1, restored.Restore(state));
        Assert.Equal(6, restored.Agents.Find(child.Pid)!.Prices[0]);
        Assert.Null(restored.Agents.Find(999_999));
        Assert.Equal(1, restored.Metrics.Count(ActionKind.Throttle, ActionStatus.WouldApply));

        // Round trip through the file format too.
        using var dir = new TempDirectory();
        var store = new CheckpointStore(dir.Path, "dwell");
        store.Save(engine.CaptureState(8));
        Assert.Equal(engine.CaptureState(8).Prices, store.Load().State!.Prices);
    }

    [Fact]
    public async Task Agents_WhoseProcessExits_AreForgotten()
    {
        var (engine, sensor, _) = Build();
        int pid;
        using (var child = Sacrificial.Sleeper())
        {
            pid = child.Pid;
            sensor.Enqueue(Closed(child, 6));
            await engine.TickAsync();
            Assert.NotNull(engine.Agents.Find(pid));
        }

        for (var i = 0; i < 12; i++)
        {
            await engine.TickAsync();
        }

        Assert.Null(engine.Agents.Find(pid));
    }
}
