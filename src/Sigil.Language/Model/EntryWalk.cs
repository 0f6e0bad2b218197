using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Sigil.Language.Model;

/// <summary>
/// How a sum's innermost index can walk the nonzeros of a two-dimensional table instead of every
/// member: in <c>sum(r in rxn) S[m, r] * $v[r]</c> the coefficient is 0 wherever <c>S[m, r]</c> is,
/// so only row m's entries can load the row, and the sum visits them alone (O(nnz), not
/// O(rows x columns)). Every consumer that expands a sum (the analyses, the generated
/// <c>CreateProblem</c>, <c>sigil solve</c>) asks here. Value-equatable.
/// </summary>
/// <param name="Variable">The sum's innermost index variable, whose members the walk yields.</param>
/// <param name="Table">The two-dimensional table whose entry is a factor of the coefficient.</param>
/// <param name="Other">The entry's other index variable, bound outside the innermost sum.</param>
/// <param name="AlongRow">
/// True when <see cref="Variable"/> is the entry's column index (the walk goes along row <c>Other</c>);
/// false when it is the row index (the walk goes down column <c>Other</c>).
/// </param>
public sealed record EntryWalk(string Variable, string Table, string Other, bool AlongRow)
{
    private static readonly ConditionalWeakTable<MatrixSpec, Columns> s_columns = new();

    /// <summary>
    /// The walk for a term's coefficient whose innermost sum is over <paramref name="innermost"/>, or
    /// null when no entry read at that index is a factor of it (the sum then visits every member).
    /// A factor is an operand of a product, the numerator of a quotient or the operand of a negation,
    /// so the coefficient is 0 wherever that entry is absent.
    /// </summary>
    public static EntryWalk? Find(ValueSpec coefficient, string innermost)
    {
        switch (coefficient.Kind)
        {
            case ValueKind.Entry when coefficient.ColumnIndexVariable == innermost && coefficient.IndexVariable != innermost:
                return new EntryWalk(innermost, coefficient.Table!, coefficient.IndexVariable!, AlongRow: true);
            case ValueKind.Entry when coefficient.IndexVariable == innermost && coefficient.ColumnIndexVariable != innermost:
                return new EntryWalk(innermost, coefficient.Table!, coefficient.ColumnIndexVariable!, AlongRow: false);
            case ValueKind.Multiply:
                return Find(coefficient.Operands[0], innermost) ?? Find(coefficient.Operands[1], innermost);
            case ValueKind.Divide:
            case ValueKind.Negate:
                return Find(coefficient.Operands[0], innermost);
            default:
                return null;
        }
    }

    /// <summary>The walk of <paramref name="term"/>'s innermost sum, or null (no sum, or no entry factor on it).</summary>
    public static EntryWalk? Of(TermSpec term) =>
        term.Sums.Count == 0 ? null : Find(term.Coefficient, term.Sums[term.Sums.Count - 1].Variable);

    /// <summary>How many members the walk yields when <see cref="Other"/> is at <paramref name="other"/>.</summary>
    public int Count(MatrixSpec matrix, int other)
    {
        if (AlongRow)
        {
            return other + 1 < matrix.RowStarts.Count ? matrix.RowStarts[other + 1] - matrix.RowStarts[other] : 0;
        }

        var columns = ColumnsOf(matrix);
        return other + 1 < columns.Starts.Length ? columns.Starts[other + 1] - columns.Starts[other] : 0;
    }

    /// <summary>The <paramref name="k"/>-th member position the walk yields (ascending) when <see cref="Other"/> is at <paramref name="other"/>.</summary>
    public int At(MatrixSpec matrix, int other, int k)
    {
        if (AlongRow)
        {
            return matrix.Columns[matrix.RowStarts[other] + k];
        }

        var columns = ColumnsOf(matrix);
        return columns.Rows[columns.Starts[other] + k];
    }

    // The entries by columns (compressed sparse columns), computed once per matrix in O(nnz).
    private static Columns ColumnsOf(MatrixSpec matrix) => s_columns.GetValue(matrix, static m =>
    {
        var count = 0;
        for (var k = 0; k < m.Columns.Count; k++)
        {
            count = Math.Max(count, m.Columns[k] + 1);
        }

        var starts = new int[count + 1];
        for (var k = 0; k < m.Columns.Count; k++)
        {
            starts[m.Columns[k] + 1]++;
        }

        for (var c = 0; c < count; c++)
        {
            starts[c + 1] += starts[c];
        }

        var next = (int[])starts.Clone();
        var rows = new int[m.Columns.Count];
        for (var r = 0; r + 1 < m.RowStarts.Count; r++)
        {
            for (var k = m.RowStarts[r]; k < m.RowStarts[r + 1]; k++)
            {
                rows[next[m.Columns[k]]++] = r;
            }
        }

        return new Columns(starts, rows);
    });

    private sealed class Columns(int[] starts, int[] rows)
    {
        public int[] Starts { get; } = starts;

        public int[] Rows { get; } = rows;
    }
}
