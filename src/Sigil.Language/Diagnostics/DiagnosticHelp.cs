using System;
using System.Collections.Generic;
using System.IO;

namespace Sigil.Language.Diagnostics;

/// <summary>
/// The help text of every diagnostic, available offline: the code's section of
/// <c>docs/diagnostics.md</c> (what the code means, a bad example and the fix), which is embedded
/// in the compiler so that help reaches users outside the repository. The document is the one
/// source: <c>sigil explain</c>, the language server's hover, the Roslyn diagnostic's description
/// and <c>sigil check --format json</c> all print it.
/// </summary>
public static class DiagnosticHelp
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_sections = new(Load);

    /// <summary>The codes that have a help section, in document order.</summary>
    public static IEnumerable<string> Codes => s_sections.Value.Keys;

    /// <summary>
    /// The section of <paramref name="id"/> (<c>SIG1003</c>, any case) as Markdown, from its
    /// <c>## SIGnnnn</c> heading to the line before the next heading; null for an unknown code.
    /// </summary>
    public static string? Get(string id) =>
        id is not null && s_sections.Value.TryGetValue(id.Trim().ToUpperInvariant(), out var text) ? text : null;

    /// <summary>The section of <paramref name="id"/> without its heading, trimmed; null for an unknown code.</summary>
    public static string? Body(string id)
    {
        var section = Get(id);
        return section is null ? null : section.Substring(section.IndexOf('\n') + 1).Trim();
    }

    /// <summary>The first paragraph of the section (the bold title and its explanation), for a hover.</summary>
    public static string? Summary(string id)
    {
        var section = Get(id);
        if (section is null)
        {
            return null;
        }

        var body = section.Substring(section.IndexOf('\n') + 1).TrimStart('\n');
        var end = body.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? body.TrimEnd() : body.Substring(0, end);
    }

    /// <summary>Splits a diagnostics document into its <c>## SIGnnnn</c> sections.</summary>
    internal static IReadOnlyDictionary<string, string> Split(string markdown)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        string? id = null;
        var text = new List<string>();
        void Flush()
        {
            if (id is not null)
            {
                while (text.Count > 0 && text[text.Count - 1].Length == 0)
                {
                    text.RemoveAt(text.Count - 1);
                }

                sections[id] = string.Join("\n", text) + "\n";
            }
        }

        var inCode = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (!inCode && line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                var heading = line.Substring(3).Trim();
                id = heading.StartsWith("SIG", StringComparison.Ordinal) ? heading : null;
                text.Clear();
            }

            if (id is not null)
            {
                text.Add(line);
            }
        }

        Flush();
        return sections;
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(DiagnosticHelp).Assembly.GetManifestResourceStream("Sigil.Language.diagnostics.md");
        if (stream is null)
        {
            return new Dictionary<string, string>();
        }

        using var reader = new StreamReader(stream);
        return Split(reader.ReadToEnd());
    }
}
