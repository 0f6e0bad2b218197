using System;
using System.Collections.Generic;
using System.Text;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>
/// A metric family: one name, one HELP text, one type and a fixed list of label names, with the
/// series (one per label-value combination) it holds.
/// </summary>
public abstract class MetricFamily
{
    private protected MetricFamily(string name, string help, MetricType type, IReadOnlyList<string> labelNames)
    {
        MetricNames.ThrowIfInvalidMetricName(name);
        if (type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter '{name}' must end in _total", nameof(name));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labelNames)
        {
            MetricNames.ThrowIfInvalidLabelName(label);
            if (!seen.Add(label))
            {
                throw new ArgumentException($"label '{label}' appears twice in '{name}'", nameof(labelNames));
            }
        }

        Name = name;
        Help = help ?? throw new ArgumentNullException(nameof(help));
        Type = type;
        LabelNames = [.. labelNames];
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text (unescaped).</summary>
    public string Help { get; }

    /// <summary>The metric type.</summary>
    public MetricType Type { get; }

    /// <summary>The label names, in the order values are given.</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Appends the family's HELP, TYPE and sample lines to <paramref name="text"/>.</summary>
    internal void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ');
        PrometheusTextFormat.AppendEscapedHelp(text, Help);
        text.Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(PrometheusTextFormat.TypeName(Type)).Append('\n');
        WriteSamples(text);
    }

    private protected abstract void WriteSamples(StringBuilder text);

    private protected void WriteSample(StringBuilder text, string[] labelValues, double value)
    {
        text.Append(Name);
        if (labelValues.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labelValues.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(LabelNames[i]).Append("=\"");
                PrometheusTextFormat.AppendEscapedLabelValue(text, labelValues[i]);
                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ');
        PrometheusTextFormat.AppendValue(text, value);
        text.Append('\n');
    }

    private protected string[] CheckLabelValues(string[] labelValues)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException(
                $"'{Name}' has {LabelNames.Count} label(s) ({string.Join(", ", LabelNames)}), {labelValues.Length} value(s) were given",
                nameof(labelValues));
        }

        foreach (var value in labelValues)
        {
            ArgumentNullException.ThrowIfNull(value, nameof(labelValues));
        }

        return labelValues;
    }

    /// <summary>Orders label-value tuples element by element, ordinally: the exposition's series order.</summary>
    private protected static int CompareLabelValues(string[] a, string[] b)
    {
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Structural equality of label-value tuples, the key of a family's series.</summary>
    private protected sealed class LabelValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null || x.Length != y.Length)
            {
                return false;
            }

            for (var i = 0; i < x.Length; i++)
            {
                if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

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
