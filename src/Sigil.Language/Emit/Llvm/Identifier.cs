using System;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// The identifier check the LLVM emitter applies before a name reaches a template. The front end
/// validates names already; this guard keeps a broken contract from turning into broken code.
/// </summary>
internal static class Identifier
{
    /// <summary>True for a C identifier: a letter or underscore, then letters, digits, underscores.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsDigit(name![0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws unless <paramref name="name"/> is a C identifier.</summary>
    public static void Require(string? name, string parameter)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a C identifier.", parameter);
        }
    }

    /// <summary>Returns <paramref name="name"/> when it is a C identifier, else throws.</summary>
    public static string Required(string? name, string parameter)
    {
        Require(name, parameter);
        return name!;
    }
}
