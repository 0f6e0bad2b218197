using System;
using System.Globalization;
using System.Text;

namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: escaping and number formatting.
/// </summary>
/// <remarks>
/// The hand-written baseline of the metrics benchmark (see <see cref="MetricRegistry"/>). The rules follow the format's specification
/// (prometheus.io/docs/instrumenting/exposition_formats): in a label value, backslash, double
/// quote and line feed are escaped as <c>\\</c>, <c>\"</c> and <c>\n</c>; in HELP text only
/// backslash and line feed are escaped; sample values are Go-parseable floats with the special
/// values <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>.
/// </remarks>
public static class PrometheusTextFormat
{
    /// <summary>The HTTP content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Appends <paramref name="value"/> as a sample value: shortest round-trip form, invariant culture.</summary>
    public static void AppendValue(StringBuilder text, double value)
    {
        if (double.IsNaN(value))
        {
            text.Append("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            text.Append("+Inf");
        }
        else if (double.IsNegativeInfinity(value))
        {
            text.Append("-Inf");
        }
        else
        {
            Span<char> buffer = stackalloc char[32];
            if (value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture))
            {
                text.Append(buffer[..written]);
            }
            else
            {
                text.Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The text of a sample value (see <see cref="AppendValue"/>).</summary>
    public static string FormatValue(double value)
    {
        var text = new StringBuilder();
        AppendValue(text, value);
        return text.ToString();
    }

    /// <summary>Appends a label value with backslash, double quote and line feed escaped.</summary>
    public static void AppendEscapedLabelValue(StringBuilder text, string value) => AppendEscaped(text, value, quote: true);

    /// <summary>Appends HELP text with backslash and line feed escaped.</summary>
    public static void AppendEscapedHelp(StringBuilder text, string help) => AppendEscaped(text, help, quote: false);

    // The format's two escapes differ only in the double quote, which HELP text keeps as it is.
    private static void AppendEscaped(StringBuilder text, string value, bool quote)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '"' when quote:
                    text.Append("\\\"");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    internal static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
