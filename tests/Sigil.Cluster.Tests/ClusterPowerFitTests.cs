using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>
/// The fit of the sensed power to the node's model (gain and offset, recursive least squares):
/// alone, and in <c>sigil run</c> reading a fake powercap tree (a folder given by <c>--sysfs</c>)
/// whose RAPL energy counter the test advances as a machine would that draws 1.5 times the model
/// plus 30 W of base power.
/// </summary>
public sealed class ClusterPowerFitTests(ITestOutputHelper output)
{
    private const double TrueGain = 1.5;
    private const double TrueOffset = 30;

    [Fact]
    public void Fit_LearnsGainAndOffset_AndStaysBoundedOnASteadyLoad()
    {
        var fit = new PowerModelFit(600, 600);
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var model = 300 * random.NextDouble();
            fit.Add(model, (TrueGain * model) + TrueOffset);
        }

        output.WriteLine($"varying load: gain {fit.Gain:F4}, offset {fit.Offset:F3} W");
        Assert.Equal(TrueGain, fit.Gain, 3);
        Assert.Equal(TrueOffset, fit.Offset, 1);

        // A steady load with noise excites one direction only: the estimate stays within its bounds
        // and keeps predicting the reading at that load.
        for (var i = 0; i < 10_000; i++)
        {
            fit.Add(100, (TrueGain * 100) + TrueOffset + ((random.NextDouble() - 0.5) * 4));
        }

        output.WriteLine($"steady load: gain {fit.Gain:F4}, offset {fit.Offset:F3} W");
        Assert.InRange(fit.Gain, PowerModelFit.MinGain, PowerModelFit.MaxGain);
        Assert.InRange(fit.Offset, 0, fit.MaxOffset);
        Assert.Equal((TrueGain * 100) + TrueOffset, (fit.Gain * 100) + fit.Offset, 0);

        // NaN and negative readings are ignored.
        var readings = fit.Readings;
        fit.Add(double.NaN, 1);
        fit.Add(1, -5);
        Assert.Equal(readings, fit.Readings);
    }

    [Fact]
    public void Fit_DrivenToABound_StillPredictsTheReadingOnASteadyLoad()
    {
        // Readings paired with a stale model (a meter that lags a falling allocation) push the gain to
        // its upper bound and the offset below 0. A steady load afterwards must bring the prediction
        // back to the reading: with the offset held at its bound, the error is the gain's to absorb.
        var fit = new PowerModelFit(400, 12_800);
        for (var i = 0; i < 20; i++)
        {
            fit.Add(24, (TrueGain * 200) + TrueOffset);
        }

        for (var i = 0; i < 20; i++)
        {
            fit.Add(200, (TrueGain * 24) + TrueOffset);
        }

        output.WriteLine($"after stale readings: gain {fit.Gain:F4}, offset {fit.Offset:F3} W");
        var steady = (TrueGain * 24.25) + TrueOffset;
        for (var i = 0; i < 100; i++)
        {
            fit.Add(24.25, steady);
        }

        output.WriteLine($"after 100 steady readings: gain {fit.Gain:F4}, offset {fit.Offset:F3} W, predicted {(fit.Gain * 24.25) + fit.Offset:F2} W against {steady:F2} W");
        Assert.Equal(steady, (fit.Gain * 24.25) + fit.Offset, 0);
    }

    [Fact]
    public async Task Run_FakeRaplCounter_FitPredictsTheDrawAndHoldsItToTheBudget()
    {
        if (EtcdServer.Missing is { } missing)
        {
            output.WriteLine("skipped: " + missing);
            return;
        }

        const double Budget = 100;
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"sigil-cluster-rapl-{Guid.NewGuid():N}");
        var fibre = ClusterNamespaceTests.Fibre(Path.Combine(folder, "fibre"), Budget, "dual");
        var zone = Path.Combine(folder, "sys", "class", "powercap", "intel-rapl:0");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "max_energy_range_uj"), "262143328850");
        var energy = 0.0;
        WriteEnergy(zone, energy);
        var jobs = Enumerable.Range(0, 3).Select(_ => Process.Start(new ProcessStartInfo("sleep", "120"))!).ToList();
        var node = new ClusterTlsTests.CliNode($"run {ClusterNamespaceTests.Built(fibre)} --etcd {etcd.Url} --node rapl0 --round 200ms --lease 2s --duration 60s --metrics-url none --sysfs {Path.Combine(folder, "sys")} --scope {string.Join(' ', jobs.Select(j => j.Id))}");
        using var stop = new CancellationTokenSource();

        // The machine: it draws 1.5 x the modelled load of the allocation the node applies, plus 30 W,
        // its counter advanced every few milliseconds (a counter read between two advances lags).
        var meter = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var last = clock.Elapsed;
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(2);
                var model = node.Lines.LastOrDefault()?.Model ?? 0;
                var now = clock.Elapsed;
                energy += ((TrueGain * model) + TrueOffset) * (now - last).TotalSeconds * 1e6;
                last = now;
                WriteEnergy(zone, energy);
            }
        });
        try
        {
            // A steady load cannot separate gain from offset (Fit_LearnsGainAndOffset... shows the
            // separation on a moving load): what the node needs, and what is waited for, is a fit that
            // predicts the machine's draw at the load it applies. Without the fit it predicts the model
            // alone (gain 1, offset 0): about half the draw here.
            var fitted = await node.WaitAsync(s => s.Mode == "Joined" && Math.Abs((s.Gain * s.Model) + s.Offset - ((TrueGain * s.Model) + TrueOffset)) < 0.02 * Budget, TimeSpan.FromSeconds(40), "the node's fit predicts the draw");
            await Task.Delay(TimeSpan.FromSeconds(1));
            var s = node.Lines.Last();
            var draw = (TrueGain * s.Model) + TrueOffset;
            output.WriteLine($"round {s.Round}: gain {s.Gain:F4}, offset {s.Offset:F2} W; model {s.Model:F2} W, applied (sensed units) {s.Applied:F2} W, true draw {draw:F2} W, share {s.Share:F2} W");
            Assert.Contains("RAPL energy counters (intel-rapl:0)", node.Errors, StringComparison.Ordinal);
            Assert.Contains($"recursive least squares (forgetting factor {PowerModelFit.Forgetting.ToString(CultureInfo.InvariantCulture)}", node.Errors, StringComparison.Ordinal);
            Assert.Equal(s.Applied, (s.Gain * s.Model) + s.Offset, 6);
            Assert.True(Math.Abs(s.Applied - draw) <= 0.05 * Budget, $"the fitted model predicts the draw: {s.Applied:F2} W against {draw:F2} W");
            Assert.True(draw <= Budget * 1.05, $"the true draw {draw:F2} W is held to the budget {Budget} W (uncorrected it would be {(TrueGain * s.Share) + TrueOffset:F2} W)");
        }
        finally
        {
            await stop.CancelAsync();
            await meter;
            node.Dispose();
            foreach (var j in jobs)
            {
                j.Kill();
                j.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    // A counter written in one rename, so that the node never reads half a number.
    private static void WriteEnergy(string zone, double microjoules)
    {
        var temporary = Path.Combine(zone, ".energy_uj.tmp");
        File.WriteAllText(temporary, ((long)microjoules).ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, Path.Combine(zone, "energy_uj"), overwrite: true);
    }
}
