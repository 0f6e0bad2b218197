using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>
/// The daemon's metrics, written in the Prometheus text format 0.0.4.
/// </summary>
/// <remarks>
/// <para>
/// The daemon's exposition as it was written by hand before prometheus-net (commit b90e8b5),
/// kept here unchanged only as the metrics benchmark's baseline; nothing in the product uses it.
/// </para>
/// <para>
/// Contention: families are registered at start-up under a lock and published as an immutable,
/// name-sorted array; after that nothing takes a lock. A series' value is a double held in a
/// <see cref="long"/> and changed with one interlocked operation; the per-agent snapshot families
/// are swapped whole. A scrape therefore never blocks the tick loop, and the tick loop never
/// blocks a scrape. Output order is deterministic: families by name, series by label values,
/// both ordinal.
/// </para>
/// </remarks>
public sealed class MetricRegistry
{
    private readonly object _registrationLock = new();
    private MetricFamily[] _families = [];

    /// <summary>The registered families, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Families => Volatile.Read(ref _families);

    /// <summary>Registers a counter family. Its name must end in <c>_total</c>.</summary>
    public Counter CreateCounter(string name, string help, params string[] labelNames) => Register(new Counter(name, help, labelNames));

    /// <summary>Registers a gauge family.</summary>
    public Gauge CreateGauge(string name, string help, params string[] labelNames) => Register(new Gauge(name, help, labelNames));

    /// <summary>Registers a gauge family published whole (per-agent series).</summary>
    public GaugeSnapshot CreateGaugeSnapshot(string name, string help, params string[] labelNames) => Register(new GaugeSnapshot(name, help, labelNames));

    /// <summary>The exposition of every family, in the Prometheus text format 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder(4096);
        RenderTo(text);
        return text.ToString();
    }

    /// <summary>Appends the exposition of every family to <paramref name="text"/>.</summary>
    public void RenderTo(StringBuilder text)
    {
        foreach (var family in Volatile.Read(ref _families))
        {
            family.WriteTo(text);
        }
    }

    /// <summary>Writes the exposition, UTF-8 encoded, to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        var bytes = Encoding.UTF8.GetBytes(Render());
        stream.Write(bytes, 0, bytes.Length);
    }

    private T Register<T>(T family)
        where T : MetricFamily
    {
        lock (_registrationLock)
        {
            var current = _families;
            foreach (var existing in current)
            {
                if (string.Equals(existing.Name, family.Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"metric '{family.Name}' is already registered", nameof(family));
                }
            }

            var next = new List<MetricFamily>(current) { family };
            next.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            Volatile.Write(ref _families, next.ToArray());
        }

        return family;
    }
}
