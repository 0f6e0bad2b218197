using System;
using System.Collections.Generic;
using System.Text;
using Sigil.Language.Text;

namespace Sigil.Language.Tests;

/// <summary>
/// A fibre with its expected diagnostics marked in place: <c>{|SIG1003:budgett|}</c> expects
/// SIG1003 exactly on <c>budgett</c>. Markers may nest. The markers are removed from the text.
/// </summary>
internal sealed class AnnotatedText
{
    private AnnotatedText(string text, List<(string Id, TextSpan Span)> expected)
    {
        Text = text;
        Expected = expected;
    }

    public string Text { get; }

    public List<(string Id, TextSpan Span)> Expected { get; }

    public static AnnotatedText Parse(string annotated)
    {
        var text = new StringBuilder();
        var open = new Stack<(string Id, int Start)>();
        var expected = new List<(string, TextSpan)>();
        for (var i = 0; i < annotated.Length; i++)
        {
            if (annotated[i] == '{' && i + 1 < annotated.Length && annotated[i + 1] == '|')
            {
                var colon = annotated.IndexOf(':', i);
                open.Push((annotated.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (annotated[i] == '|' && i + 1 < annotated.Length && annotated[i + 1] == '}')
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(annotated[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new ArgumentException("Unclosed marker in annotated text.");
        }

        return new AnnotatedText(text.ToString(), expected);
    }

    /// <summary>Zero-based line and column of a position, counted here independently of the compiler.</summary>
    public static LinePosition Position(string text, int offset)
    {
        int line = 0, column = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 0;
            }
            else
            {
                column++;
            }
        }

        return new LinePosition(line, column);
    }
}
