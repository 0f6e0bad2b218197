using System.Diagnostics;
using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language;
using Sigil.Language.Emit.Daemon;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// The main job's scenario on this machine's kernel, with its promises checked: fibres/dwell.sigil
/// (its numbers scaled down so the run takes seconds) runs armed on the eBPF sensor, scoped to a
/// simulated ransomware and a benign process. The proof report (coqc) states within how many
/// updates a process whose every file hold exceeds the budget by one second is throttled and
/// killed; the test replays every update the kernel made, bit for bit, and checks the throttle and
/// the kernel's kill came within those counts, that the benign process was sensed and never acted
/// on, and that the kernel's counters add up.
/// </summary>
[Collection(Sequential.Name)]
public sealed class DemoScenarioTests(ITestOutputHelper output)
{
    // Budget 0.5 s and step 0.5: a 1.8 s hold moves the price by 0.5 * 1.3 = 0.65. The proofs
    // promise throttling (price 1) within ceil(1 / 0.5) = 2 and the kill (2.5) within 5 updates.
    private static readonly (string From, string To)[] s_scaledDown =
    [
        ("param budget : s = 5.0;", "param budget : s = 0.5;"),
        ("param throttle_price = 5;", "param throttle_price = 1;"),
        ("param kill_price = 15;", "param kill_price = 2.5;"),
        ("solve dual { step = 2.0; online; }", "solve dual { step = 0.5; online; }"),
    ];

