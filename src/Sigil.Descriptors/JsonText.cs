using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Sigil.Descriptors;

/// <summary>
/// The JSON text of the build's descriptor files, written by hand: indented two spaces, properties
/// in the order given, deterministic. This assembly is netstandard2.0 and loads inside the compiler
/// as the generator's dependency, where a JSON package would have to travel too; the runtime reads
/// the files with System.Text.Json, strictly, and tests round-trip every shipped fibre through both.
/// </summary>
internal static class JsonText
{
    /// <summary>An object of <paramref name="properties"/> (a null value leaves its property out) at nesting <paramref name="depth"/>.</summary>
    public static string Object(int depth, params (string Name, string? Value)[] properties)
    {
        var present = properties.Where(static p => p.Value is not null).ToList();
        if (present.Count == 0)
        {
            return "{}";
        }

        var w = new StringBuilder("{\n");
        for (var i = 0; i < present.Count; i++)
        {
            w.Append(' ', depth * 2).Append('"').Append(present[i].Name).Append("\": ").Append(present[i].Value).Append(i == present.Count - 1 ? "\n" : ",\n");
        }

        return w.Append(' ', (depth - 1) * 2).Append('}').ToString();
    }

    /// <summary>An array of <paramref name="items"/> (each already JSON) at nesting <paramref name="depth"/>.</summary>
    public static string Array(int depth, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return "[]";
        }

        var indent = new string(' ', (depth + 1) * 2);
        return "[\n" + string.Join(",\n", list.Select(i => indent + i.Replace("\n", "\n  "))) + "\n" + new string(' ', depth * 2) + "]";
    }

    /// <summary>The top-level <c>sources</c> array: each file a fibre was compiled from with its SHA-256.</summary>
    public static string Sources(IEnumerable<Sigil.Language.Emit.Bpf.BpfSourceDigest> sources) =>
        Array(1, sources.Select(static s => Object(2, ("path", Str(s.Path)), ("sha256", Str(s.Sha256)))));

    /// <summary>A JSON null, for a property that is written even when it has no value.</summary>
    public const string Null = "null";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>
    /// A number in its shortest round-trip form; the infinities and NaN as the named literals
    /// System.Text.Json reads with <c>AllowNamedFloatingPointLiterals</c>.
    /// </summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "\"Infinity\""
        : double.IsNegativeInfinity(value) ? "\"-Infinity\""
        : double.IsNaN(value) ? "\"NaN\""
        : value.ToString("R", CultureInfo.InvariantCulture);

    public static string? Number(double? value) => value is { } v ? Number(v) : Null;

    public static string Numbers(int depth, IEnumerable<double> values) => Array(depth, values.Select(Number));

    public static string Strings(int depth, IEnumerable<string> values) => Array(depth, values.Select(Str));

    // JSON string escaping (RFC 8259, section 7): quote, backslash and control characters.
    public static string Str(string? value)
    {
        if (value is null)
        {
            return Null;
        }

        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        s.Append(c);
                    }

                    break;
            }
        }

        return s.Append('"').ToString();
    }
}
