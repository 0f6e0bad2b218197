using System;
using System.Text;

namespace Sigil.Language.Emit;

/// <summary>
/// An indenting writer for generated source (after dotnet/runtime's SourceWriter): lines are
/// indented by the current depth, line ends are LF, and the text ends with one newline.
/// </summary>
public sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private readonly string _indentUnit;

    /// <summary>Creates a writer indenting by <paramref name="indentUnit"/> per level.</summary>
    public SourceWriter(string indentUnit = "    ") => _indentUnit = indentUnit;

    /// <summary>The current depth.</summary>
    public int Indentation { get; set; }

    /// <summary>Writes one line at the current depth (an empty line has no indentation).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            for (var i = 0; i < Indentation; i++)
            {
                _text.Append(_indentUnit);
            }

            _text.Append(text);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of <paramref name="block"/> at the current depth.</summary>
    public SourceWriter Lines(string block)
    {
        foreach (var line in block.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line.TrimEnd());
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents.</summary>
    public SourceWriter Open(string header, string brace = "{")
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line(brace);
        Indentation++;
        return this;
    }

    /// <summary>Dedents and writes a closing brace.</summary>
    public SourceWriter Close(string brace = "}")
    {
        Indentation--;
        return Line(brace);
    }

    /// <summary>Runs <paramref name="body"/> inside <see cref="Open"/> / <see cref="Close"/>.</summary>
    public SourceWriter Block(string header, Action body, string closing = "}")
    {
        Open(header);
        body();
        return Close(closing);
    }

    /// <summary>The text written so far, ending with exactly one newline.</summary>
    public override string ToString()
    {
        var text = _text.ToString();
        return text.TrimEnd('\n') + "\n";
    }
}
