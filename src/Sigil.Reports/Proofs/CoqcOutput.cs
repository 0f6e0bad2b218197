using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Sigil.Runtime.Proofs;

/// <summary>A sentence coqc timed (<c>coqc -time</c>): its byte range in the file and its duration.</summary>
internal readonly record struct CoqSentence(int Start, int End, TimeSpan Time);

/// <summary>Where coqc stopped: the line and characters of the failing sentence, and its message.</summary>
internal sealed record CoqError(int Line, int Start, int End, string Message);

/// <summary>Reads what coqc prints: <c>-time</c> lines, the first error, and <c>Print Assumptions</c>.</summary>
internal static class CoqcOutput
{
    // Chars 247 - 292 [From~Coq~Require~Import~Reals~...] 0.372 secs (0.23u,0.138s)
    private static readonly Regex s_timing = new(@"^Chars (\d+) - (\d+) \[.*\] ([0-9]+\.?[0-9]*) secs", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    // File "/tmp/x.v", line 7, characters 38-41:
    // Error: Tactic failure:  Cannot find witness.
    private static readonly Regex s_error = new(@"^File ""[^""]*"", line (\d+), characters (\d+)-(\d+):\r?\n(?<message>(?:.|\n)*)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public static IReadOnlyList<CoqSentence> Sentences(string stdout)
    {
        var sentences = new List<CoqSentence>();
        foreach (Match match in s_timing.Matches(stdout))
        {
            sentences.Add(new CoqSentence(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture))));
        }

        return sentences;
    }

    public static CoqError? Error(string output)
    {
        var match = s_error.Match(output);
        if (!match.Success)
        {
            return null;
        }

        var message = match.Groups["message"].Value;
        // Keep the error itself, not timing lines that may follow it.
        var lines = new List<string>();
        foreach (var line in message.Split('\n'))
        {
            if (line.StartsWith("Chars ", StringComparison.Ordinal))
            {
                break;
            }

            lines.Add(line.TrimEnd());
        }

        return new CoqError(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            string.Join("\n", lines).Trim());
    }

    /// <summary>
    /// The axiom names of every <c>Print Assumptions</c> output in <paramref name="stdout"/>:
    /// the unindented lines under an <c>Axioms:</c> heading (types are indented below them).
    /// </summary>
    public static IReadOnlyList<string> Axioms(string stdout)
    {
        var axioms = new SortedSet<string>(StringComparer.Ordinal);
        var inAxioms = false;
        foreach (var raw in stdout.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line == "Axioms:")
            {
                inAxioms = true;
                continue;
            }

            if (char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            if (line.StartsWith("Chars ", StringComparison.Ordinal) || line.EndsWith(":", StringComparison.Ordinal)
                || line.StartsWith("Closed under", StringComparison.Ordinal))
            {
                inAxioms = false;
                continue;
            }

            if (inAxioms)
            {
                var name = line.Split(' ')[0];
                axioms.Add(name);
            }
        }

        return new List<string>(axioms);
    }
}
