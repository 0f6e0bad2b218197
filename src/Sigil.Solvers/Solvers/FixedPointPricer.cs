using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The online pricer of a fibre whose price the kernel keeps, in the kernel's own arithmetic:
/// each row's price is an integer scaled by <c>2^scaleBits</c>, and a sample moves it by
/// <c>sigil_fx_price_update(price, sigil_fx_from_ns(ns), ...)</c> through
/// <see cref="FixedPointArithmetic"/>, the C# statement-by-statement copy of
/// <c>bpf/sigil_fixed.h</c>. What the Coq library proves of the kernel's update (FixedPoint.v:
/// no overflow, range, error at most <c>n / 2^bits</c> after <c>n</c> updates against the real
/// update) holds for these prices too, with no floating-point rounding in the update.
/// </summary>
/// <remarks>
/// A sample given in nanoseconds (<see cref="Update(int, ulong)"/>) goes through exactly the
/// kernel's path. A load given in the fibre's units (<see cref="Update(int, double)"/>) is first
/// rounded to the nearest nanosecond (<c>load * nanosecondsPerUnit</c>), the only floating-point
/// step, an error of at most half a nanosecond of load. Allocation-free after construction,
/// deterministic, not thread-safe.
/// </remarks>
public sealed class FixedPointPricer
{
    private readonly long[] _fixed;
    private readonly double[] _price;

    /// <summary>Creates a pricer of <paramref name="rows"/> rows with the kernel's constants.</summary>
    /// <exception cref="ArgumentException">A constant is outside what sigil_fixed.h supports, or an initial price is out of range.</exception>
    public FixedPointPricer(int rows, int scaleBits, long stepFixed, long budgetFixed, long loadMaxFixed, long priceMaxFixed, long nanosecondsPerUnit, ReadOnlySpan<double> initialPrices = default)
    {
        if (rows < 0)
        {
            throw new ArgumentException($"rows must be >= 0, got {rows}.", nameof(rows));
        }

        FixedPointArithmetic.CheckConstants(scaleBits, nanosecondsPerUnit, loadMaxFixed, priceMaxFixed, nameof(scaleBits));

        if (!initialPrices.IsEmpty)
        {
            CouplingMatrix.CheckLength(initialPrices.Length, rows, nameof(initialPrices));
        }

        ScaleBits = scaleBits;
        StepFixed = stepFixed;
        BudgetFixed = budgetFixed;
        LoadMaxFixed = loadMaxFixed;
        PriceMaxFixed = priceMaxFixed;
        NanosecondsPerUnit = nanosecondsPerUnit;
        _fixed = new long[rows];
        _price = new double[rows];
        for (int l = 0; l < rows; l++)
        {
            double p = initialPrices.IsEmpty ? 0 : initialPrices[l];
            if (!double.IsFinite(p) || p < 0)
            {
                throw new ArgumentException($"Row {l}: initial price {p} is out of range.", nameof(initialPrices));
            }

            Set(l, Math.Min(FixedPointArithmetic.ToFixed(p, scaleBits), priceMaxFixed));
        }
    }

    /// <summary>Binary digits after the point.</summary>
    public int ScaleBits { get; }

    /// <summary>The step gamma, scaled.</summary>
    public long StepFixed { get; }

    /// <summary>The budget, scaled.</summary>
    public long BudgetFixed { get; }

    /// <summary>Loads are clamped to [0, LoadMaxFixed].</summary>
    public long LoadMaxFixed { get; }

    /// <summary>Prices saturate at PriceMaxFixed.</summary>
    public long PriceMaxFixed { get; }

    /// <summary>Kernel nanoseconds per unit of load.</summary>
    public long NanosecondsPerUnit { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _fixed.Length;

    /// <summary>The current prices, as numbers (each exactly its fixed-point value).</summary>
    public ReadOnlySpan<double> Prices => _price;

    /// <summary>The current prices in fixed point, as the kernel stores them.</summary>
    public ReadOnlySpan<long> FixedPrices => _fixed;

    /// <summary>Ticks applied so far (whole-vector updates).</summary>
    public long Ticks { get; private set; }

    /// <summary>Updates one row from a sample of <paramref name="sampleNanoseconds"/>, exactly as the kernel does; returns the new fixed-point price.</summary>
    public long Update(int row, ulong sampleNanoseconds)
    {
        long load = FixedPointArithmetic.FromNanoseconds(sampleNanoseconds, (ulong)NanosecondsPerUnit, ScaleBits, LoadMaxFixed);
        Set(row, FixedPointArithmetic.PriceUpdate(_fixed[row], load, StepFixed, BudgetFixed, LoadMaxFixed, PriceMaxFixed, ScaleBits));
        return _fixed[row];
    }

    /// <summary>
    /// Updates one row from a load in the fibre's units, rounded to the nearest nanosecond, and
    /// returns the new price. Non-finite loads are ignored (the price is kept).
    /// </summary>
    public double Update(int row, double load)
    {
        if (double.IsFinite(load))
        {
            Update(row, Nanoseconds(load));
        }

        return _price[row];
    }

    /// <summary>One tick: every row's price moves against its measured load.</summary>
    /// <exception cref="ArgumentException">The load vector has the wrong length.</exception>
    public void Update(ReadOnlySpan<double> loads)
    {
        CouplingMatrix.CheckLength(loads.Length, _fixed.Length, nameof(loads));
        for (int l = 0; l < _fixed.Length; l++)
        {
            Update(l, loads[l]);
        }

        Ticks++;
    }

    private ulong Nanoseconds(double load)
    {
        double ns = Math.Round(load * NanosecondsPerUnit, MidpointRounding.AwayFromZero);
        return ns <= 0 ? 0UL : ns >= 1.8446744073709552e19 ? ulong.MaxValue : (ulong)ns;
    }

    private void Set(int row, long value)
    {
        _fixed[row] = value;
        _price[row] = FixedPointArithmetic.ToDouble(value, ScaleBits);
    }
}
