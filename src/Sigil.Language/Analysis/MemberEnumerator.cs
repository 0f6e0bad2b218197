using System;
using System.Collections.Generic;
using Sigil.Language.Model;

namespace Sigil.Language.Analysis;

/// <summary>
/// Enumerates the members of a list of index bindings: every row position of a static set, and
/// one representative (-1) for a dynamic set, whose members all look alike at compile time. With
/// an <see cref="EntryWalk"/>, the innermost binding visits only the members where that table's
/// entry is nonzero (the rest add nothing), so a sum over a sparse table costs its nonzeros.
/// </summary>
internal static class MemberEnumerator
{
    /// <summary>
    /// Calls <paramref name="visit"/> once per combination with <paramref name="members"/> extended by
    /// the bindings. Stops early when the budget of visits is spent; returns false then.
    /// </summary>
    public static bool ForEach(
        IReadOnlyList<IndexBinding> bindings,
        IReadOnlyDictionary<string, IndexSpec> sets,
        Dictionary<string, int> members,
        ref long budget,
        Action visit,
        (EntryWalk Walk, MatrixSpec Matrix)? sparse = null)
    {
        return Recurse(0, bindings, sets, members, ref budget, visit, sparse);
    }

    private static bool Recurse(int depth, IReadOnlyList<IndexBinding> bindings, IReadOnlyDictionary<string, IndexSpec> sets, Dictionary<string, int> members, ref long budget, Action visit, (EntryWalk Walk, MatrixSpec Matrix)? sparse)
    {
        if (depth == bindings.Count)
        {
            if (--budget < 0)
            {
                return false;
            }

            visit();
            return true;
        }

        var binding = bindings[depth];
        var set = sets[binding.Set];
        var had = members.TryGetValue(binding.Variable, out var previous);
        try
        {
            if (set.Kind == IndexKind.Dynamic)
            {
                members[binding.Variable] = -1;
                return Recurse(depth + 1, bindings, sets, members, ref budget, visit, sparse);
            }

            if (depth == bindings.Count - 1 && sparse is ({ } walk, { } matrix) && walk.Variable == binding.Variable && members.TryGetValue(walk.Other, out var other) && other >= 0)
            {
                var count = walk.Count(matrix, other);
                for (var k = 0; k < count; k++)
                {
                    members[binding.Variable] = walk.At(matrix, other, k);
                    if (!Recurse(depth + 1, bindings, sets, members, ref budget, visit, sparse))
                    {
                        return false;
                    }
                }

                return true;
            }

            for (var i = 0; i < set.Members.Count; i++)
            {
                members[binding.Variable] = i;
                if (!Recurse(depth + 1, bindings, sets, members, ref budget, visit, sparse))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            if (had)
            {
                members[binding.Variable] = previous;
            }
            else
            {
                members.Remove(binding.Variable);
            }
        }
    }

    /// <summary>How many members one binding stands for when it is enumerated once (capacity for dynamic sets).</summary>
    public static double Multiplicity(IndexBinding binding, IReadOnlyDictionary<string, IndexSpec> sets) =>
        sets[binding.Set].Kind == IndexKind.Dynamic ? sets[binding.Set].Capacity : 1;
}
