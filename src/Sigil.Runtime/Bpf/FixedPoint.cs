using System;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// The C# mirror of <c>bpf/sigil_fixed.h</c>, the kernel's fixed-point price update
/// <c>price &lt;- sat(max(0, price + (step * (load - budget)) &gt;&gt; scale_bits))</c>, with the
/// fibre's constants (<see cref="FixedPointSpec"/>). The arithmetic itself is
/// <see cref="FixedPointArithmetic"/> (Sigil.Solvers, which the userspace pricer shares); the tests
/// check it bit for bit against the header compiled by gcc on a million inputs.
/// </summary>
public static class FixedPoint
{
    /// <summary><paramref name="a"/> * <paramref name="b"/>, saturated to the long range (sigil_fx_mul_sat).</summary>
    public static long MulSat(long a, long b) => FixedPointArithmetic.MulSat(a, b);

    /// <summary><paramref name="a"/> + <paramref name="b"/>, saturated (sigil_fx_add_sat).</summary>
    public static long AddSat(long a, long b) => FixedPointArithmetic.AddSat(a, b);

    /// <summary><paramref name="a"/> - <paramref name="b"/>, saturated (sigil_fx_sub_sat).</summary>
    public static long SubSat(long a, long b) => FixedPointArithmetic.SubSat(a, b);

    /// <summary>A load in kernel nanoseconds, in fixed point, clamped to [0, loadMax] (sigil_fx_from_ns).</summary>
    public static long FromNanoseconds(ulong ns, ulong nanosecondsPerUnit, int scaleBits, long loadMax)
        => FixedPointArithmetic.FromNanoseconds(ns, nanosecondsPerUnit, scaleBits, loadMax);

    /// <summary>The projected dual step (sigil_fx_price_update).</summary>
    public static long PriceUpdate(long price, long load, long step, long budget, long loadMax, long priceMax, int scaleBits)
        => FixedPointArithmetic.PriceUpdate(price, load, step, budget, loadMax, priceMax, scaleBits);

    /// <summary>The update of <paramref name="price"/> by one sample of <paramref name="sampleNanoseconds"/>, as the kernel applies it with the constants <paramref name="p"/>.</summary>
    public static long Apply(FixedPointSpec p, long price, ulong sampleNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(p);
        return PriceUpdate(price, FromNanoseconds(sampleNanoseconds, (ulong)p.NanosecondsPerUnit, p.ScaleBits, p.LoadMaxFixed), p.StepFixed, p.BudgetFixed, p.LoadMaxFixed, p.PriceMaxFixed, p.ScaleBits);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="p"/> is outside what sigil_fixed.h supports.</summary>
    public static void Validate(FixedPointSpec p)
    {
        ArgumentNullException.ThrowIfNull(p);
        FixedPointArithmetic.CheckConstants(p.ScaleBits, p.NanosecondsPerUnit, p.LoadMaxFixed, p.PriceMaxFixed, nameof(p));
    }

    /// <summary><paramref name="value"/> scaled by 2^<paramref name="scaleBits"/>, rounded to nearest, saturated.</summary>
    public static long ToFixed(double value, int scaleBits) => FixedPointArithmetic.ToFixed(value, scaleBits);

    /// <summary>A fixed-point value as a number.</summary>
    public static double ToDouble(long value, int scaleBits) => FixedPointArithmetic.ToDouble(value, scaleBits);

    /// <summary><paramref name="value"/> at the scale of <paramref name="p"/>, rounded to nearest.</summary>
    public static long ToFixed(this FixedPointSpec p, double value) => ToFixed(value, p.ScaleBits);

    /// <summary>A fixed-point <paramref name="value"/> at the scale of <paramref name="p"/> as a number.</summary>
    public static double ToDouble(this FixedPointSpec p, long value) => ToDouble(value, p.ScaleBits);
}
