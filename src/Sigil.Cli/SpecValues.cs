using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Cli;

/// <summary>
/// Evaluates a fibre's values at run time: constants, table columns at a bound row, entries of
/// two-dimensional tables at a bound row and column (0 where absent), arithmetic.
/// Used by <see cref="OfflineInstance"/> (the offline instance), which reports a value it cannot read
/// as an error; the compiler's own evaluator (Sigil.Language's Analysis/ValueEvaluator, which the
/// daemon descriptor's numbers come from) returns NaN instead. Folding the two is not done yet.
/// </summary>
internal sealed class SpecValues(IEnumerable<TableSpec> tables)
{
    private readonly Dictionary<string, EquatableArray<double>> _columns = tables
        .SelectMany(t => t.Columns.Select(c => (Key: t.Name + "." + c.Name, c.Values)))
        .ToDictionary(p => p.Key, p => p.Values, StringComparer.Ordinal);

    private readonly Dictionary<string, MatrixSpec> _matrices = tables
        .Where(t => t.Matrix is not null)
        .ToDictionary(t => t.Name, t => t.Matrix!, StringComparer.Ordinal);

    /// <summary>The value of <paramref name="value"/> with its index variables bound to row numbers by <paramref name="at"/>.</summary>
    /// <exception cref="CliException">A table column is read at an index variable that is not bound (or out of range).</exception>
    public double Evaluate(ValueSpec value, IReadOnlyDictionary<string, int> at) => value.Kind switch
    {
        ValueKind.Constant => value.Constant,
        ValueKind.Column => _columns.TryGetValue(value.Table + "." + value.Column, out var column) && at.TryGetValue(value.IndexVariable!, out var row) && row >= 0 && row < column.Count
            ? column[row]
            : throw new CliException(CliExitCodes.BadInput, $"{value.Table}.{value.Column} cannot be read at '{value.IndexVariable}' offline"),
        ValueKind.Entry => _matrices.TryGetValue(value.Table!, out var matrix) && at.TryGetValue(value.IndexVariable!, out var r) && at.TryGetValue(value.ColumnIndexVariable!, out var c) && r >= 0 && c >= 0
            ? matrix.At(r, c)
            : throw new CliException(CliExitCodes.BadInput, $"{value.Table}[{value.IndexVariable}, {value.ColumnIndexVariable}] cannot be read offline"),
        ValueKind.Add => Evaluate(value.Operands[0], at) + Evaluate(value.Operands[1], at),
        ValueKind.Subtract => Evaluate(value.Operands[0], at) - Evaluate(value.Operands[1], at),
        ValueKind.Multiply => Evaluate(value.Operands[0], at) * Evaluate(value.Operands[1], at),
        ValueKind.Divide => Evaluate(value.Operands[0], at) / Evaluate(value.Operands[1], at),
        ValueKind.Negate => -Evaluate(value.Operands[0], at),
        _ => double.NaN,
    };
}
