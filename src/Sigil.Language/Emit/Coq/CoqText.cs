using System;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// Escaping for Coq: identifiers built from validated fibre names, comment text, and numbers.
/// Names are checked again here (ASCII letters, digits and underscores, not starting with a
/// digit) even though the front end validates them: nothing unchecked reaches the file.
/// </summary>
internal static class CoqText
{
    private static readonly Regex s_identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The prefix every generated identifier starts with: <c>s_&lt;fibre&gt;_</c>. The library
    /// defines no identifier starting with <c>s_</c>, so generated names never shadow it.
    /// </summary>
    public static string Prefix(string fibre) => "s_" + Name(fibre) + "_";

    /// <summary>A validated name, unchanged; throws for anything that is not an identifier.</summary>
    public static string Name(string name)
    {
        if (name is null || !s_identifier.IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid identifier for a Coq name", nameof(name));
        }

        return name;
    }

    /// <summary>
    /// Text safe inside a Coq comment: on one line, with no comment delimiters and no double
    /// quotes (Coq lexes strings inside comments, so an odd quote would end the file's parse).
    /// </summary>
    public static string Comment(string text)
    {
        var builder = new StringBuilder(text.Length);
        var lastWasSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (!lastWasSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                lastWasSpace = true;
                continue;
            }

            lastWasSpace = false;
            builder.Append(c == '"' ? '\'' : c);
        }

        return builder.ToString().Trim().Replace("(*", "( *").Replace("*)", "* )");
    }

    /// <summary>A Coq real for a double: its exact binary value as a fraction.</summary>
    public static string Real(double value) => CoqRational.FromDouble(value).ToCoqReal();

    /// <summary>A Coq integer literal (<c>Z</c>), negatives in parentheses.</summary>
    public static string Integer(BigInteger value) =>
        value.Sign < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + ")" : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A Coq integer in <c>Z</c> whatever scope is open: <c>20%Z</c>, <c>(-3)%Z</c>.</summary>
    public static string Z(BigInteger value) => Integer(value) + "%Z";

    /// <summary>A number for people: integers in full, others to six significant digits, invariant culture.</summary>
    public static string Display(double value)
    {
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value))
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e");
    }

    /// <summary>An integer for people.</summary>
    public static string Display(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A quantity with its unit: <c>5 s</c>, or just <c>5</c> when dimensionless.</summary>
    public static string Quantity(double value, string unit) =>
        unit == "1" || unit.Length == 0 ? Display(value) : Display(value) + " " + unit;
}
