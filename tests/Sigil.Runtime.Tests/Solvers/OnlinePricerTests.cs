using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

public sealed class OnlinePricerTests
{
    [Fact]
    public void SustainedOverload_RaisesThePriceEveryTick()
    {
        var pricer = new OnlinePricer([5.0], [RowSense.LessOrEqual], step: 0.5);
        double previous = pricer.Prices[0];
        for (int tick = 1; tick <= 10; tick++)
        {
            pricer.Update([7.0]);
            Assert.Equal(previous + 0.5 * 2.0, pricer.Prices[0], 12);
            previous = pricer.Prices[0];
        }

        Assert.Equal(10, pricer.Ticks);
    }

    [Fact]
    public void Underload_ProjectsAtZero_OnlyOnLessOrEqualRows()
    {
        var pricer = new OnlinePricer([5.0, 5.0], [RowSense.LessOrEqual, RowSense.Equal], step: 1.0, [2.0, 2.0]);
        pricer.Update([1.0, 1.0]);
        Assert.Equal(0.0, pricer.Prices[0]);
        Assert.Equal(-2.0, pricer.Prices[1]);
        pricer.Update([1.0, 1.0]);
        Assert.Equal(0.0, pricer.Prices[0]);
        Assert.Equal(-6.0, pricer.Prices[1]);
    }

    [Fact]
    public void EventUpdates_TouchOneRow_AndIgnoreNonFiniteLoads()
    {
        var pricer = new OnlinePricer([5.0, 5.0, 5.0], [RowSense.LessOrEqual, RowSense.LessOrEqual, RowSense.LessOrEqual], [0.1, 0.2, 0.3]);
        Assert.Equal(0.6, pricer.Update(2, 7.0), 12);
        Assert.Equal(0.0, pricer.Prices[0]);
        Assert.Equal(0.0, pricer.Prices[1]);
        Assert.Equal(0.6, pricer.Update(2, double.NaN), 12);
    }

    [Fact]
    public void ClosedLoop_WithResponsiveAgents_SettlesAtTheOptimalPrice()
    {
        // Agents on one link respond to the price with x_i = w_i / pi (log utilities); the
        // measured load drives the price to sum w / c, where the link is exactly full.
        double[] w = [1.0, 2.0, 3.5, 0.25, 7.0, 1.5];
        var pricer = new OnlinePricer([10.0], [RowSense.LessOrEqual], step: 0.05, [0.5]);
        for (int tick = 0; tick < 500; tick++)
        {
            double load = 0;
            foreach (double wi in w)
            {
                load += Math.Min(wi / Math.Max(pricer.Prices[0], 1e-9), 100);
            }

            pricer.Update([load]);
        }

        Assert.Equal(1.525, pricer.Prices[0], 9);
        var a = CouplingMatrix.FromTriplets(1, 2, [0, 0], [0, 1], [2.0, 1.0]);
        Assert.Equal(3.05, pricer.PathPrice(a, 0), 9);
    }

    [Fact]
    public void UpdateAndSetPrices_AllocateNothing()
    {
        var pricer = new OnlinePricer(new double[64], new RowSense[64], step: 0.1);
        var loads = new double[64];
        pricer.Update(loads);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            pricer.Update(loads);
            pricer.Update(i % 64, 1.0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadInput_IsReported()
    {
        Assert.Contains("step", Assert.Throws<ArgumentException>(() => new OnlinePricer([1.0], [RowSense.LessOrEqual], step: 0)).Message);
        Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => new OnlinePricer([1.0], [RowSense.LessOrEqual], 1.0, [-1.0])).Message);
        var pricer = new OnlinePricer([1.0, 2.0], [RowSense.LessOrEqual, RowSense.Equal], step: 1);
        Assert.Throws<ArgumentException>(() => pricer.Update([1.0]));
        Assert.Throws<ArgumentException>(() => pricer.SetPrices([-1.0, 0.0]));
        pricer.SetPrices([1.0, -3.0]);
        Assert.Equal(-3.0, pricer.Prices[1]);
    }
}
