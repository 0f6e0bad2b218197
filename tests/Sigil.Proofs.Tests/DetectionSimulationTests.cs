using System;
using System.Linq;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Proofs;
using Sigil.Runtime.Solvers;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>
/// The report's detection and recovery bounds against the runtime's own price updates run with
/// the same numbers: the online pricer (doubles, Sigil.Runtime.Solvers.OnlinePricer) and the
/// kernel's fixed-point update (Sigil.Runtime.Bpf.FixedPoint, checked bit for bit against
/// bpf/sigil_fixed.h by the eBPF tests).
/// </summary>
public sealed class DetectionSimulationTests
{
    private readonly ITestOutputHelper _output;

    public DetectionSimulationTests(ITestOutputHelper output) => _output = output;

    /// <summary>The runtime's real-valued update, p' = max(0, p + g (l - c)), one row.</summary>
    private static double Update(double g, double c, double load, double price)
    {
        var pricer = new OnlinePricer(new[] { c }, new[] { Sigil.Runtime.Solvers.RowSense.LessOrEqual }, g, new[] { price });
        return pricer.Update(0, load);
    }

    /// <summary>The kernel's update, p' = min(PriceMax, max(0, p + (Step (clamp(l) - Budget) >> bits))), as the runtime mirrors it.</summary>
    private static long Update(FixedPointSpec k, long load, long price)
        => FixedPoint.PriceUpdate(price, load, k.StepFixed, k.BudgetFixed, k.LoadMaxFixed, k.PriceMaxFixed, k.ScaleBits);

    public static TheoryData<string, bool> Fibres => new()
    {
        { "dwell", true },
        { "dwell, step 0.5, budget 2.5, thresholds 1 and 40", true },
        { "dwell, budget 0.75 under 1 s, load max 60, price max 5000", true },
        { "dwell, step 0.1 (not a binary fraction), scale 2^16", false },
    };

    [CoqTheory]
    [MemberData(nameof(Fibres))]
    public void DetectionBound_InTheReport_MatchesTheSimulatedUpdate(string what, bool exactInDoubles)
    {
        var spec = what == "dwell" ? Fixtures.Dwell() : ProofReportTests.OtherFibre(what);
        var report = ProofReport.Run(spec, Coq.Options with { CheckAssumptions = false });
        _output.WriteLine(report.Format());
        // Bounds in updates (the hold timer's, in seconds, are measured on the kernel by the daemon tests).
        var bounds = report.Rows.Where(r => r.Bound is not null && r.Bound.Kind != "hold").ToList();
        Assert.Contains(bounds, r => r.Bound!.Kind == "detection" && !r.Bound.Kernel);
        Assert.Contains(bounds, r => r.Bound!.Kind == "detection" && r.Bound.Kernel);
        Assert.Contains(bounds, r => r.Bound!.Kind == "recovery");
        var budget = spec.Resources[0].Budget.Constant;
        var g = spec.Solver.Step;
        var k = spec.FixedPoint!;
        var one = 1L << k.ScaleBits;
        foreach (var row in bounds)
        {
            Assert.Equal(ProofStatus.Accepted, row.Status);
            var b = row.Bound!;
            Assert.Contains("within " + b.Updates + " updates", row.Meaning);
            long steps;
            if (!b.Kernel && b.Kind == "detection")
            {
                steps = Count(0.0, p => p >= b.Price, p => Update(g, budget, budget + b.Margin, p));
                // From a higher start the bound still holds.
                Assert.True(Count(b.Price / 3, p => p >= b.Price, p => Update(g, budget, budget + b.Margin, p)) <= b.Updates);
            }
            else if (!b.Kernel)
            {
                steps = Count(b.Price, p => p == 0, p => Update(g, budget, budget - b.Margin, p));
            }
            else if (b.Kind == "detection")
            {
                var threshold = (long)Math.Round(b.Price * one, MidpointRounding.AwayFromZero);
                steps = Count(0L, p => p >= threshold, p => Update(k, k.BudgetFixed + one, p));
            }
            else
            {
                var from = (long)Math.Round(b.Price * one, MidpointRounding.AwayFromZero);
                steps = Count(from, p => p == 0, p => Update(k, k.BudgetFixed - one, p));
            }

            _output.WriteLine($"{row.Theorem}: simulated {steps}, stated {b.Updates}");
            if (b.Kernel || exactInDoubles)
            {
                // Integers, or doubles whose arithmetic here is exact: the stated bound is the simulated count.
                Assert.Equal(b.Updates, steps);
            }
            else
            {
                // Rounding of the doubles may move the crossing by one update.
                Assert.InRange(steps, b.Updates - 1, b.Updates + 1);
            }
        }
    }

    [Fact]
    public void KernelPrice_StaysWithinTheStatedErrorOfTheRealPrice()
    {
        // s_dwell_kernel_error: 0 <= real - kernel <= n / 2^bits, here on random loads.
        var spec = Fixtures.Dwell(step: 0.3, scaleBits: 12);
        var k = spec.FixedPoint!;
        var scale = Math.Pow(2, k.ScaleBits);
        var random = new Random(20240611);
        double real = 0;
        long kernel = 0;
        for (var n = 1; n <= 2000; n++)
        {
            var load = (long)random.Next(0, (int)(12 * scale));
            var clamped = Math.Max(0, Math.Min(load, k.LoadMaxFixed));
            real = Math.Min(k.PriceMaxFixed / scale, Update(k.StepFixed / scale, k.BudgetFixed / scale, clamped / scale, real));
            kernel = Update(k, load, kernel);
            var gap = real - kernel / scale;
            Assert.InRange(gap, -1e-9, n / scale + 1e-9);
        }
    }

    private static long Count<T>(T start, Func<T, bool> done, Func<T, T> update)
    {
        var value = start;
        for (long n = 0; n < 10_000_000; n++)
        {
            if (done(value))
            {
                return n;
            }

            value = update(value);
        }

        throw new InvalidOperationException("the simulated price never got there");
    }
}
