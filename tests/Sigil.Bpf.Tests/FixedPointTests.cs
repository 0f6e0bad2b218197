using System;
using System.Buffers.Binary;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>The C# mirror against bpf/sigil_fixed.h compiled by gcc (undefined behaviour trapped).</summary>
public sealed class FixedPointTests
{
    private const int InputSize = 88;
    private const int OutputSize = 40;

    private static readonly long[] s_extremes =
    {
        0, 1, -1, 2, -2, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1,
        int.MaxValue, int.MinValue, 1L << 20, -(1L << 20), 1L << 31, 1L << 32, 1L << 40, 1L << 52,
        1L << 62, -(1L << 62), 3037000499, 3037000500, -3037000500, 5L << 20, 3600L << 20,
    };

    [Fact]
    public void FixedPoint_MillionInputsWithExtremes_BitIdenticalToTheCHeader()
    {
        const int count = 1_000_000;
        var random = new Random(20240521);
        var input = new byte[count * InputSize];
        var cases = new (long Price, long Load, ulong Ns, long Step, long Budget, long LoadMax, long PriceMax, ulong NsPerUnit, int Scale, long A, long B)[count];
        for (var i = 0; i < count; i++)
        {
            var scale = random.Next(0, 33);
            var c = (
                Price: Value(random),
                Load: Value(random),
                Ns: (ulong)Value(random),
                Step: Value(random),
                Budget: Value(random),
                LoadMax: Value(random) & long.MaxValue,
                PriceMax: Value(random) & long.MaxValue,
                NsPerUnit: random.Next(4) switch { 0 => 1_000_000_000UL, 1 => 1UL, 2 => 1UL << 32, _ => (ulong)random.NextInt64(1, (1L << 32) + 1) },
                Scale: scale,
                A: Value(random),
                B: Value(random));
            cases[i] = c;
            var span = input.AsSpan(i * InputSize, InputSize);
            BinaryPrimitives.WriteInt64LittleEndian(span, c.Price);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], c.Load);
            BinaryPrimitives.WriteUInt64LittleEndian(span[16..], c.Ns);
            BinaryPrimitives.WriteInt64LittleEndian(span[24..], c.Step);
            BinaryPrimitives.WriteInt64LittleEndian(span[32..], c.Budget);
            BinaryPrimitives.WriteInt64LittleEndian(span[40..], c.LoadMax);
            BinaryPrimitives.WriteInt64LittleEndian(span[48..], c.PriceMax);
            BinaryPrimitives.WriteUInt64LittleEndian(span[56..], c.NsPerUnit);
            BinaryPrimitives.WriteUInt32LittleEndian(span[64..], (uint)c.Scale);
            BinaryPrimitives.WriteInt64LittleEndian(span[72..], c.A);
            BinaryPrimitives.WriteInt64LittleEndian(span[80..], c.B);
        }

        var output = NativeRun.Binary(NativeTools.FixedHarness, "fixed", input);
        Assert.Equal(count * OutputSize, output.Length);
        var saturatedProducts = 0;
        for (var i = 0; i < count; i++)
        {
            var c = cases[i];
            var o = output.AsSpan(i * OutputSize, OutputSize);
            var product = BinaryPrimitives.ReadInt64LittleEndian(o[16..]);
            if (BinaryPrimitives.ReadInt64LittleEndian(o) != FixedPoint.PriceUpdate(c.Price, c.Load, c.Step, c.Budget, c.LoadMax, c.PriceMax, c.Scale) ||
                BinaryPrimitives.ReadInt64LittleEndian(o[8..]) != FixedPoint.FromNanoseconds(c.Ns, c.NsPerUnit, c.Scale, c.LoadMax) ||
                product != FixedPoint.MulSat(c.A, c.B) ||
                BinaryPrimitives.ReadInt64LittleEndian(o[24..]) != FixedPoint.AddSat(c.A, c.B) ||
                BinaryPrimitives.ReadInt64LittleEndian(o[32..]) != FixedPoint.SubSat(c.A, c.B))
            {
                Assert.Fail($"C and C# differ on case {i}: {c}: C gives update {BinaryPrimitives.ReadInt64LittleEndian(o)}, from_ns {BinaryPrimitives.ReadInt64LittleEndian(o[8..])}, mul {product}");
            }

            saturatedProducts += product is long.MaxValue or long.MinValue ? 1 : 0;
        }

        // The inputs reach the saturating paths, not only the easy ones.
        Assert.InRange(saturatedProducts, count / 20, count);
    }

    [Fact]
    public void FromNanoseconds_IsTheExactFloorOfTheScaledQuotient()
    {
        // An independent oracle in unbounded integers: floor(ns * 2^scale / npu), clamped.
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            var scale = random.Next(0, 33);
            var ns = random.Next(3) switch { 0 => (ulong)random.NextInt64(), 1 => (ulong)random.NextInt64(0, 1L << 45), _ => ulong.MaxValue - (ulong)random.Next(1000) };
            var npu = random.Next(2) == 0 ? 1_000_000_000UL : (ulong)random.NextInt64(1, (1L << 32) + 1);
            var loadMax = random.Next(2) == 0 ? long.MaxValue : random.NextInt64(0, long.MaxValue);
            var exact = (new System.Numerics.BigInteger(ns) << scale) / npu;
            var expected = exact > loadMax ? loadMax : (long)exact;
            Assert.True(expected == FixedPoint.FromNanoseconds(ns, npu, scale, loadMax), $"ns {ns}, npu {npu}, scale {scale}, max {loadMax}");
        }
    }

    [Fact]
    public void FixedPoint_KnownValues()
    {
        var p = new FixedPointSpec("dwell", 20, 2L << 20, 5L << 20, 3600L << 20, 1L << 40, 1_000_000_000);
        Assert.Equal(0, FixedPoint.Apply(p, 0, 1_000_000_000));                       // 1 s < 5 s budget: stays at 0
        Assert.Equal(10L << 20, FixedPoint.Apply(p, 0, 10_000_000_000));              // 2 * (10 - 5) = 10
        Assert.Equal(p.ToFixed(2 * 3595.0), FixedPoint.Apply(p, 0, 100_000_000_000_000)); // clamped to 3600 s
        Assert.Equal(1L << 40, FixedPoint.Apply(p, (1L << 40) - 1, 100_000_000_000_000)); // saturates at the price bound
        Assert.Equal(0, FixedPoint.PriceUpdate(-5, 0, 1, 0, 0, 10, 0));              // negative price clamped
        Assert.Equal(long.MaxValue, FixedPoint.MulSat(long.MinValue, -1));
        Assert.Equal(long.MinValue, FixedPoint.AddSat(long.MinValue, -1));
        Assert.Equal(1L << 19, FixedPoint.FromNanoseconds(500_000_000, 1_000_000_000, 20, long.MaxValue));
        Assert.Equal(15.0, p.ToDouble(p.ToFixed(15.0)));
    }

    [Fact]
    public void FixedPoint_Validate_RejectsConstantsOutOfRange()
    {
        var valid = new FixedPointSpec("dwell", 20, 1, 1, 1, 1, 1_000_000_000);
        FixedPoint.Validate(valid);
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Validate(valid with { ScaleBits = 33 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Validate(valid with { NanosecondsPerUnit = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Validate(valid with { NanosecondsPerUnit = (1L << 32) + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Validate(valid with { LoadMaxFixed = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPoint.Validate(valid with { PriceMaxFixed = -1 }));
    }

    // Half the values are extremes or near them, half anywhere in the 64-bit range or small.
    private static long Value(Random random) => random.Next(6) switch
    {
        0 => s_extremes[random.Next(s_extremes.Length)],
        1 => s_extremes[random.Next(s_extremes.Length)] + random.Next(-3, 4),
        2 => random.NextInt64(long.MinValue, long.MaxValue),
        3 => random.NextInt64(-(1L << 45), 1L << 45),
        4 => random.NextInt64(0, 1L << 34),
        _ => (long)(random.NextInt64() << random.Next(0, 40)),
    };
}
