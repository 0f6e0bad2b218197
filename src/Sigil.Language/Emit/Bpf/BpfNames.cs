using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// Names and literals for the eBPF backend: C identifiers are checked before they reach a
/// template, C names map to C# names by one rule, and text quoted into C comments or numbers
/// written as C literals are escaped and formatted here, in code, never by the template engine.
/// </summary>
public static class BpfNames
{
    private static readonly HashSet<string> s_reserved = new(StringComparer.Ordinal)
    {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
        "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex",
        "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn",
        "_Static_assert", "_Thread_local", "bool", "true", "false", "asm", "typeof",
    };

    /// <summary>True when <paramref name="name"/> is a C identifier that is not a keyword.</summary>
    public static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || name!.Length > 64 || s_reserved.Contains(name))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<string>? s_headerNames;

    /// <summary>
    /// True when <paramref name="name"/> is declared at file scope by a header the generated C
    /// includes (vmlinux.h, bpf/bpf_helpers.h): a typedef, enum constant, helper or object-like
    /// macro of at most 15 characters, as eng/bpf-header-names.py lists them (HeaderNames.txt).
    /// </summary>
    public static bool IsHeaderName(string name) => (s_headerNames ??= LoadHeaderNames()).Contains(name);

    private static HashSet<string> LoadHeaderNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var stream = typeof(BpfNames).Assembly.GetManifestResourceStream("Sigil.Language.HeaderNames.txt")
            ?? throw new InvalidOperationException("HeaderNames.txt is not embedded in Sigil.Language");
        using var reader = new System.IO.StreamReader(stream);
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length > 0 && line[0] != '#')
            {
                names.Add(line.Trim());
            }
        }

        return names;
    }

    /// <summary>Throws when <paramref name="name"/> is not a C identifier; <paramref name="what"/> names it in the message.</summary>
    public static string RequireIdentifier(string? name, string what)
    {
        if (!IsIdentifier(name))
        {
            throw new ArgumentException($"the eBPF backend needs a C identifier for the {what}, got '{Printable(name)}'");
        }

        return name!;
    }

    /// <summary>
    /// The C# name of a C name: snake_case words become PascalCase (<c>price_dwell</c> is
    /// <c>PriceDwell</c>, <c>hold_max_fd</c> is <c>HoldMaxFd</c>).
    /// </summary>
    public static string ToPascalCase(string cName)
    {
        var text = new StringBuilder(cName.Length);
        foreach (var word in cName.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return text.Length == 0 ? "_" : text.ToString();
    }

    /// <summary>The upper snake case form of a C name, for macros (<c>dwell</c> is <c>DWELL</c>).</summary>
    public static string ToUpperSnake(string cName) => cName.ToUpperInvariant();

    /// <summary>
    /// Text made safe inside a C block comment on one line: line breaks and control characters
    /// become spaces, runs of white space one space, and <c>*/</c> cannot close the comment.
    /// </summary>
    public static string CommentText(string text)
    {
        var result = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = result.Length > 0;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            // "*/" would end the comment and "/*" nests badly: break both with a space.
            if ((c == '/' && result.Length > 0 && result[result.Length - 1] == '*') ||
                (c == '*' && result.Length > 0 && result[result.Length - 1] == '/'))
            {
                result.Append(' ');
            }

            result.Append(c);
        }

        return result.ToString();
    }

    /// <summary>A signed 64-bit value as a C literal of type <c>long long</c>.</summary>
    public static string CLiteral(long value) => value switch
    {
        long.MinValue => "(-9223372036854775807LL - 1)",
        >= int.MinValue and <= int.MaxValue => value.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture) + "LL",
    };

    /// <summary>An unsigned 64-bit value as a C literal.</summary>
    public static string CLiteral(ulong value) =>
        value <= int.MaxValue ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture) + "ULL";

    /// <summary>A number for a comment, in round-trip invariant form.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Printable(string? name)
    {
        if (name is null)
        {
            return "<null>";
        }

        var text = CommentText(name);
        return text.Length > 40 ? text.Substring(0, 40) + "..." : text;
    }
}
