using System;
using System.Globalization;
using System.Text;

namespace Sigil.Language.Emit.Kubernetes;

/// <summary>
/// YAML scalars made in code: every string is written double-quoted with YAML's escapes, every
/// number in the invariant culture, so no text from a fibre reaches a manifest unquoted and no
/// value changes type on the way (<c>"on"</c>, <c>"1e3"</c> and <c>"null"</c> stay strings).
/// </summary>
public static class YamlText
{
    /// <summary>A double-quoted YAML scalar: backslash, double quote and control characters escaped.</summary>
    public static string Quote(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>A flow sequence of quoted strings: <c>["a", "b"]</c>.</summary>
    public static string QuotedList(params string[] values)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < values.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Quote(values[i]));
        }

        return text.Append(']').ToString();
    }

    /// <summary>An integer scalar.</summary>
    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A Kubernetes resource quantity for <paramref name="value"/>, quoted: whole numbers as they
    /// are, fractions in milli-, micro- or nano-units (<c>0.5</c> is <c>"500m"</c>).
    /// </summary>
    public static string Quantity(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a quantity is finite and non-negative");
        }

        foreach (var (scale, suffix) in new[] { (1.0, string.Empty), (1e3, "m"), (1e6, "u"), (1e9, "n") })
        {
            var scaled = value * scale;
            var rounded = Math.Round(scaled);
            if (Math.Abs(scaled - rounded) < 1e-9 * Math.Max(1, Math.Abs(scaled)) || suffix == "n")
            {
                return Quote(((long)rounded).ToString(CultureInfo.InvariantCulture) + suffix);
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>
    /// A DNS-1123 label made from <paramref name="parts"/> joined by <c>-</c>: lower case, <c>_</c>
    /// as <c>-</c>; throws when the result is not a valid label of at most 63 characters.
    /// </summary>
    public static string Label(params string[] parts) =>
        TryLabel(parts, out var text) ? text : throw new ArgumentException($"'{text}' is not a valid Kubernetes name (DNS-1123 label, at most 63 characters)", nameof(parts));

    /// <summary>The label <see cref="Label"/> makes of <paramref name="parts"/>, and whether it is a valid DNS-1123 label.</summary>
    public static bool TryLabel(string[] parts, out string text)
    {
        text = string.Join("-", parts).ToLowerInvariant().Replace('_', '-');
        var valid = text.Length is > 0 and <= 63 && char.IsLetterOrDigit(text[0]) && char.IsLetterOrDigit(text[text.Length - 1]);
        foreach (var c in text)
        {
            valid &= c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-';
        }

        return valid;
    }

    /// <summary><paramref name="text"/> as the lines of a literal block scalar (<c>|</c>), each indented by <paramref name="indent"/> spaces.</summary>
    public static string Block(string text, int indent)
    {
        var pad = new string(' ', indent);
        var lines = text.TrimEnd('\n').Split('\n');
        var block = new StringBuilder();
        foreach (var line in lines)
        {
            if (line.IndexOf('\r') >= 0 || line.IndexOf('\t') >= 0)
            {
                throw new ArgumentException("a block scalar line may hold no tab or carriage return", nameof(text));
            }

            block.Append(line.Length == 0 ? string.Empty : pad + line).Append('\n');
        }

        return block.ToString().TrimEnd('\n');
    }

    /// <summary>Text for a <c>#</c> comment: one line, control characters as spaces.</summary>
    public static string Comment(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c < ' ' || c == '\u007f' ? ' ' : c);
        }

        return text.ToString();
    }
}
