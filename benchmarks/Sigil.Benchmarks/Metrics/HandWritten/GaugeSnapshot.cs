using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>One sample of a <see cref="GaugeSnapshot"/>: label values and the value.</summary>
/// <param name="LabelValues">Values in the family's label order.</param>
/// <param name="Value">The sample value.</param>
public readonly record struct GaugeSample(string[] LabelValues, double Value);

/// <summary>
/// A gauge family replaced as a whole: each daemon tick publishes the current top-k agents, so
/// agents that left the top k (or exited) disappear from the next scrape instead of lingering as
/// stale series. Publishing swaps one immutable array; the scrape reads it without a lock.
/// </summary>
public sealed class GaugeSnapshot : MetricFamily
{
    private GaugeSample[] _samples = [];

    internal GaugeSnapshot(string name, string help, IReadOnlyList<string> labelNames)
        : base(name, help, MetricType.Gauge, labelNames)
    {
    }

    /// <summary>The most samples one snapshot may hold (cardinality guard).</summary>
    public int MaxSeries { get; init; } = 1_000;

    /// <summary>The samples of the last snapshot, sorted by label values.</summary>
    public IReadOnlyList<GaugeSample> Samples => Volatile.Read(ref _samples);

    /// <summary>Replaces every sample of the family with <paramref name="samples"/>; duplicate label values are refused.</summary>
    public void Publish(IEnumerable<GaugeSample> samples)
    {
        var list = new List<GaugeSample>();
        foreach (var sample in samples)
        {
            CheckLabelValues(sample.LabelValues);
            list.Add(sample with { LabelValues = (string[])sample.LabelValues.Clone() });
            if (list.Count > MaxSeries)
            {
                throw new InvalidOperationException($"'{Name}' snapshot holds more than {MaxSeries} series (label cardinality)");
            }
        }

        list.Sort(static (a, b) => CompareLabelValues(a.LabelValues, b.LabelValues));
        for (var i = 1; i < list.Count; i++)
        {
            if (CompareLabelValues(list[i - 1].LabelValues, list[i].LabelValues) == 0)
            {
                throw new ArgumentException($"'{Name}' snapshot has two samples with labels {{{string.Join(",", list[i].LabelValues)}}}", nameof(samples));
            }
        }

        Volatile.Write(ref _samples, list.ToArray());
    }

    private protected override void WriteSamples(StringBuilder text)
    {
        foreach (var sample in Volatile.Read(ref _samples))
        {
            WriteSample(text, sample.LabelValues, sample.Value);
        }
    }
}
