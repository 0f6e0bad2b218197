using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The kernel's fixed-point price arithmetic, operation for operation as <c>bpf/sigil_fixed.h</c>
/// does it (the header is printed from proofs/Sigil/KernelC.v): saturating products and sums,
/// floor rounding (arithmetic shift, unsigned division). One definition in C#: the daemon's kernel
/// mirror (<c>Sigil.Runtime.Bpf.FixedPoint</c>) and the userspace <see cref="FixedPointPricer"/>
/// both call it, and the eBPF tests check it bit for bit against the header compiled by gcc on a
/// million inputs.
/// </summary>
public static class FixedPointArithmetic
{
    /// <summary><paramref name="a"/> * <paramref name="b"/>, saturated to the long range (sigil_fx_mul_sat).</summary>
    public static long MulSat(long a, long b)
    {
        var ua = a < 0 ? 0UL - (ulong)a : (ulong)a;
        var ub = b < 0 ? 0UL - (ulong)b : (ulong)b;
        var negative = (a < 0) != (b < 0);
        if (((ua | ub) >> 31) != 0 && ua != 0 && ub > (ulong)long.MaxValue / ua)
        {
            return negative ? long.MinValue : long.MaxValue;
        }

        var product = ua * ub;
        return negative ? -(long)product : (long)product;
    }

    /// <summary><paramref name="a"/> + <paramref name="b"/>, saturated (sigil_fx_add_sat).</summary>
    public static long AddSat(long a, long b)
    {
        if (b > 0 && a > long.MaxValue - b)
        {
            return long.MaxValue;
        }

        if (b < 0 && a < long.MinValue - b)
        {
            return long.MinValue;
        }

        return a + b;
    }

    /// <summary><paramref name="a"/> - <paramref name="b"/>, saturated (sigil_fx_sub_sat).</summary>
    public static long SubSat(long a, long b)
    {
        if (b < 0 && a > long.MaxValue + b)
        {
            return long.MaxValue;
        }

        if (b > 0 && a < long.MinValue + b)
        {
            return long.MinValue;
        }

        return a - b;
    }

    /// <summary>A load in kernel nanoseconds, in fixed point, clamped to [0, loadMax] (sigil_fx_from_ns).</summary>
    public static long FromNanoseconds(ulong ns, ulong nanosecondsPerUnit, int scaleBits, long loadMax)
    {
        if (loadMax <= 0 || nanosecondsPerUnit == 0)
        {
            return 0;
        }

        // ns << scaleBits fits: one division gives the same floor as the two below.
        if ((ns >> (63 - scaleBits)) == 0)
        {
            var scaled = (ns << scaleBits) / nanosecondsPerUnit;
            return scaled > (ulong)loadMax ? loadMax : (long)scaled;
        }

        var whole = ns / nanosecondsPerUnit;
        var rest = ns - (whole * nanosecondsPerUnit);
        if (whole > ((ulong)loadMax >> scaleBits))
        {
            return loadMax;
        }

        var fx = (whole << scaleBits) + ((rest << scaleBits) / nanosecondsPerUnit);
        return fx > (ulong)loadMax ? loadMax : (long)fx;
    }

    /// <summary>The projected dual step (sigil_fx_price_update).</summary>
    public static long PriceUpdate(long price, long load, long step, long budget, long loadMax, long priceMax, int scaleBits)
    {
        if (load < 0)
        {
            load = 0;
        }

        if (load > loadMax)
        {
            load = loadMax;
        }

        if (price < 0)
        {
            price = 0;
        }

        if (price > priceMax)
        {
            price = priceMax;
        }

        var delta = MulSat(step, SubSat(load, budget)) >> scaleBits;
        var next = AddSat(price, delta);
        if (next < 0)
        {
            return 0;
        }

        return next > priceMax ? priceMax : next;
    }

    /// <summary><paramref name="value"/> scaled by 2^<paramref name="scaleBits"/>, rounded to nearest, saturated.</summary>
    public static long ToFixed(double value, int scaleBits)
    {
        var scaled = Math.Round(Math.ScaleB(value, scaleBits), MidpointRounding.AwayFromZero);
        return scaled >= 9.2233720368547758e18 ? long.MaxValue : scaled <= -9.2233720368547758e18 ? long.MinValue : (long)scaled;
    }

    /// <summary>A fixed-point value as a number.</summary>
    public static double ToDouble(long value, int scaleBits) => Math.ScaleB(value, -scaleBits);

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> (for <paramref name="parameter"/>) when a
    /// constant is outside what sigil_fixed.h supports: the one range check of the kernel mirror and
    /// the userspace pricer.
    /// </summary>
    public static void CheckConstants(int scaleBits, long nanosecondsPerUnit, long loadMax, long priceMax, string parameter)
    {
        if (scaleBits is < 0 or > Sigil.Language.Model.FixedPointSpec.MaxScaleBits)
        {
            throw new ArgumentOutOfRangeException(parameter, scaleBits, "fixed point supports 0 to 32 fraction bits");
        }

        if (nanosecondsPerUnit is < 1 or > Sigil.Language.Model.FixedPointSpec.MaxNanosecondsPerUnit)
        {
            throw new ArgumentOutOfRangeException(parameter, nanosecondsPerUnit, "nanoseconds per unit must be 1 to 2^32");
        }

        if (loadMax < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, loadMax, "the load bound must not be negative");
        }

        if (priceMax < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, priceMax, "the price bound must not be negative");
        }
    }
}
