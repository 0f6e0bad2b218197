using System;
using System.Collections.Generic;
using Sigil.Language.Model;

namespace Sigil.Language.Analysis;

/// <summary>
/// Evaluates <see cref="ValueSpec"/> trees for one index member: a column read at index variable
/// <c>j</c> takes the row <c>j</c> is bound to, a two-dimensional table's entry its row and column
/// (0 where absent). Index variables of dynamic sets are bound to -1
/// (a representative member): no column can be read at them.
/// </summary>
internal sealed class ValueEvaluator
{
    private readonly Dictionary<string, EquatableArray<double>> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MatrixSpec> _matrices = new(StringComparer.Ordinal);

    public ValueEvaluator(IEnumerable<TableSpec> tables)
    {
        foreach (var table in tables)
        {
            if (table.Matrix is { } matrix)
            {
                _matrices[table.Name] = matrix;
            }

            foreach (var column in table.Columns)
            {
                _columns[table.Name + "." + column.Name] = column.Values;
            }
        }
    }

    public double Evaluate(ValueSpec value, IReadOnlyDictionary<string, int> members)
    {
        switch (value.Kind)
        {
            case ValueKind.Constant:
                return value.Constant;
            case ValueKind.Column:
                {
                    if (!_columns.TryGetValue(value.Table + "." + value.Column, out var values)
                        || !members.TryGetValue(value.IndexVariable!, out var row) || row < 0 || row >= values.Count)
                    {
                        return double.NaN;
                    }

                    return values[row];
                }

            case ValueKind.Entry:
                return _matrices.TryGetValue(value.Table!, out var matrix)
                    && members.TryGetValue(value.IndexVariable!, out var r) && r >= 0
                    && members.TryGetValue(value.ColumnIndexVariable!, out var c) && c >= 0
                    ? matrix.At(r, c)
                    : double.NaN;
            case ValueKind.Add:
                return Evaluate(value.Operands[0], members) + Evaluate(value.Operands[1], members);
            case ValueKind.Subtract:
                return Evaluate(value.Operands[0], members) - Evaluate(value.Operands[1], members);
            case ValueKind.Multiply:
                return Evaluate(value.Operands[0], members) * Evaluate(value.Operands[1], members);
            case ValueKind.Divide:
                return Evaluate(value.Operands[0], members) / Evaluate(value.Operands[1], members);
            case ValueKind.Negate:
                return -Evaluate(value.Operands[0], members);
            default:
                return double.NaN;
        }
    }
}
