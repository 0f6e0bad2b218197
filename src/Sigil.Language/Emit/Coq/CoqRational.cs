using System;
using System.Globalization;
using System.Numerics;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// An exact rational number. Doubles convert to the exact binary fraction they hold, so the
/// numbers a Coq file reasons about are the ones the runtime computes with, not decimal
/// approximations of them. Always reduced, with a positive denominator.
/// </summary>
internal sealed class CoqRational : IComparable<CoqRational>, IEquatable<CoqRational>
{
    private CoqRational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("a rational with denominator 0");
        }

        if (denominator.Sign < 0)
        {
            numerator = -numerator;
            denominator = -denominator;
        }

        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsZero && !gcd.IsOne)
        {
            numerator /= gcd;
            denominator /= gcd;
        }

        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public bool IsInteger => Denominator.IsOne;

    public int Sign => Numerator.Sign;

    public static CoqRational Zero { get; } = new(BigInteger.Zero, BigInteger.One);

    public static CoqRational One { get; } = new(BigInteger.One, BigInteger.One);

    public static CoqRational Of(BigInteger numerator, BigInteger denominator) => new(numerator, denominator);

    public static CoqRational FromInteger(BigInteger value) => new(value, BigInteger.One);

    /// <summary>The exact value of a finite double: mantissa times a power of two.</summary>
    public static CoqRational FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{value} is not a finite number", nameof(value));
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        var m = new BigInteger(negative ? -mantissa : mantissa);
        return exponent >= 0
            ? new CoqRational(m * BigInteger.Pow(2, exponent), BigInteger.One)
            : new CoqRational(m, BigInteger.Pow(2, -exponent));
    }

    public static CoqRational operator +(CoqRational a, CoqRational b)
        => new(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static CoqRational operator -(CoqRational a, CoqRational b)
        => new(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static CoqRational operator *(CoqRational a, CoqRational b)
        => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static CoqRational operator /(CoqRational a, CoqRational b)
        => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static bool operator <(CoqRational a, CoqRational b) => a.CompareTo(b) < 0;

    public static bool operator >(CoqRational a, CoqRational b) => a.CompareTo(b) > 0;

    public static bool operator <=(CoqRational a, CoqRational b) => a.CompareTo(b) <= 0;

    public static bool operator >=(CoqRational a, CoqRational b) => a.CompareTo(b) >= 0;

    /// <summary>The greatest integer at most this number.</summary>
    public BigInteger Floor()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    /// <summary>The least integer at least this number.</summary>
    public BigInteger Ceiling()
    {
        var q = BigInteger.DivRem(Numerator, Denominator, out var r);
        return r.Sign > 0 ? q + 1 : q;
    }

    /// <summary>The nearest integer, halves away from zero (as <c>Math.Round(v, MidpointRounding.AwayFromZero)</c>).</summary>
    public BigInteger Round()
    {
        var twice = new CoqRational(2 * BigInteger.Abs(Numerator) + Denominator, 2 * Denominator).Floor();
        return Numerator.Sign < 0 ? -twice : twice;
    }

    public int CompareTo(CoqRational? other)
        => other is null ? 1 : (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public bool Equals(CoqRational? other)
        => other is not null && Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => Equals(obj as CoqRational);

    public override int GetHashCode() => unchecked((Numerator.GetHashCode() * 397) ^ Denominator.GetHashCode());

    /// <summary>A Coq real literal: <c>15</c>, <c>(-15)</c>, <c>(3 / 4)</c>, <c>(-3 / 4)</c>.</summary>
    public string ToCoqReal()
    {
        if (IsInteger)
        {
            return Numerator.Sign < 0 ? "(" + Text(Numerator) + ")" : Text(Numerator);
        }

        return "(" + Text(Numerator) + " / " + Text(Denominator) + ")";
    }

    public override string ToString() => IsInteger ? Text(Numerator) : Text(Numerator) + "/" + Text(Denominator);

    /// <summary>An integer in invariant digits.</summary>
    public static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
