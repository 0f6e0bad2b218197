using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;

namespace Sigil.Language.Binding;

/// <summary>
/// A table file: comma-separated, first line the header, first column the row keys. Empty lines
/// and lines starting with '#' are skipped; fields are trimmed; quoted fields are not supported.
/// Hand-written: the format is this small on purpose, and a generator may load no CSV library.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(List<string> header, ImmutableArray<string> keys, List<string[]> rows, List<int> lines)
    {
        Header = header;
        Keys = keys;
        Rows = rows;
        Lines = lines;
    }

    public List<string> Header { get; }

    public ImmutableArray<string> Keys { get; }

    public List<string[]> Rows { get; }

    /// <summary>One-based line number of each row.</summary>
    public List<int> Lines { get; }

    public static CsvTable? Parse(string text, out string? error)
    {
        error = null;
        List<string>? header = null;
        var rows = new List<string[]>();
        var lines = new List<int>();
        var keys = ImmutableArray.CreateBuilder<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.IndexOf('"') >= 0)
            {
                error = "line " + Number(lineNumber) + " has a quote; quoted fields are not supported";
                return null;
            }

            var fields = line.Split(',');
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = fields[i].Trim();
            }

            if (header is null)
            {
                header = new List<string>(fields);
                continue;
            }

            if (fields.Length != header.Count)
            {
                error = "line " + Number(lineNumber) + " has " + Number(fields.Length) + " fields; the header has " + Number(header.Count);
                return null;
            }

            var key = fields[0];
            var reason = IdentifierRules.Check(key);
            if (reason is not null)
            {
                error = "line " + Number(lineNumber) + ": row key '" + Shorten(key) + "' cannot be a name: " + reason;
                return null;
            }

            if (!seen.Add(key))
            {
                error = "line " + Number(lineNumber) + ": row key '" + key + "' appears twice";
                return null;
            }

            keys.Add(key);
            rows.Add(fields);
            lines.Add(lineNumber);
        }

        if (header is null)
        {
            error = "the file is empty; it needs a header line and rows";
            return null;
        }

        if (rows.Count == 0)
        {
            error = "the file has a header but no rows";
            return null;
        }

        return new CsvTable(header, keys.ToImmutable(), rows, lines);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string text)
    {
        var chars = new char[System.Math.Min(text.Length, 40)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = char.IsControl(text[i]) ? '?' : text[i];
        }

        return new string(chars);
    }
}
