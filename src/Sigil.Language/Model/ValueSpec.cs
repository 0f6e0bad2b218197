namespace Sigil.Language.Model;

/// <summary>The shape of a <see cref="ValueSpec"/> node.</summary>
public enum ValueKind
{
    /// <summary>A number, in <see cref="ValueSpec.Constant"/>.</summary>
    Constant,

    /// <summary>A table column indexed by an index variable: <c>cost[j]</c>.</summary>
    Column,

    /// <summary>Sum of the two operands.</summary>
    Add,

    /// <summary>Difference of the two operands.</summary>
    Subtract,

    /// <summary>Product of the two operands.</summary>
    Multiply,

    /// <summary>Quotient of the two operands.</summary>
    Divide,

    /// <summary>Negation of the one operand.</summary>
    Negate,

    /// <summary>
    /// An entry of a two-dimensional table read at two index variables: <c>S[m, r]</c>, with the
    /// row's in <see cref="ValueSpec.IndexVariable"/> and the column's in <see cref="ValueSpec.ColumnIndexVariable"/>.
    /// </summary>
    Entry,
}

/// <summary>
/// A number known at compile time or per index member: a constant (parameters are folded in),
/// or an expression over table columns and two-dimensional table entries indexed by the row's
/// index variables. Value-equatable.
/// </summary>
/// <param name="Kind">The node's shape.</param>
/// <param name="Constant">The value of a <see cref="ValueKind.Constant"/> node, else 0.</param>
/// <param name="Table">The table of a <see cref="ValueKind.Column"/> node, else null.</param>
/// <param name="Column">The column of a <see cref="ValueKind.Column"/> node, else null.</param>
/// <param name="IndexVariable">The index variable a column is read at, else null.</param>
/// <param name="Operands">Operands of the arithmetic kinds.</param>
/// <param name="ColumnIndexVariable">The second index variable of an <see cref="ValueKind.Entry"/> node, else null.</param>
public sealed record ValueSpec(
    ValueKind Kind,
    double Constant,
    string? Table,
    string? Column,
    string? IndexVariable,
    EquatableArray<ValueSpec> Operands,
    string? ColumnIndexVariable = null)
{
    /// <summary>An entry of a two-dimensional table read at a row and a column index variable.</summary>
    public static ValueSpec EntryAt(string table, string rowVariable, string columnVariable) =>
        new(ValueKind.Entry, 0, table, null, rowVariable, EquatableArray<ValueSpec>.Empty, columnVariable);

    /// <summary>A constant.</summary>
    public static ValueSpec Of(double value) => new(ValueKind.Constant, value, null, null, null, EquatableArray<ValueSpec>.Empty);

    /// <summary>A column read at an index variable.</summary>
    public static ValueSpec ColumnAt(string table, string column, string indexVariable) =>
        new(ValueKind.Column, 0, table, column, indexVariable, EquatableArray<ValueSpec>.Empty);

    /// <summary>An arithmetic node.</summary>
    public static ValueSpec Node(ValueKind kind, params ValueSpec[] operands) =>
        new(kind, 0, null, null, null, EquatableArray.Create(operands));

    /// <summary>True when the value is the same for every index member.</summary>
    public bool IsConstant => Kind == ValueKind.Constant;

    /// <summary>The tables the value reads (columns and entries), each once.</summary>
    public System.Collections.Generic.IEnumerable<string> Tables()
    {
        if (Table is { } table)
        {
            yield return table;
        }

        foreach (var operand in Operands)
        {
            foreach (var t in operand.Tables())
            {
                yield return t;
            }
        }
    }
}
