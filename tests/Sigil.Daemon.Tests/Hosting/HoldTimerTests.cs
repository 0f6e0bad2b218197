using System.Diagnostics;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// Detection in time, end to end on this machine's kernel: a process that opens one file and
/// then sleeps, never closing it, is throttled and then killed by the armed daemon over the eBPF
/// program's hold timer, within the seconds the fibre's Coq theorems state
/// (<c>kernel_hold_detects_throttle_dwell</c>, <c>kernel_hold_detects_kill_dwell</c>), read from
/// the fibre's proof document rather than copied here.
/// </summary>
[Collection(Sequential.Name)]
public sealed class HoldTimerTests(ITestOutputHelper output)
{
    // What the theorems do not cover and this measurement includes: the shell's open after the
    // "go" line, the kernel's signal delivery and the test's observation of the exit; for the
    // throttle also the daemon's reaction to the kernel's event (it wakes on the wake ring).
    private const double KillAllowance = 0.3;
    private const double ThrottleAllowance = 0.5;

    // dwell with a 1 s budget, step 2, throttled at price 1 and killed at 3: the kill comes about
    // 1 + 3 / 2 = 2.5 s after the open, so the test takes a few seconds.
    private const double Budget = 1, Step = 2, ThrottlePrice = 1, KillPrice = 3;

    [Fact]
    public async Task HeldFileNeverClosed_IsThrottledThenKilled_WithinTheSecondsTheProofStates()
    {
        var spec = HoldSpec();
        var document = CoqEmitter.Build(spec);
        double Proved(double price)
        {
            var theorem = Assert.Single(document.Theorems, t => t.Bound is { Kind: "hold" } b && b.Price == price);
            output.WriteLine($"{theorem.Name}: {theorem.Meaning}");
            return theorem.Bound!.Seconds!.Value;
        }

        var throttleBound = Proved(ThrottlePrice);
        var killBound = Proved(KillPrice);

        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        // Opens the file once the daemon is up, then becomes sleep with the file still open (fd 3
        // survives the exec): no close, no syscall, nothing but the held span.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"read go; exec 3<'{dir.Combine("held")}'; exec sleep 600");
        using var child = Process.Start(info)!;
        try
        {
            var fibre = Fixtures.Dwell(budget: Budget, step: Step, throttle: ThrottlePrice, kill: KillPrice);
            var options = Fixtures.ArmedOnTheKernel(child.Id, dir.Combine("state"));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var clock = Stopwatch.StartNew();
            double? go = null, throttled = null, killed = null;
            Task? exited = null;
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = new BpfKernelFibreFactory(KernelObjects.DwellFor(spec)) { Scope = [(uint)child.Id] },
                Started = a =>
                {
                    a.Engine.TickCompleted += snapshot =>
                    {
                        if (throttled is null && snapshot.Actions.Any(x => x.Request.Pid == child.Id && x.Request.Kind == ActionKind.Throttle && x.Status == ActionStatus.Applied))
                        {
                            throttled = clock.Elapsed.TotalSeconds;
                        }
                    };
                    exited = child.WaitForExitAsync().ContinueWith(_ =>
                    {
                        killed = clock.Elapsed.TotalSeconds;
                        stop.CancelAfter(TimeSpan.FromMilliseconds(300));
                    }, TaskScheduler.Default);
                    go = clock.Elapsed.TotalSeconds;
                    child.StandardInput.WriteLine("go");
                    child.StandardInput.Flush();
                },
            };

            Assert.Equal(DaemonExitCodes.Ok, await launcher.RunAsync(fibre, options, stop.Token));
            Assert.True(child.HasExited, "the held file's process was not killed");
            await exited!;
            Assert.Equal(128 + 9, child.ExitCode);
            Assert.NotNull(throttled);
            var throttleAfter = throttled!.Value - go!.Value - Budget;
            var killAfter = killed!.Value - go.Value - Budget;
            output.WriteLine($"throttled {throttleAfter:0.000} s after the hold passed the budget (proved: {throttleBound} s + {ThrottleAllowance} s allowance)");
            output.WriteLine($"killed {killAfter:0.000} s after the hold passed the budget (proved: {killBound} s + {KillAllowance} s allowance)");
            Assert.InRange(throttleAfter, 0, throttleBound + ThrottleAllowance);
            // Not before the price can have got there: it rises by at most the step per second.
            Assert.InRange(killAfter, KillPrice / Step - 0.05, killBound + KillAllowance);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>The shipped dwell's model with the test's budget, step and thresholds (the daemon fixture's numbers).</summary>
    private static FibreSpec HoldSpec()
    {
        var dwell = Fixtures.DwellSpec();
        var budget = ValueSpec.Of(Budget);
        return dwell with
        {
            Resources = EquatableArray.Create(dwell.Resources[0] with { Budget = budget }),
            Couplings = EquatableArray.Create(dwell.Couplings[0] with { Rhs = budget }),
            Solver = dwell.Solver with { Step = Step },
            Actuators = EquatableArray.Create(dwell.Actuators[0] with { Threshold = ThrottlePrice }, dwell.Actuators[1] with { Threshold = KillPrice }),
            FixedPoint = dwell.FixedPoint! with { StepFixed = (long)(Step * (1 << 20)), BudgetFixed = (long)(Budget * (1 << 20)) },
        };
    }
}
