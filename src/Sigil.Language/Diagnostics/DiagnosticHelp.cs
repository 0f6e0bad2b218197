using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Sigil.Language.Diagnostics;

/// <summary>
/// Each code's help text, inline: its section of <c>docs/diagnostics.md</c> (what the code means,
/// a bad example and the fix), which travels inside this assembly so that the help reaches users
/// outside the repository (IDEs show it as the diagnostic's description; <c>sigil check
/// --format json</c> prints it). The document is the one source; nothing here repeats it.
/// </summary>
public static class DiagnosticHelp
{
    private const string ResourceName = "Sigil.Language.diagnostics.md";
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_sections = new(Load);

    /// <summary>The help text of <paramref name="id"/> (e.g. <c>SIG1003</c>), or null when the document has no section for it.</summary>
    public static string? For(string id) => s_sections.Value.TryGetValue(id, out var text) ? text : null;

    private static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(DiagnosticHelp).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in Sigil.Language");
        using var reader = new StreamReader(stream);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? id = null;
        var text = new StringBuilder();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                var heading = line.Substring(3).Trim();
                id = heading.StartsWith("SIG", StringComparison.Ordinal) ? heading : null;
                continue;
            }

            if (id is not null)
            {
                text.Append(line).Append('\n');
            }
        }

        Flush();
        return sections;

        void Flush()
        {
            if (id is not null)
            {
                sections[id] = text.ToString().Trim();
            }

            text.Clear();
        }
    }
}
