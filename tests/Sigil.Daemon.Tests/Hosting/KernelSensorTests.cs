using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Sigil.Runtime.Metrics;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>The daemon over the eBPF backend in this machine's kernel, scoped to a child process.</summary>
[Collection(Sequential.Name)]
public sealed class KernelSensorTests
{
    private static Process Shell(string script, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = redirectInput };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }

    [Fact]
    public async Task KernelSensor_HeldFile_PriceComesFromTheKernel_AndDrivesThePlan()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        // The hold starts once the object is loaded and attached (the child waits for a line).
        // (No exec afterwards: the loader's own short opens would pull the price back down.)
        using var child = Shell($"read go; exec 3<'{dir.Combine("held")}'; sleep 0.8; exec 3<&-; sleep 30", redirectInput: true);
        try
        {
            // A budget of 0.25 s: one 0.8 s hold raises the price by 2 * (0.8 - 0.25) = 1.1.
            var fibre = Fixtures.Dwell(budget: 0.25, step: 2, throttle: 0.5, kill: 100);
            using var kernel = BpfKernelFibre.Open(fibre, KernelObjects.DwellFor(fibre), [(uint)child.Id]);
            Assert.True(kernel.KeepsPrices);
            Assert.Equal(kernel.Parameters.ToFixed(0.25), kernel.Parameters.BudgetFixed);
            kernel.Attach();
            child.StandardInput.WriteLine("go");
            child.StandardInput.Flush();
            var sinceGo = System.Diagnostics.Stopwatch.StartNew();
            var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
            var metrics = new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, kernel.Name);
            var engine = new DaemonEngine(fibre, new DaemonOptions(), kernel, new KernelPriceMirror(fibre), enforcer, metrics, NullLogger.Instance, kernel);

            var deadline = DateTime.UtcNow.AddSeconds(10);
            ActionResult? throttle = null;
            while (throttle is null && DateTime.UtcNow < deadline)
            {
                throttle = (await engine.TickAsync()).Actions.FirstOrDefault(a => a.Request.Pid == child.Id);
                await Task.Delay(100);
            }

            Assert.NotNull(throttle);
            Assert.Equal((ActionKind.Throttle, ActionStatus.WouldApply), (throttle!.Request.Kind, throttle.Status));
            // The kernel's hold timer raises the throttle while the file is still open (price 0.5
            // about 0.25 s past the budget); the close then charges the rest of the hold, so the
            // price ends where one close of the whole 0.8 s span puts it.
            var agent = engine.Agents.Find(child.Id)!;
            while (agent.Prices[0] < 1.0 && DateTime.UtcNow < deadline)
            {
                await engine.TickAsync();
                await Task.Delay(100);
                agent = engine.Agents.Find(child.Id)!;
            }

            // The hold lasts at least 0.8 s, and under load longer: never longer than the time since "go"
            // (the fixed-point price may round down by a few units of 2^-scale).
            Assert.InRange(agent.Prices[0], 1.0, 2 * (sinceGo.Elapsed.TotalSeconds - 0.25));
            Assert.True(kernel.Bpf.TryGetPrice((uint)child.Id, out var fixedPrice));
            Assert.Equal(kernel.Parameters.ToDouble(fixedPrice), agent.Prices[0], 6);
            Assert.Equal(ProcStat.TryRead(child.Id)!.StartTime, agent.StartTime);

            var text = metrics.Registry.Render();
            var seen = Metrics.StrictExpositionParser.Parse(text).Single(f => f.Name == "sigil_kernel_seen_total").Samples.Single();
            Assert.Equal("kernel", seen.Label("sensor"));
            Assert.True(seen.Value > 0);
            // Price updates the kernel gave up (compare-and-swap lost every attempt) are exported.
            var lost = Metrics.StrictExpositionParser.Parse(text).Single(f => f.Name == "sigil_kernel_price_updates_lost_total").Samples.Single();
            Assert.Equal((double)kernel.Bpf.ReadStats().Contended, lost.Value);

            // A restored price is written into the kernel's map.
            kernel.WritePrice(child.Id, 3.5);
            Assert.True(kernel.Bpf.TryGetPrice((uint)child.Id, out fixedPrice));
            Assert.Equal(3.5, kernel.Parameters.ToDouble(fixedPrice));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public async Task ArmedDaemon_OnTheKernelSensor_LetsTheKernelKill_AndDisarmsOnStop()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        using var child = Shell($"sleep 0.5; while :; do exec 3<'{dir.Combine("held")}'; sleep 0.6; exec 3<&-; done");
        try
        {
            // Each 0.6 s hold adds 2 * (0.6 - 0.1) = 1: throttled at 0.5, killed in the kernel at 2.5.
            var fibre = Fixtures.Dwell(budget: 0.1, step: 2, throttle: 0.5, kill: 2.5);
            var options = Fixtures.ArmedOnTheKernel(child.Id, dir.Combine("state"));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            DaemonApplication? app = null;
            var stopping = false;
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = new BpfKernelFibreFactory(KernelObjects.DwellFor(fibre)) { Scope = [(uint)child.Id] },
                Started = a =>
                {
                    app = a;
                    a.Engine.TickCompleted += _ =>
                    {
                        if (child.HasExited && !stopping)
                        {
                            stopping = true;
                            stop.CancelAfter(TimeSpan.FromMilliseconds(300));
                        }
                    };
                },
            };

            Assert.Equal(DaemonExitCodes.Ok, await launcher.RunAsync(fibre, options, stop.Token));
            Assert.True(child.HasExited, "the kernel did not kill the child");
            Assert.Equal(128 + 9, child.ExitCode);
            Assert.Equal(1, app!.Engine.Metrics.Count(ActionKind.Throttle, ActionStatus.Applied));
            // The kernel's kill (the daemon sends none) reaches the actions metric and the agent's row.
            Assert.Equal(1, app.Engine.Metrics.Count(ActionKind.Kill, ActionStatus.Applied));
            var killed = app.Engine.Agents.Find(child.Id);
            Assert.NotNull(killed);
            Assert.Equal(EnforcementLevel.Killed, killed!.Level);
            Assert.StartsWith("killed in the kernel", killed.LastAction, StringComparison.Ordinal);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public async Task KernelDecision_WakesTheLoop_LongBeforeTheNextTick()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        using var child = Shell($"read go; exec 3<'{dir.Combine("held")}'; sleep 0.6; exec 3<&-; sleep 30", redirectInput: true);
        try
        {
            // One 0.6 s hold crosses the throttle price (2 * 0.5 = 1 >= 0.5); ticks are 5 s apart.
            var fibre = Fixtures.Dwell(budget: 0.1, step: 2, throttle: 0.5, kill: 100);
            var options = new DaemonOptions
            {
                Sensor = SensorChoice.Kernel,
                Scope = [child.Id],
                Tick = TimeSpan.FromSeconds(5),
                MetricsUrl = null,
                StateDirectory = dir.Combine("state"),
                LogFormat = LogFormat.None,
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var go = new Stopwatch();
            TimeSpan? throttledAfter = null;
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = new BpfKernelFibreFactory(KernelObjects.DwellFor(fibre)) { Scope = [(uint)child.Id] },
                Started = a =>
                {
                    a.Engine.TickCompleted += snapshot =>
                    {
                        if (throttledAfter is null && snapshot.Actions.Any(x => x.Request.Kind == ActionKind.Throttle && x.Request.Pid == child.Id))
                        {
                            throttledAfter = go.Elapsed;
                            stop.Cancel();
                        }
                    };
                    child.StandardInput.WriteLine("go");
                    child.StandardInput.Flush();
                    go.Start();
                },
            };

            Assert.Equal(DaemonExitCodes.Ok, await launcher.RunAsync(fibre, options, stop.Token));
            Assert.NotNull(throttledAfter);

            // The hold ends 0.6 s after "go"; the next periodic tick would come 5 s after the first.
            Assert.True(throttledAfter < TimeSpan.FromSeconds(3), $"the throttle came {throttledAfter} after the hold began: the decision did not wake the loop");
        }
        finally
        {
            child.Kill();
        }
    }
}
