namespace Sigil.Language.Model;

/// <summary>
/// A data table read from a CSV file beside the fibre: the first column names the rows (the
/// members of an index over the table), the declared columns hold numbers. Value-equatable.
/// </summary>
/// <param name="Name">Validated identifier.</param>
/// <param name="Path">The path as written in the fibre, relative to the fibre's folder.</param>
/// <param name="Keys">Row names from the first column, in file order.</param>
/// <param name="Columns">The declared numeric columns, in declaration order.</param>
public sealed record TableSpec(
    string Name,
    string Path,
    EquatableArray<string> Keys,
    EquatableArray<ColumnSpec> Columns);

/// <summary>A numeric table column. Value-equatable.</summary>
/// <param name="Name">Validated identifier (the CSV header).</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Values">One value per row, in row order.</param>
public sealed record ColumnSpec(string Name, UnitSpec Unit, EquatableArray<double> Values);
