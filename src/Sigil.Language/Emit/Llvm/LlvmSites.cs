using System;
using System.Globalization;
using System.Text;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// Site ids as the pass plugin computes them, so that the daemon and the tests can name a site
/// from its source position. A site id is the 64-bit FNV-1a hash of a key:
/// <c>&lt;function&gt;/&lt;callee&gt;#&lt;k&gt;</c> for the k-th direct call (from 0, in
/// instruction order) to <c>callee</c> inside <c>function</c>, and <c>&lt;function&gt;/entry</c>
/// for a function's entry. It depends on names and on the order of calls inside one function,
/// not on the optimisation level.
/// </summary>
public static class LlvmSites
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The key of the <paramref name="ordinal"/>-th call to <paramref name="callee"/> in <paramref name="function"/>.</summary>
    public static string CallKey(string function, string callee, int ordinal)
    {
        if (ordinal < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, "a call ordinal counts from 0");
        }

        return function + "/" + callee + "#" + ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The key of <paramref name="function"/>'s entry.</summary>
    public static string EntryKey(string function) => function + "/entry";

    /// <summary>The id of the <paramref name="ordinal"/>-th call to <paramref name="callee"/> in <paramref name="function"/>.</summary>
    public static ulong CallSiteId(string function, string callee, int ordinal) => Hash(CallKey(function, callee, ordinal));

    /// <summary>The id of <paramref name="function"/>'s entry.</summary>
    public static ulong EntrySiteId(string function) => Hash(EntryKey(function));

    /// <summary>64-bit FNV-1a over the UTF-8 bytes of <paramref name="key"/>.</summary>
    public static ulong Hash(string key)
    {
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            unchecked
            {
                hash *= Prime;
            }
        }

        return hash;
    }
}
