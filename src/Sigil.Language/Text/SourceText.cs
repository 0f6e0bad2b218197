using System;
using System.Collections.Generic;

namespace Sigil.Language.Text;

/// <summary>
/// The text of a fibre with its line starts, so that a <see cref="TextSpan"/> becomes a line and a
/// column on demand. Lines end at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>; columns count UTF-16
/// code units, as Roslyn's do.
/// </summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    private SourceText(string text)
    {
        Text = text;
        _lineStarts = ComputeLineStarts(text);
    }

    /// <summary>The whole text.</summary>
    public string Text { get; }

    /// <summary>The number of characters.</summary>
    public int Length => Text.Length;

    /// <summary>The number of lines (at least one).</summary>
    public int LineCount => _lineStarts.Length;

    public char this[int index] => Text[index];

    public static SourceText From(string text) => new(text ?? string.Empty);

    /// <summary>The zero-based line that holds <paramref name="position"/>.</summary>
    public int GetLineIndex(int position)
    {
        var index = Array.BinarySearch(_lineStarts, position);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>The zero-based line and column of a position.</summary>
    public LinePosition GetLinePosition(int position)
    {
        position = Math.Max(0, Math.Min(position, Text.Length));
        var line = GetLineIndex(position);
        return new LinePosition(line, position - _lineStarts[line]);
    }

    /// <summary>The line span of a character span.</summary>
    public LinePositionSpan GetLineSpan(TextSpan span) =>
        new(GetLinePosition(span.Start), GetLinePosition(span.End));

    /// <summary>The offset where a line starts.</summary>
    public int GetLineStart(int line) => _lineStarts[line];

    public string ToString(TextSpan span)
    {
        var start = Math.Max(0, Math.Min(span.Start, Text.Length));
        var end = Math.Max(start, Math.Min(span.End, Text.Length));
        return Text.Substring(start, end - start);
    }

    public override string ToString() => Text;

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }
}
