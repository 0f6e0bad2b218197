using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>
/// A family whose series are created on first use and live as long as the family: per-fibre,
/// per-resource and per-kind series, whose number is fixed by the fibre. (Per-agent series,
/// whose members come and go, use <see cref="GaugeSnapshot"/> instead.)
/// </summary>
/// <typeparam name="TSeries">The series type.</typeparam>
public abstract class LabelledFamily<TSeries> : MetricFamily
    where TSeries : MetricSeries
{
    private readonly ConcurrentDictionary<string[], TSeries> _series = new(LabelValuesComparer.Instance);
    private readonly Func<string[], TSeries> _create;
    private int _version;
    private SortedView? _sorted;

    private protected LabelledFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames, Func<string[], TSeries> create)
        : base(name, help, type, labelNames)
    {
        _create = create;
        if (labelNames.Count == 0)
        {
            // A family without labels has exactly one series, present from the start.
            _ = WithLabels();
        }
    }

    /// <summary>The most series a family holds; beyond it <see cref="WithLabels"/> throws (cardinality guard).</summary>
    public int MaxSeries { get; init; } = 10_000;

    /// <summary>The series for <paramref name="labelValues"/> (in label-name order), created on first use.</summary>
    public TSeries WithLabels(params string[] labelValues)
    {
        CheckLabelValues(labelValues);
        if (_series.TryGetValue(labelValues, out var existing))
        {
            return existing;
        }

        if (_series.Count >= MaxSeries)
        {
            throw new InvalidOperationException($"'{Name}' already holds {MaxSeries} series; refusing more (label cardinality)");
        }

        var copy = (string[])labelValues.Clone();
        var series = _series.GetOrAdd(copy, _create);
        if (ReferenceEquals(series.LabelValues, copy))
        {
            Interlocked.Increment(ref _version);
        }

        return series;
    }

    private protected override void WriteSamples(StringBuilder text)
    {
        foreach (var series in Sorted())
        {
            WriteSample(text, series.LabelValues, series.Value);
        }
    }

    // Series are sorted once per change of the series set, not per scrape: the version counter says
    // when the cached order is stale.
    private TSeries[] Sorted()
    {
        var version = Volatile.Read(ref _version);
        var cached = Volatile.Read(ref _sorted);
        if (cached is not null && cached.Version == version)
        {
            return cached.Items;
        }

        var items = new List<TSeries>(_series.Values);
        items.Sort(static (a, b) => CompareLabelValues(a.LabelValues, b.LabelValues));
        var array = items.ToArray();
        Volatile.Write(ref _sorted, new SortedView(version, array));
        return array;
    }

    private sealed record SortedView(int Version, TSeries[] Items);
}

/// <summary>A counter family.</summary>
public sealed class Counter : LabelledFamily<CounterSeries>
{
    internal Counter(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Counter, labelNames, static v => new CounterSeries(v))
    {
    }
}

/// <summary>A gauge family.</summary>
public sealed class Gauge : LabelledFamily<GaugeSeries>
{
    internal Gauge(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Gauge, labelNames, static v => new GaugeSeries(v))
    {
    }
}
