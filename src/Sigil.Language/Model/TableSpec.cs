namespace Sigil.Language.Model;

/// <summary>
/// A data table read from a CSV file beside the fibre: the first column names the rows (the
/// members of an index over the table), the declared columns hold numbers. Value-equatable.
/// </summary>
/// <param name="Name">Validated identifier.</param>
/// <param name="Path">The path as written in the fibre, relative to the fibre's folder.</param>
/// <param name="Keys">Row names from the first column, in file order.</param>
/// <param name="Columns">The declared numeric columns, in declaration order.</param>
/// <param name="Matrix">
/// The entries of a table over two index sets (<c>table S[met, rxn]</c>), else null; such a table
/// has no keys and no columns, and its path is empty when it is given inline only.
/// </param>
public sealed record TableSpec(
    string Name,
    string Path,
    EquatableArray<string> Keys,
    EquatableArray<ColumnSpec> Columns,
    MatrixSpec? Matrix = null);

/// <summary>A numeric table column. Value-equatable.</summary>
/// <param name="Name">Validated identifier (the CSV header).</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Values">One value per row, in row order.</param>
public sealed record ColumnSpec(string Name, UnitSpec Unit, EquatableArray<double> Values);

/// <summary>
/// The nonzero entries of a table over two static index sets, by rows (compressed sparse rows):
/// row r's entries are <c>Columns[RowStarts[r] .. RowStarts[r + 1]]</c> in ascending column order,
/// with their <c>Values</c>. A zero is never stored: an absent entry is 0. Value-equatable.
/// </summary>
/// <param name="RowSet">The index set of the rows (the first subscript).</param>
/// <param name="ColumnSet">The index set of the columns (the second subscript).</param>
/// <param name="Unit">The unit of every entry.</param>
/// <param name="RowStarts">Per row its first entry, and the entry count last (rows + 1 numbers).</param>
/// <param name="Columns">Each entry's column position in <see cref="ColumnSet"/>.</param>
/// <param name="Values">Each entry's value, never 0.</param>
public sealed record MatrixSpec(
    string RowSet,
    string ColumnSet,
    UnitSpec Unit,
    EquatableArray<int> RowStarts,
    EquatableArray<int> Columns,
    EquatableArray<double> Values)
{
    /// <summary>The entry at row position <paramref name="row"/> and column position <paramref name="column"/>; 0 when absent.</summary>
    public double At(int row, int column)
    {
        if (row < 0 || row + 1 >= RowStarts.Count)
        {
            return 0;
        }

        int low = RowStarts[row], high = RowStarts[row + 1] - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var c = Columns[middle];
            if (c == column)
            {
                return Values[middle];
            }

            if (c < column)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return 0;
    }
}
