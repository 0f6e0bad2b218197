using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;

namespace Sigil.Llvm.Tests;

/// <summary>
/// The whole path of a price to an instrumented program: the dwell daemon runs on this kernel,
/// the program's own shell holds a file past the budget (the kernel prices it), then becomes the
/// instrumented copy program, whose hook reads that price from the daemon's pinned price map or
/// from its shared price page and backs off every write by it.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class DaemonPriceTests
{
    private const int ScaleBits = 20;
    private const int Block = 4096;
    private const int Blocks = 32;

    private readonly LlvmFixture _fixture;

    public DaemonPriceTests(LlvmFixture fixture) => _fixture = fixture;

    [BpfFact]
    public async Task PriceOfTheRunningDaemon_ReachesTheInstrumentedProgram_ThroughTheMapAndThePage()
    {
        var dwell = _fixture.Dwell;
        var copy = dwell.CompileProgram(Toolchain.CopySample, Path.Combine(dwell.Root, "copy-daemon"));
        var work = Path.Combine(dwell.Root, "daemon-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        var held = Path.Combine(work, "held");
        File.WriteAllText(held, "x");
        var source = Toolchain.RandomFile(work, "in.bin", Block * Blocks);
        var pins = "/sys/fs/bpf/sigil-test-" + Guid.NewGuid().ToString("N")[..8];
        var page = Path.Combine(work, "dwell.prices");

        foreach (var (name, environment) in new[]
        {
            ("map", new Dictionary<string, string> { ["SIGIL_DWELL_PRICE_MAP"] = pins + "/price_dwell", ["SIGIL_DWELL_PRICE_PAGE"] = string.Empty, ["SIGIL_DWELL_STATS"] = "1" }),
            ("page", new Dictionary<string, string> { ["SIGIL_DWELL_PRICE_MAP"] = string.Empty, ["SIGIL_DWELL_PRICE_PAGE"] = page, ["SIGIL_DWELL_STATS"] = "1" }),
        })
        {
            // The shell holds a file 1.2 s over a 0.1 s budget (price 2 * 1.1 = 2.2), then execs the
            // program (0.3 s later: the page follows the kernel at the daemon's next tick): the
            // loader's short opens (0.2 each) pull the price down a little, not to 0.
            var target = Path.Combine(work, $"out-{name}.bin");
            environment["HELD"] = held;
            using var program = Toolchain.Start("/bin/sh", ["-c", "read _; exec 3<\"$HELD\"; sleep 1.2; exec 3<&-; sleep 0.3; exec \"$0\" \"$@\"", copy, "-b", "4096", source, target], work, environment, redirectInput: true);
            var options = new DaemonOptions
            {
                Sensor = SensorChoice.Kernel,
                Scope = [program.Id],
                Tick = TimeSpan.FromMilliseconds(100),
                MetricsUrl = null,
                StateDirectory = Path.Combine(work, "state-" + name),
                PricePage = page,
                PinFolder = pins,
                LogFormat = LogFormat.None,
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var started = new TaskCompletionSource();
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = new BpfKernelFibreFactory(Sigil.Testing.KernelObjects.DwellFor(Fibre())) { Scope = [(uint)program.Id] },
                Started = _ => started.TrySetResult(),
            };
            var daemon = launcher.RunAsync(Fibre(), options, stop.Token);
            await Task.WhenAny(started.Task, daemon);
            Assert.True(started.Task.IsCompleted, $"the daemon did not start (exit {(daemon.IsCompleted ? daemon.Result : -1)})");

            var clock = Stopwatch.StartNew();
            program.StandardInput.WriteLine();
            program.StandardInput.Close();
            var result = Toolchain.Finish(program, clock, TimeSpan.FromMinutes(1));
            stop.Cancel();
            Assert.Equal(DaemonExitCodes.Ok, await daemon);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
            var stats = HookStats.Parse("sigil-dwell", result.Stderr);
            Assert.Equal(name, stats.Source);
            Assert.InRange(stats.Price, 1UL << (ScaleBits - 2), 9UL << (ScaleBits - 2)); // 0.25 to 2.25
            Assert.Equal((ulong)Blocks, stats.Backoffs);

            // backoff(us = 100): price * 100 us before each write. The map is the kernel's own price,
            // final once the loader's short opens are closed, before main. The page follows the kernel
            // at the daemon's next tick, which may fall inside the copy; the writes before it then back
            // off by an earlier, higher price (after exec every span is shorter than the budget, so the
            // price only falls), never by less than the final one, nor by more than the 2.25 above.
            var expected = Blocks * (stats.Price * 100_000.0 / (1 << ScaleBits));
            var highest = name == "map" ? expected * 1.01 : Blocks * (9.0 / 4) * 100_000.0;
            Assert.InRange(stats.BackoffNs, expected * 0.99, highest);
        }

        Assert.False(Directory.Exists(pins), "the daemon left its pin folder");
        Assert.False(File.Exists(page), "the daemon left its price page");
    }

    // The dwell fibre as fibres/dwell.sigil maps it, with a 0.1 s budget and prices out of reach of the actions.
    private static DaemonFibre Fibre() => new(
        "dwell",
        "task",
        AgentKeyKind.Pid,
        10240,
        [new AgentRow("dwell", 0.1, "hold", 1, "couple @dwell[t] >= $hold[t];")],
        [
            new ActuatorRule(ActionKind.Throttle, "dwell", 50, 0.2, "act throttle(cpu = 20%) when ^dwell[t] >= 50;"),
            new ActuatorRule(ActionKind.Kill, "dwell", 100, 0, "act kill when ^dwell[t] >= 100;"),
        ],
        new SensorDescription("hold", "span", ["syscalls:sys_enter_openat", "syscalls:sys_enter_close"], ["pid", "fd"], 1e9, "sense"),
        2,
        3600,
        1e6,
        [],
        new Dictionary<string, string> { ["dwell"] = "price_dwell" });
}
