using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Sigil.Language.Syntax;

namespace Sigil.Language.Authoring;

public sealed partial class SigilDocument
{
    /// <summary>
    /// The text laid out in the repository's style, comments kept: each line indented by its
    /// brace depth (<paramref name="indent"/> spaces a level), trailing blanks removed, runs of
    /// blank lines kept to one, one final newline. The words of a line are not moved, so the
    /// formatted text has the same tokens and comments; when it would not (it always should), the
    /// text is returned unchanged.
    /// </summary>
    public string Format(int indent = 4)
    {
        var text = Source.Text;
        if (Tokens.Any(static t => t.Kind == SyntaxKind.BadToken))
        {
            return text;
        }

        // Depth at the start of each line, and the lines that start inside a block comment.
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var normalised = string.Join("\n", lines);
        var depthAt = new int[lines.Length];
        var insideComment = new bool[lines.Length];
        var closesFirst = new bool[lines.Length];
        var lineStarts = new int[lines.Length];
        for (int i = 0, offset = 0; i < lines.Length; i++)
        {
            lineStarts[i] = offset;
            offset += lines[i].Length + 1;
        }

        var depth = 0;
        var line = 0;
        foreach (var token in normalised.Length == text.Length ? Tokens : SyntaxTree.ParseTokens(normalised))
        {
            while (line + 1 < lines.Length && lineStarts[line + 1] <= token.Span.Start)
            {
                line++;
                depthAt[line] = depth;
            }

            if (token.Kind == SyntaxKind.BlockCommentTrivia)
            {
                for (var l = line + 1; l < lines.Length && lineStarts[l] < token.Span.End; l++)
                {
                    insideComment[l] = true;
                }
            }
            else if (token.Kind == SyntaxKind.OpenBraceToken)
            {
                depth++;
            }
            else if (token.Kind == SyntaxKind.CloseBraceToken)
            {
                depth = Math.Max(0, depth - 1);
                if (lines[line].TrimStart().StartsWith("}", StringComparison.Ordinal) && token.Span.Start == lineStarts[line] + lines[line].Length - lines[line].TrimStart().Length)
                {
                    closesFirst[line] = true;
                }
            }
        }

        while (line + 1 < lines.Length)
        {
            line++;
            depthAt[line] = depth;
        }

        var output = new StringBuilder(text.Length + 64);
        var blank = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var content = lines[i].TrimEnd();
            if (insideComment[i])
            {
                output.Append(content).Append('\n');
                blank = 0;
                continue;
            }

            content = content.TrimStart();
            if (content.Length == 0)
            {
                blank++;
                continue;
            }

            if (blank > 0 && output.Length > 0)
            {
                output.Append('\n');
            }

            blank = 0;
            var level = Math.Max(0, depthAt[i] - (closesFirst[i] ? 1 : 0));
            output.Append(' ', level * indent).Append(content).Append('\n');
        }

        var formatted = output.ToString();
        return formatted == text || SameTokens(Tokens, SyntaxTree.ParseTokens(formatted)) ? formatted : text;
    }

    private static bool SameTokens(IEnumerable<SyntaxToken> before, IEnumerable<SyntaxToken> after)
    {
        static IEnumerable<string> Significant(IEnumerable<SyntaxToken> tokens) => tokens
            .Where(static t => t.Kind is not (SyntaxKind.WhitespaceTrivia or SyntaxKind.EndOfFileToken))
            .Select(static t => t.Kind == SyntaxKind.BlockCommentTrivia ? string.Join(" ", t.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : t.Text.TrimEnd());
        return Significant(before).SequenceEqual(Significant(after), StringComparer.Ordinal);
    }
}
