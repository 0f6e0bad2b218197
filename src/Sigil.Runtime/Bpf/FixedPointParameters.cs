using System;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// The parameters of a fibre's kernel price update, in fixed point (values scaled by
/// 2^<see cref="ScaleBits"/>): the tunables <c>fx_*</c> of its eBPF object.
/// </summary>
/// <param name="ScaleBits">Binary digits after the point, 0 to 32.</param>
/// <param name="Step">The dual step, scaled.</param>
/// <param name="Budget">The budget, scaled.</param>
/// <param name="LoadMax">Loads are clamped to [0, LoadMax] (scaled), LoadMax &gt;= 0.</param>
/// <param name="PriceMax">Prices saturate at PriceMax (scaled), PriceMax &gt;= 0.</param>
/// <param name="NanosecondsPerUnit">Kernel nanoseconds per unit of load, 1 to 2^32.</param>
public readonly record struct FixedPointParameters(
    int ScaleBits,
    long Step,
    long Budget,
    long LoadMax,
    long PriceMax,
    ulong NanosecondsPerUnit)
{
    /// <summary>The most fraction bits sigil_fixed.h supports.</summary>
    public const int MaxScaleBits = 32;

    /// <summary>The largest nanoseconds-per-unit sigil_fixed.h supports.</summary>
    public const ulong MaxNanosecondsPerUnit = 1UL << 32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when the parameters are outside what sigil_fixed.h supports.</summary>
    public void Validate()
    {
        if (ScaleBits is < 0 or > MaxScaleBits)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleBits), ScaleBits, "fixed point supports 0 to 32 fraction bits");
        }

        if (NanosecondsPerUnit is < 1 or > MaxNanosecondsPerUnit)
        {
            throw new ArgumentOutOfRangeException(nameof(NanosecondsPerUnit), NanosecondsPerUnit, "nanoseconds per unit must be 1 to 2^32");
        }

        if (LoadMax < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LoadMax), LoadMax, "the load bound must not be negative");
        }

        if (PriceMax < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PriceMax), PriceMax, "the price bound must not be negative");
        }
    }

    /// <summary><paramref name="value"/> in fixed point, rounded to nearest.</summary>
    public long ToFixed(double value) => FixedPoint.ToFixed(value, ScaleBits);

    /// <summary>A fixed-point <paramref name="value"/> as a number.</summary>
    public double ToDouble(long value) => FixedPoint.ToDouble(value, ScaleBits);
}
