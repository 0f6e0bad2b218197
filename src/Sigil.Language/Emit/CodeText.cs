using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Sigil.Language.Emit;

/// <summary>
/// Target-language text helpers shared by the emitters: names and literals are made here, in
/// code, never by a template engine. Every name reaching them is already a validated identifier;
/// these helpers still escape, so that no text from a fibre is spliced raw.
/// </summary>
public static class CodeText
{
    /// <summary><c>snake_case</c> or <c>lower</c> to <c>PascalCase</c>: <c>dwell_seconds</c> -> <c>DwellSeconds</c>.</summary>
    public static string Pascal(string name)
    {
        var text = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            text.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_') ? "_" + text : text.ToString();
    }

    /// <summary>A C# double literal, round-trip exact, invariant culture.</summary>
    public static string CSharpDouble(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text + "d" : text + ".0d";
    }

    /// <summary>A C# regular string literal with every character that needs it escaped.</summary>
    public static string CSharpString(string value)
    {
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
                    if (c < ' ' || c > '~')
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

    /// <summary>Text safe inside a C# XML doc comment (one line; &lt;, &gt;, &amp; escaped).</summary>
    public static string XmlDoc(string value) =>
        new string(value.Select(c => c < ' ' ? ' ' : c).ToArray())
            .Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Text safe inside a C or C++ block or line comment: no <c>*/</c>, no line breaks.</summary>
    public static string CComment(string value) =>
        new string(value.Select(c => c < ' ' ? ' ' : c).ToArray()).Replace("*/", "* /").Replace("/*", "/ *");

    /// <summary>True for a plain identifier <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsIdentifier(string value) => Sigil.Descriptors.Identifiers.IsPlain(value);

    /// <summary>Returns <paramref name="value"/> when it is a plain identifier, else throws: a guard at every emitter's edge.</summary>
    public static string Identifier(string value) =>
        IsIdentifier(value) ? value : throw new ArgumentException($"'{value}' is not a plain identifier and cannot be emitted as a name.", nameof(value));
}
