namespace Sigil.Descriptors;

/// <summary>
/// The one rule for a plain identifier, <c>[A-Za-z_][A-Za-z0-9_]*</c>: the names the compiler emits
/// (<c>Sigil.Language.Emit.CodeText.IsIdentifier</c>) and the names a reader accepts from a descriptor.
/// </summary>
public static class Identifiers
{
    /// <summary>True for a plain identifier <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsPlain(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        for (var i = 0; i < value!.Length; i++)
        {
            var c = value[i];
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
