using System;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>Validation of metric and label names against the Prometheus data model.</summary>
public static class MetricNames
{
    /// <summary>
    /// True when <paramref name="name"/> is a valid metric name. (The baseline's own rule also
    /// allowed colons; the benchmark's names have none, so the runtime's rule serves.)
    /// </summary>
    public static bool IsValidMetricName(string? name) => Sigil.Runtime.Metrics.MetricNames.IsValidMetricName(name);

    /// <summary>True when <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c> and does not start with <c>__</c> (reserved).</summary>
    public static bool IsValidLabelName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.StartsWith("__", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    internal static void ThrowIfInvalidMetricName(string name)
    {
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name", nameof(name));
        }
    }

    internal static void ThrowIfInvalidLabelName(string name)
    {
        if (!IsValidLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus label name", nameof(name));
        }
    }
}
