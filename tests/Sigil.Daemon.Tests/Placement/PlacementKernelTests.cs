using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Hosting.Sensors;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Placement;

/// <summary>
/// The cache fibre's eBPF object in this machine's kernel, scoped to two busy children of the test
/// (nothing else is sensed, so nothing else can be acted on): the on-CPU time it senses, the
/// prices it is given, and the daemon pinning the children (unarmed: only counted) and restoring them.
/// </summary>
[Collection(Sequential.Name)]
public sealed class PlacementKernelTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<int> s_allCpus = Enumerable.Range(0, Environment.ProcessorCount).ToList();

    [Fact]
    public void KernelSensor_SeesTheChildrensOnCpuTime_AsProcDoes_AndNothingElse()
    {
        using var first = Sacrificial.BusyLoop();
        using var second = Sacrificial.BusyLoop();
        using var kernel = BpfPlacementKernelFibre.Open(PlacementFibres.Cache(), PlacementFibres.CacheObject(), [first.Pid, second.Pid], window: TimeSpan.FromSeconds(2));
        kernel.Attach();
        var before = new[] { first, second }.Select(c => ProcStat.TryRead(c.Pid)!.CpuTicks).ToArray();
        SensorFrame frame;
        do
        {
            Thread.Sleep(50);
            frame = kernel.Sense();
        }
        while (frame.Window is null);

        var after = new[] { first, second }.Select(c => ProcStat.TryRead(c.Pid)!.CpuTicks).ToArray();
        Assert.Equal([first.Pid, second.Pid], frame.Agents.Select(a => a.Agent).Order());
        for (var i = 0; i < 2; i++)
        {
            var pid = i == 0 ? first.Pid : second.Pid;
            var sensed = frame.Agents.Single(a => a.Agent == pid).Completed.Single();
            var proc = (after[i] - before[i]) / 100.0;
            output.WriteLine($"child {pid}: kernel {sensed:0.000} s, /proc {proc:0.000} s over {frame.Window!.Value.TotalSeconds:0.000} s");
            Assert.InRange(proc, 0.2, 2.2);

            // /proc counts in 10 ms ticks and the kernel a thread's slice when it ends (sched_switch).
            Assert.True(Math.Abs(sensed - proc) <= 0.05 + (0.15 * proc), $"kernel {sensed} s vs /proc {proc} s");
            Assert.Equal(ProcStat.TryRead(pid)!.StartTime, frame.Agents.Single(a => a.Agent == pid).StartTime);
        }

        Assert.True(frame.Counters.Seen > 0 && frame.Counters.Processed > 0);

        // Scoped in the kernel: it keeps state for the children's threads and no other.
        Assert.Equal(new[] { (uint)first.Pid, (uint)second.Pid }.Order(), kernel.Bpf.StateMap.Keys<uint>().Order());
        Assert.Equal(new[] { (uint)first.Pid, (uint)second.Pid }.Order(), kernel.Bpf.ScopeList().Order());

        // The /proc fallback reads the same clock.
        using var procfs = new ProcTaskOnCpuSensor("oncpu", 1, scopeRoots: [first.Pid], window: TimeSpan.FromMilliseconds(500));
        Assert.Empty(procfs.Sense().Agents); // the baseline
        do
        {
            Thread.Sleep(50);
            frame = procfs.Sense();
        }
        while (frame.Window is null);

        var seen = Assert.Single(frame.Agents);
        Assert.Equal(first.Pid, seen.Agent);
        Assert.InRange(seen.Completed.Single(), 0.05, 1.0);
    }

    [Fact]
    public async Task Unarmed_TheDaemonPlansAffinityForTheChildren_WritesThePricesToTheKernel_AndChangesNoMask()
    {
        using var first = Sacrificial.BusyLoop();
        using var second = Sacrificial.BusyLoop();
        using var dir = new TempDirectory();

        // A tight LLC on node0 (4 MiB for 8 MiB threads): ^llc[node0] > 0.
        var cache = PlacementFibres.Cache();
        var p = cache.Placement!;
        var fibre = cache with { Placement = p with { Resources = [p.Resources[0] with { Capacity = [4, 24] }, p.Resources[1]] } };
        (double Price, long Kernel, double Metric) seen = default;
        var (app, code) = await RunAsync(fibre, [first.Pid, second.Pid], arm: false, dir, stopWhen: a =>
        {
            if (a.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.WouldApply) < 2)
            {
                return false;
            }

            // On the tick thread, between solves: the step's price, the kernel map's and the metric.
            var kernel = (BpfPlacementKernelFibre)a.Engine.Sensor;
            seen = (((PlacementStep)a.Engine.Solver).Snapshot().Price(0, 0), kernel.ReadDomainPrice("llc", 0), a.Engine.Metrics.FibreMetric("cache_llc_price"));
            return true;
        });
        Assert.Equal(DaemonExitCodes.Ok, code);
        Assert.Equal(2, app.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.WouldApply));
        Assert.Equal(0, app.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Applied));
        Assert.Equal(s_allCpus, AffinitySetter.Get(first.Pid));
        Assert.Equal(s_allCpus, AffinitySetter.Get(second.Pid));

        // The solve's prices went to the kernel's price map in fixed point, and to the metrics.
        Assert.True(seen.Price > 0.1, $"^llc[node0] = {seen.Price}");
        Assert.Equal(FixedPoint.ToFixed(seen.Price, 20), seen.Kernel);
        Assert.Equal(seen.Price, seen.Metric);
        Assert.Equal(2, ((PlacementStep)app.Engine.Solver).Snapshot().Threads);
    }

    [Fact]
    public async Task Armed_TheDaemonPinsEachChildToItsDomainsCpus_AndRestoresTheirMasksAtShutdown()
    {
        using var first = Sacrificial.BusyLoop();
        using var second = Sacrificial.BusyLoop();
        using var dir = new TempDirectory();
        var fibre = PlacementFibres.Cache();
        var masks = new Dictionary<int, IReadOnlyList<int>>();
        var (app, code) = await RunAsync(fibre, [first.Pid, second.Pid], arm: true, dir, stopWhen: a =>
        {
            if (a.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Applied) < 2)
            {
                return false;
            }

            // Read back while pinned, before the shutdown restores them.
            masks[first.Pid] = AffinitySetter.Get(first.Pid);
            masks[second.Pid] = AffinitySetter.Get(second.Pid);
            return true;
        });
        Assert.Equal(DaemonExitCodes.Ok, code);
        var step = (PlacementStep)app.Engine.Solver;
        var domains = new[] { first.Pid, second.Pid }.Select(step.TargetDomain).ToList();
        output.WriteLine($"pinned: {first.Pid} -> {string.Join(',', masks[first.Pid])}, {second.Pid} -> {string.Join(',', masks[second.Pid])}; cpus of domains: {string.Join(" / ", step.Cpus.Cpus.Select(c => string.Join(',', c)))}");
        Assert.Equal(step.Cpus.Cpus[domains[0]], masks[first.Pid]);
        Assert.Equal(step.Cpus.Cpus[domains[1]], masks[second.Pid]);
        Assert.NotEqual(domains[0], domains[1]); // two busy threads on two domains that each hold two: one each
        Assert.NotEqual(s_allCpus, masks[first.Pid]);

        // Shutdown put the original masks back, through the guard.
        Assert.Equal(s_allCpus, AffinitySetter.Get(first.Pid));
        Assert.Equal(s_allCpus, AffinitySetter.Get(second.Pid));
        Assert.Equal(4, app.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Applied)); // two pins, two restores
        Assert.Equal(0, app.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Refused));
    }

    [Fact]
    public async Task Pinned_ByADaemonThatCrashed_TheNextDaemonPutsTheOriginalMasksBack_FromTheCheckpoint()
    {
        using var first = Sacrificial.BusyLoop();
        using var second = Sacrificial.BusyLoop();
        using var dir = new TempDirectory();
        var fibre = PlacementFibres.Cache();

        // The first daemon pins both children; its checkpoint is taken while they are pinned.
        Sigil.Runtime.State.DaemonState? checkpoint = null;
        var (app, code) = await RunAsync(fibre, [first.Pid, second.Pid], arm: true, dir, stopWhen: a =>
        {
            if (a.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Applied) < 2)
            {
                return false;
            }

            checkpoint = a.Engine.CaptureState(1000);
            return true;
        });
        Assert.Equal(DaemonExitCodes.Ok, code);
        var pinned = checkpoint!.Pinned!;
        Assert.Equal(new[] { first.Pid, second.Pid }.Order(), pinned.Select(p => (int)p.Agent));
        Assert.All(pinned, p => Assert.Equal(s_allCpus, p.Original));

        // Had it been killed with SIGKILL, the children would still be pinned and its last
        // checkpoint on disk: make it so.
        var setter = new AffinitySetter();
        foreach (var pin in pinned)
        {
            setter.Apply(new ProcessGuard(GuardPolicy.None).Check((int)pin.Agent).Target!, [.. pin.Applied]);
            Assert.Equal(pin.Applied, AffinitySetter.Get((int)pin.Agent));
        }

        new Sigil.Runtime.State.CheckpointStore(dir.Combine("state"), fibre.Name).Save(checkpoint);

        // The next daemon adopts those pins and, at its shutdown, restores the masks from before.
        var (next, nextCode) = await RunAsync(fibre, [first.Pid, second.Pid], arm: true, dir, stopWhen: a => a.Engine.Ticks >= 3);
        Assert.Equal(DaemonExitCodes.Ok, nextCode);
        Assert.Equal(s_allCpus, AffinitySetter.Get(first.Pid));
        Assert.Equal(s_allCpus, AffinitySetter.Get(second.Pid));
        Assert.True(next.Engine.Metrics.Count(ActionKind.Affinity, ActionStatus.Applied) >= 2, "the restores went through the actuator");
    }

    private static async Task<(DaemonApplication App, int Code)> RunAsync(DaemonFibre fibre, int[] children, bool arm, TempDirectory dir, Func<DaemonApplication, bool> stopWhen)
    {
        var options = new DaemonOptions
        {
            Arm = arm,
            Sensor = SensorChoice.Kernel,
            Scope = children,
            Tick = TimeSpan.FromMilliseconds(100),
            PlacementPeriod = TimeSpan.FromMilliseconds(400),
            PlacementHold = 2,
            MetricsUrl = null,
            StateDirectory = dir.Combine("state"),
            LogFormat = LogFormat.None,
        };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        DaemonApplication? app = null;
        var stopping = false;
        var launcher = new DaemonLauncher(TextWriter.Null)
        {
            KernelFactory = new PlacementAwareKernelFibreFactory(new BpfKernelFibreFactory(PlacementFibres.CacheObject()))
            {
                ScopeRoots = children,
                Window = options.PlacementPeriod,
            },
            Started = a =>
            {
                app = a;
                a.Engine.TickCompleted += _ =>
                {
                    if (!stopping && stopWhen(a))
                    {
                        stopping = true;
                        stop.Cancel();
                    }
                };
            },
        };

        var code = await launcher.RunAsync(fibre, options, stop.Token);
        Assert.True(stopping, "the daemon never got there in 30 s");
        return (app!, code);
    }
}
