using System.Globalization;
using System.Text;

namespace Sigil.Daemon.Tests.Metrics;

/// <summary>One parsed sample.</summary>
internal sealed record ParsedSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;
}

/// <summary>One parsed family: HELP, TYPE and its samples in order.</summary>
internal sealed record ParsedFamily(string Name, string? Help, string? Type, List<ParsedSample> Samples);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4. It rejects anything the
/// format does not allow, and a few things it allows but a careful writer never produces:
/// comments other than HELP and TYPE, a HELP or TYPE after the family's samples, families split
/// into several groups, duplicate series, timestamps, a missing final line feed, counters not
/// named *_total, and the bare infinity "Inf". (Order is not checked: prometheus-net writes families in registration order and
/// series in creation order.)
/// </summary>
internal static class StrictExpositionParser
{
    private static readonly HashSet<string> s_types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static List<ParsedFamily> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw Fail(0, "the exposition must end with a line feed");
        }

        var families = new List<ParsedFamily>();
        var byName = new Dictionary<string, ParsedFamily>(StringComparer.Ordinal);
        var seriesSeen = new HashSet<string>(StringComparer.Ordinal);
        ParsedFamily? current = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            var lineNo = n + 1;
            if (line.Length == 0)
            {
                throw Fail(lineNo, "empty line");
            }

            if (line.Contains('\r'))
            {
                throw Fail(lineNo, "carriage return");
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length < 3 || parts[0] != "#" || (parts[1] != "HELP" && parts[1] != "TYPE"))
                {
                    throw Fail(lineNo, "only '# HELP' and '# TYPE' comment lines are expected");
                }

                var name = parts[2];
                if (!IsMetricName(name))
                {
                    throw Fail(lineNo, $"invalid metric name '{name}'");
                }

                var family = Enter(name, lineNo);
                if (family.Samples.Count > 0)
                {
                    throw Fail(lineNo, $"{parts[1]} for '{name}' after its samples");
                }

                if (parts[1] == "HELP")
                {
                    if (family.Help is not null)
                    {
                        throw Fail(lineNo, $"second HELP for '{name}'");
                    }

                    family = family with { Help = UnescapeHelp(parts.Length == 4 ? parts[3] : string.Empty, lineNo) };
                }
                else
                {
                    if (family.Type is not null)
                    {
                        throw Fail(lineNo, $"second TYPE for '{name}'");
                    }

                    if (parts.Length != 4 || !s_types.Contains(parts[3]))
                    {
                        throw Fail(lineNo, $"invalid TYPE line '{line}'");
                    }

                    family = family with { Type = parts[3] };
                }

                Replace(family);
                continue;
            }

            var sample = ParseSample(line, lineNo);
            var owner = Enter(sample.Name, lineNo);
            if (owner.Type is null || owner.Help is null)
            {
                throw Fail(lineNo, $"sample of '{sample.Name}' before its HELP and TYPE");
            }

            if (owner.Type == "counter" && !owner.Name.EndsWith("_total", StringComparison.Ordinal))
            {
                throw Fail(lineNo, $"counter '{owner.Name}' is not named *_total");
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!seriesSeen.Add(key))
            {
                throw Fail(lineNo, $"duplicate series {key}");
            }

            owner.Samples.Add(sample);
        }

        return families;

        ParsedFamily Enter(string name, int lineNo)
        {
            if (current is not null && current.Name == name)
            {
                return current;
            }

            if (byName.ContainsKey(name))
            {
                throw Fail(lineNo, $"family '{name}' appears in more than one group");
            }

            current = new ParsedFamily(name, null, null, []);
            byName[name] = current;
            families.Add(current);
            return current;
        }

        void Replace(ParsedFamily family)
        {
            byName[family.Name] = family;
            families[^1] = family;
            current = family;
        }
    }

    private static ParsedSample ParseSample(string line, int lineNo)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (!IsMetricName(name))
        {
            throw Fail(lineNo, $"invalid metric name '{name}'");
        }

        var labels = new List<KeyValuePair<string, string>>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                if (!IsLabelName(label))
                {
                    throw Fail(lineNo, $"invalid label name '{label}'");
                }

                if (!names.Add(label))
                {
                    throw Fail(lineNo, $"label '{label}' twice");
                }

                i++;
                if (i >= line.Length || line[i] != '"')
                {
                    throw Fail(lineNo, "label value must be double-quoted");
                }

                i++;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw Fail(lineNo, "unterminated label value");
                    }

                    var c = line[i++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i >= line.Length)
                        {
                            throw Fail(lineNo, "dangling backslash");
                        }

                        var e = line[i++];
                        value.Append(e switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw Fail(lineNo, $"invalid escape '\\{e}' in a label value"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                labels.Add(new(label, value.ToString()));
                if (i < line.Length && line[i] == ',')
                {
                    i++;
                    continue;
                }

                if (i < line.Length && line[i] == '}')
                {
                    continue;
                }

                throw Fail(lineNo, "expected ',' or '}' after a label");
            }
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw Fail(lineNo, "expected one space before the value");
        }

        var rest = line[(i + 1)..];
        if (rest.Contains(' '))
        {
            throw Fail(lineNo, "timestamps and extra fields are not expected");
        }

        return new ParsedSample(name, labels, ParseValue(rest, lineNo));
    }

    public static double ParseValue(string text, int lineNo = 0)
    {
        switch (text)
        {
            case "NaN":
                return double.NaN;
            case "+Inf" or "Infinity" or "+Infinity":
                // prometheus-net writes .NET's "Infinity"; Go's float parser (Prometheus) reads it.
                return double.PositiveInfinity;
            case "-Inf" or "-Infinity":
                return double.NegativeInfinity;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
            {
                throw Fail(lineNo, $"invalid value '{text}'");
            }
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Fail(lineNo, $"invalid value '{text}'");
        }

        return value;
    }

    private static string UnescapeHelp(string text, int lineNo)
    {
        var value = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                value.Append(text[i]);
                continue;
            }

            if (++i >= text.Length)
            {
                throw Fail(lineNo, "dangling backslash in HELP");
            }

            value.Append(text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ => throw Fail(lineNo, $"invalid escape '\\{text[i]}' in HELP"),
            });
        }

        return value.ToString();
    }

    private static bool IsMetricName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] is '_' or ':') && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string s) =>
        s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_') && !s.StartsWith("__", StringComparison.Ordinal) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static FormatException Fail(int line, string message) => new($"exposition line {line}: {message}");
}