    [Fact]
    public async Task Demo_OnTheKernel_ThrottlesAndKillsWithinTheProvenUpdates_BenignUntouched_CountersAddUp()
    {
        var spec = CompileScaledDwell();
        var fibre = DaemonFibreMapper.Map(spec, out var problems);
        Assert.True(fibre is not null, string.Join("\n", problems));
        var report = ProofReport.Run(spec, new ProofReportOptions { CheckAssumptions = false });
        Assert.True(report.AllAccepted, report.Format());
        var budget = fibre!.Rows[0].Budget;
        var throttlePrice = fibre.Rules.Single(r => r.Kind == ActionKind.Throttle).Threshold;
        var killPrice = fibre.Rules.Single(r => r.Kind == ActionKind.Kill).Threshold;
        var throttleBound = Bound(report, throttlePrice, kernel: false);
        var killBound = Bound(report, killPrice, kernel: true);
        var margin = report.Rows.First(r => r.Bound is { Kind: "detection" }).Bound!.Margin;
        output.WriteLine($"proof report: throttled within {throttleBound} updates, killed in the kernel within {killBound} updates, each at least {margin} s over the {budget} s budget");

        using var work = new TempDirectory();
        var hold = budget + margin + 0.3;
        using var ransomware = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "workload", "ransomware", "--dir", work.Combine("ransomware"), "--hold", $"{hold:0.0##}s", "--files", "8");
        using var benign = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "workload", "benign", "--dir", work.Combine("benign"), "--rate", "200");
        try
        {
            var options = new DaemonOptions
            {
                Arm = true,
                Sensor = SensorChoice.Kernel,
                Scope = [ransomware.Id, benign.Id],
                Tick = TimeSpan.FromMilliseconds(100),
                MetricsUrl = null,
                StateDirectory = work.Combine("state"),
                KillGrace = TimeSpan.FromSeconds(1),
                LogFormat = LogFormat.None,
            };
            // The close path alone, as the update-counting theorems speak of it: the hold timer, which
            // charges a file still held (HoldTimerTests measures its bound in seconds), set past the run.
            var recorder = new RecordingKernelFactory(new BpfKernelFibreFactory(KernelObjects.DwellFor(spec)) { Scope = [(uint)ransomware.Id, (uint)benign.Id], HoldTick = TimeSpan.FromHours(1) });
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            DaemonApplication? app = null;
            var stopping = false;
            var sampledByTick = new List<int>();
            var actions = new List<(int Tick, ActionResult Action)>();
            var benignPrices = new List<double>();
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = recorder,
                Started = a =>
                {
                    app = a;
                    a.Engine.TickCompleted += snapshot =>
                    {
                        sampledByTick.Add(recorder.Samples(ransomware.Id).Count);
                        actions.AddRange(snapshot.Actions.Select(x => (sampledByTick.Count - 1, x)));
                        benignPrices.Add(a.Engine.Agents.Find(benign.Id)?.Prices[0] ?? 0);
                        if (ransomware.HasExited && !stopping)
                        {
                            stopping = true;
                            stop.CancelAfter(TimeSpan.FromMilliseconds(300));
                        }
                    };
                },
            };

            var clock = Stopwatch.StartNew();
            Assert.Equal(DaemonExitCodes.Ok, await launcher.RunAsync(fibre, options, stop.Token));
            output.WriteLine($"daemon ran {clock.Elapsed.TotalSeconds:0.0} s");

            // Replay the kernel's fixed-point updates of the ransomware's price, sample by sample;
            // every frame's last replayed price must be the price the kernel reported.
            var parameters = recorder.Parameters!;
            var samples = recorder.Samples(ransomware.Id);
            var price = 0L;
            var prices = new List<long>();
            foreach (var frame in recorder.Frames(ransomware.Id))
            {
                foreach (var ns in frame.LoadsNs)
                {
                    price = FixedPoint.Apply(parameters, price, ns);
                    prices.Add(price);
                }

                Assert.Equal(FixedPoint.ToDouble(price, parameters.ScaleBits), frame.KernelPrice);
            }

            for (var i = 0; i < samples.Count; i++)
            {
                output.WriteLine($"update {i + 1}: held {samples[i] / 1e9:0.000} s, price {FixedPoint.ToDouble(prices[i], parameters.ScaleBits):0.###}");
            }

            // The promise is about consecutive updates each at least the margin over the budget,
            // from any starting price: count from the last update that was not (the process's own
            // start-up opens), and require the ransomware's holds to be such updates.
            var qualifies = samples.Select(ns => ns / 1e9 >= budget + margin).ToList();
            var throttledAt = FirstAtOrAbove(prices, FixedPoint.ToFixed(throttlePrice, parameters.ScaleBits));
            var killedAt = FirstAtOrAbove(prices, FixedPoint.ToFixed(killPrice, parameters.ScaleBits));
            Assert.True(throttledAt > 0, "the ransomware's price never reached the throttle price");
            Assert.True(killedAt > 0, "the ransomware's price never reached the kill price");
            var runStart = qualifies.Take(throttledAt).ToList().FindLastIndex(q => !q) + 1;
            Assert.All(qualifies.Skip(runStart).Take(killedAt - runStart), Assert.True);
            Assert.InRange(throttledAt - runStart, 1, throttleBound);
            Assert.InRange(killedAt - runStart, 1, killBound);

            // Throttled by the daemon at the first tick that saw the crossing update, killed by the
            // kernel at the update that crossed the kill price (no later update of its price).
            var throttle = Assert.Single(actions, x => x.Action.Request.Kind == ActionKind.Throttle);
            Assert.Equal((ransomware.Id, ActionStatus.Applied), (throttle.Action.Request.Pid, throttle.Action.Status));
            var seenAtThrottle = sampledByTick[throttle.Tick];
            var seenTickBefore = throttle.Tick > 0 ? sampledByTick[throttle.Tick - 1] : 0;
            Assert.True(seenAtThrottle >= throttledAt, $"throttled after {seenAtThrottle} updates, before the price crossed at update {throttledAt}");
            Assert.True(seenTickBefore < throttledAt, $"the tick before the throttle had already seen {seenTickBefore} updates (crossing at {throttledAt}): the throttle came a tick late");
            Assert.True(ransomware.HasExited, "the ransomware is still running");
            Assert.Equal(128 + 9, ransomware.ExitCode);
            Assert.Equal(killedAt, samples.Count);

            // The benign process was sensed (its short closes are updates too) and never priced or touched.
            Assert.True(recorder.Samples(benign.Id).Count > 50, $"the benign process was not sensed: {recorder.Samples(benign.Id).Count} updates");
            Assert.All(recorder.Frames(benign.Id), f => Assert.Equal(0.0, f.KernelPrice));
            Assert.All(benignPrices, p => Assert.Equal(0.0, p));
            Assert.DoesNotContain(actions, x => x.Action.Request.Pid == benign.Id);
            Assert.False(benign.HasExited, "the benign process died");

            // Every event seen is processed, filtered or dropped. The counters are read while the
            // benign process (and the rest of the machine) still makes events: an event counted as
            // seen whose outcome is not counted yet is in flight, and a CPU runs one tracepoint
            // program at a time (the kernel skips a nested one), so at most one per CPU.
            var counters = recorder.LastCounters;
            Assert.True(counters.Seen > 0);
            var accounted = counters.Processed + counters.Filtered + counters.Dropped;
            Assert.InRange(counters.Seen - accounted, 0UL, (ulong)Environment.ProcessorCount);
            Assert.Equal(0UL, counters.Dropped);
        }
        finally
        {
            foreach (var p in new[] { ransomware, benign })
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static FibreSpec CompileScaledDwell()
    {
        var text = File.ReadAllText(ShippedFibres.PathOf("dwell"));
        foreach (var (from, to) in s_scaledDown)
        {
            Assert.Contains(from, text);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        var result = SigilCompiler.Compile(new SourceFile("dwell.sigil", text), _ => null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    private static long Bound(ProofReportResult report, double price, bool kernel) =>
        report.Rows.Single(r => r.Bound is { Kind: "detection" } b && b.Price == price && b.Kernel == kernel).Bound!.Updates;

    // 1-based index of the first price at or above the threshold; 0 when none is.
    private static int FirstAtOrAbove(IReadOnlyList<long> prices, long threshold)
    {
        for (var i = 0; i < prices.Count; i++)
        {
            if (prices[i] >= threshold)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>One sensed frame of one agent: its samples in nanoseconds and the kernel's price after them.</summary>
    private sealed record AgentFrame(IReadOnlyList<ulong> LoadsNs, double? KernelPrice);

    /// <summary>The kernel fibre the daemon opens, with every frame it senses recorded.</summary>
    private sealed class RecordingKernelFactory(BpfKernelFibreFactory inner) : IKernelFibreFactory
    {
        private readonly Dictionary<int, List<AgentFrame>> _frames = [];

        public Sigil.Language.Model.FixedPointSpec? Parameters { get; private set; }

        public SensorCounters LastCounters { get; private set; }

        public IReadOnlyList<AgentFrame> Frames(int agent)
        {
            lock (_frames)
            {
                return _frames.TryGetValue(agent, out var frames) ? [.. frames] : [];
            }
        }

        public IReadOnlyList<ulong> Samples(int agent) => [.. Frames(agent).SelectMany(f => f.LoadsNs)];

        public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
        {
            var kernel = (BpfKernelFibre)inner.Open(fibre, bpfFs, traceFs);
            Parameters = kernel.Parameters;
            return new Recording(kernel, this);
        }

        private void Record(SensorFrame frame)
        {
            lock (_frames)
            {
                LastCounters = frame.Counters;
                foreach (var agent in frame.Agents)
                {
                    if (!_frames.TryGetValue(agent.Agent, out var frames))
                    {
                        _frames[agent.Agent] = frames = [];
                    }

                    // Loads arrive in seconds (nanoseconds / 1e9): rounding recovers the kernel's nanoseconds.
                    frames.Add(new AgentFrame([.. agent.Completed.Select(s => (ulong)Math.Round(s * 1e9))], agent.KernelPrice));
                }
            }
        }

        private sealed class Recording(BpfKernelFibre kernel, RecordingKernelFactory owner) : IKernelFibre
        {
            public string Name => kernel.Name;

            public string Description => kernel.Description;

            public bool KeepsPrices => kernel.KeepsPrices;

            public bool KillsInKernel => kernel.KillsInKernel;

            public void Attach() => kernel.Attach();

            public SensorFrame Sense()
            {
                var frame = kernel.Sense();
                owner.Record(frame);
                return frame;
            }

            public void WritePrice(int tgid, double price) => kernel.WritePrice(tgid, price);

            public void SetArmed(bool armed, int daemonTgid) => kernel.SetArmed(armed, daemonTgid);

            public void Allow(int tgid) => kernel.Allow(tgid);

            public void Dispose() => kernel.Dispose();
        }
    }
}
