using System;
using System.Collections.Generic;
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
/// longer published, sets the rest) under a lock, so each scrape sees one whole snapshot. Only
/// this class adds or removes the gauge's series.
/// </remarks>
public sealed class GaugeSnapshot
{
    private readonly Gauge _gauge;
    private readonly object _applyLock = new();
    private GaugeSample[] _samples = [];
    private GaugeSample[]? _applied;
    private Dictionary<string[], Gauge.Child> _children = new(LabelValuesComparer.Instance);
    private Dictionary<string[], Gauge.Child> _spare = new(LabelValuesComparer.Instance);

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
        var seen = new HashSet<string[]>(LabelValuesComparer.Instance);
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

            if (!seen.Add(sample.LabelValues))
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

    // Runs on the scraping thread before the registry collects. The children of the applied
    // snapshot are kept by label values, so an agent that stays costs one lookup and one Set.
    private void Apply()
    {
        lock (_applyLock)
        {
            var latest = Volatile.Read(ref _samples);
            if (ReferenceEquals(latest, _applied))
            {
                return;
            }

            var next = _spare;
            next.Clear();
            foreach (var sample in latest)
            {
                if (!_children.TryGetValue(sample.LabelValues, out var child))
                {
                    child = _gauge.WithLabels(sample.LabelValues);
                }

                child.Set(sample.Value);
                next[sample.LabelValues] = child;
            }

            foreach (var (labels, child) in _children)
            {
                if (!next.ContainsKey(labels))
                {
                    child.Remove();
                }
            }

            (_children, _spare) = (next, _children);
            _applied = latest;
        }
    }

    /// <summary>Structural equality of label-value tuples, the key of the applied children.</summary>
    private sealed class LabelValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(string[] obj)
        {
            var hash = default(HashCode);
            foreach (var s in obj)
            {
                hash.Add(s, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
