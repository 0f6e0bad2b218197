using System.Globalization;
using System.Text;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// Text spliced into generated C and C++: string literals and block-comment bodies. Templates
/// never escape (HTML escaping is not code escaping); every such value passes through here.
/// </summary>
internal static class CText
{
    /// <summary>
    /// A C/C++ string literal with its quotes. Backslash, quote and question mark (trigraphs) are
    /// escaped, printable ASCII is kept, and every other byte of the UTF-8 text is an octal escape.
    /// </summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            switch (b)
            {
                case (byte)'\\':
                    literal.Append("\\\\");
                    break;
                case (byte)'"':
                    literal.Append("\\\"");
                    break;
                case (byte)'?':
                    literal.Append("\\?");
                    break;
                case >= 0x20 and < 0x7f:
                    literal.Append((char)b);
                    break;
                default:
                    literal.Append('\\').Append(System.Convert.ToString(b, 8).PadLeft(3, '0'));
                    break;
            }
        }

        return literal.Append('"').ToString();
    }

    /// <summary>
    /// Text for the inside of a <c>/* ... */</c> comment, on one line: white space runs become one
    /// space, control characters go, and <c>*/</c> and <c>/*</c> are broken up so the comment
    /// neither ends early nor nests.
    /// </summary>
    public static string Comment(string text)
    {
        var line = new StringBuilder();
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = line.Length > 0;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            if ((c == '/' && line.Length > 0 && line[line.Length - 1] == '*') ||
                (c == '*' && line.Length > 0 && line[line.Length - 1] == '/'))
            {
                line.Append(' ');
            }

            line.Append(c);
        }

        return line.ToString();
    }

    /// <summary>An unsigned 64-bit C constant: <c>100000ull</c>.</summary>
    public static string Unsigned(ulong value) => value.ToString(CultureInfo.InvariantCulture) + "ull";

    /// <summary>A C <c>int</c> constant.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C/C++ boolean.</summary>
    public static string Bool(bool value) => value ? "true" : "false";
}
