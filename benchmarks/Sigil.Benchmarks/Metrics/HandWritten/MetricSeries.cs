using System;
using System.Threading;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>
/// One series of a family: a double held as its IEEE bits in a <see cref="long"/>, so that
/// writers update it with one interlocked operation and the scrape reads it with a volatile load,
/// without a lock.
/// </summary>
public abstract class MetricSeries
{
    private long _bits;

    private protected MetricSeries(string[] labelValues) => LabelValues = labelValues;

    /// <summary>The series' label values, in the family's label order.</summary>
    public ReadOnlySpan<string> Labels => LabelValues;

    /// <summary>The current value.</summary>
    public double Value => BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    internal string[] LabelValues { get; }

    private protected void SetCore(double value) => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));

    private protected void AddCore(double delta)
    {
        var current = Volatile.Read(ref _bits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + delta);
            var seen = Interlocked.CompareExchange(ref _bits, next, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private protected void MaxCore(double value)
    {
        var current = Volatile.Read(ref _bits);
        while (BitConverter.Int64BitsToDouble(current) < value)
        {
            var seen = Interlocked.CompareExchange(ref _bits, BitConverter.DoubleToInt64Bits(value), current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>A counter series: only ever increases.</summary>
public sealed class CounterSeries : MetricSeries
{
    internal CounterSeries(string[] labelValues)
        : base(labelValues)
    {
    }

    /// <summary>Adds one.</summary>
    public void Inc() => AddCore(1);

    /// <summary>Adds <paramref name="delta"/>, which must be non-negative and finite.</summary>
    public void Add(double delta)
    {
        if (!(delta >= 0) || double.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "a counter only increases by a finite non-negative amount");
        }

        AddCore(delta);
    }

    /// <summary>
    /// Raises the counter to <paramref name="total"/> when that is larger: mirrors a total kept
    /// elsewhere (a kernel map counter) without ever going backwards.
    /// </summary>
    public void IncreaseTo(double total)
    {
        if (double.IsNaN(total) || double.IsInfinity(total))
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "a counter total must be finite");
        }

        MaxCore(total);
    }
}

/// <summary>A gauge series: set to any value.</summary>
public sealed class GaugeSeries : MetricSeries
{
    internal GaugeSeries(string[] labelValues)
        : base(labelValues)
    {
    }

    /// <summary>Sets the value.</summary>
    public void Set(double value) => SetCore(value);

    /// <summary>Adds <paramref name="delta"/> (may be negative).</summary>
    public void Add(double delta) => AddCore(delta);
}
