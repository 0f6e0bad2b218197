using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Prometheus;

namespace Sigil.Runtime.Metrics;

/// <summary>One sample of a <see cref="GaugeSnapshot"/>: label values and the value.</summary>
/// <param name="LabelValues">Values in the family's label order.</param>
/// <param name="Value">The sample value.</param>
public readonly record struct GaugeSample(string[] LabelValues, double Value);

/// <summary>
/// A gauge family replaced as a whole: each daemon tick publishes the current top-k agents, so
/// agents that left the top k (or exited) disappear from the next scrape instead of lingering as
/// stale series.
/// </summary>
/// <remarks>
/// prometheus-net keeps a series until it is removed; it has no "replace the family" operation.
/// Publishing therefore swaps one immutable array (the tick loop takes no lock), and the registry's
/// before-collect callback brings the gauge in line with the latest array (removes the series no
/// longer published, sets the rest) under a lock, so each scrape sees one whole snapshot.
/// </remarks>
public sealed class GaugeSnapshot
{
    private readonly Gauge _gauge;
    private readonly object _applyLock = new();
    private GaugeSample[] _samples = [];
    private GaugeSample[]? _applied;

    internal GaugeSnapshot(CollectorRegistry registry, Gauge gauge)
    {
        _gauge = gauge;
        registry.AddBeforeCollectCallback(Apply);
    }

    /// <summary>The family's name.</summary>
    public string Name => _gauge.Name;

    /// <summary>The most samples one snapshot may hold (cardinality guard).</summary>
    public int MaxSeries { get; init; } = 1_000;

    /// <summary>The samples of the last snapshot, in the order they were published.</summary>
    public IReadOnlyList<GaugeSample> Samples => Volatile.Read(ref _samples);

    /// <summary>Replaces every sample of the family with <paramref name="samples"/>; duplicate label values are refused.</summary>
    public void Publish(IEnumerable<GaugeSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var list = new List<GaugeSample>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            ArgumentNullException.ThrowIfNull(sample.LabelValues, nameof(samples));
            if (sample.LabelValues.Length != _gauge.LabelNames.Length)
            {
                throw new ArgumentException(
                    $"'{Name}' has {_gauge.LabelNames.Length} label(s) ({string.Join(", ", _gauge.LabelNames)}), {sample.LabelValues.Length} value(s) were given",
                    nameof(samples));
            }

            foreach (var value in sample.LabelValues)
            {
                ArgumentNullException.ThrowIfNull(value, nameof(samples));
            }

            if (!seen.Add(Key(sample.LabelValues)))
            {
                throw new ArgumentException($"'{Name}' snapshot has two samples with labels {{{string.Join(",", sample.LabelValues)}}}", nameof(samples));
            }

            list.Add(sample with { LabelValues = (string[])sample.LabelValues.Clone() });
            if (list.Count > MaxSeries)
            {
                throw new InvalidOperationException($"'{Name}' snapshot holds more than {MaxSeries} series (label cardinality)");
            }
        }

        Volatile.Write(ref _samples, list.ToArray());
    }

    // Runs on the scraping thread before the registry collects.
    private void Apply()
    {
        lock (_applyLock)
        {
            var latest = Volatile.Read(ref _samples);
            if (ReferenceEquals(latest, _applied))
            {
                return;
            }

            var keep = new HashSet<string>(latest.Length, StringComparer.Ordinal);
            foreach (var sample in latest)
            {
                keep.Add(Key(sample.LabelValues));
            }

            foreach (var labels in _gauge.GetAllLabelValues().ToArray())
            {
                if (!keep.Contains(Key(labels)))
                {
                    _gauge.RemoveLabelled(labels);
                }
            }

            foreach (var sample in latest)
            {
                _gauge.WithLabels(sample.LabelValues).Set(sample.Value);
            }

            _applied = latest;
        }
    }

    // Label values as one unambiguous string: each value prefixed by its length.
    private static string Key(string[] labelValues) => string.Join('|', Array.ConvertAll(labelValues, v => $"{v.Length}:{v}"));
}
