using System;
using System.Collections.Generic;
using System.Globalization;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// A fibre's table data as a program may change it at run time: the numeric columns of its
/// one-dimensional tables (one value per row key) and the nonzero entries of its two-dimensional
/// tables (compressed rows over the members of two index sets). A generated <c>CreateTables()</c>
/// returns a fresh copy of what the fibre was compiled with; <c>CreateProblem(..., tables)</c> builds the
/// problem from whatever the copy holds, so new capacities, weights or matrix entries need no rebuild
/// of the program. The keys and members are fixed (they are index members); values change, and an
/// entry set to 0 leaves the matrix (a zero is never stored).
/// </summary>
/// <remarks>Each change is checked before it is written; a refused one throws and changes nothing.</remarks>
public sealed class FibreTables
{
    private readonly Dictionary<string, Columns> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Matrix> _matrices = new(StringComparer.Ordinal);

    /// <summary>Counts every accepted change (a caller that rebuilt from an older count rebuilds again).</summary>
    public int Version { get; private set; }

    /// <summary>Adds one-dimensional table <paramref name="table"/> with its row keys (the values are copied in by <see cref="AddColumn"/>).</summary>
    /// <exception cref="ArgumentException">The table is already there.</exception>
    public FibreTables AddTable(string table, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        if (_columns.ContainsKey(table) || _matrices.ContainsKey(table))
        {
            throw new ArgumentException($"Table {table} is already there.", nameof(table));
        }

        _columns[table] = new Columns(Positions(keys, table), new Dictionary<string, double[]>(StringComparer.Ordinal));
        return this;
    }

    /// <summary>Adds a copy of column <paramref name="column"/> of table <paramref name="table"/>, one value per row key.</summary>
    /// <exception cref="ArgumentException">No such table, the column is already there, or the length is wrong.</exception>
    public FibreTables AddColumn(string table, string column, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(column);
        Columns t = ColumnsOf(table);
        if (values.Length != t.Keys.Count || t.Values.ContainsKey(column))
        {
            throw new ArgumentException($"Column {table}.{column}: {values.Length} values for {t.Keys.Count} rows, or the column is already there.", nameof(values));
        }

        t.Values[column] = values.ToArray();
        return this;
    }

    /// <summary>Adds a copy of two-dimensional table <paramref name="table"/>: compressed rows over <paramref name="rows"/> x <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">The table is already there, or the arrays are not compressed rows of that shape.</exception>
    public FibreTables AddMatrix(string table, IReadOnlyList<string> rows, IReadOnlyList<string> columns, ReadOnlySpan<int> rowStarts, ReadOnlySpan<int> entryColumns, ReadOnlySpan<double> entryValues)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        if (_columns.ContainsKey(table) || _matrices.ContainsKey(table))
        {
            throw new ArgumentException($"Table {table} is already there.", nameof(table));
        }

        if (rowStarts.Length != rows.Count + 1 || rowStarts[0] != 0 || rowStarts[^1] != entryColumns.Length || entryColumns.Length != entryValues.Length)
        {
            throw new ArgumentException($"Table {table}: the entries are not compressed rows over {rows.Count} rows.", nameof(rowStarts));
        }

        var matrix = new Matrix(Positions(rows, table), Positions(columns, table), new List<int>[rows.Count], new List<double>[rows.Count]);
        for (int r = 0; r < rows.Count; r++)
        {
            matrix.EntryColumns[r] = new List<int>(rowStarts[r + 1] - rowStarts[r]);
            matrix.EntryValues[r] = new List<double>(rowStarts[r + 1] - rowStarts[r]);
            for (int k = rowStarts[r]; k < rowStarts[r + 1]; k++)
            {
                if ((uint)entryColumns[k] >= (uint)columns.Count || (k > rowStarts[r] && entryColumns[k] <= entryColumns[k - 1]) || entryValues[k] == 0 || !double.IsFinite(entryValues[k]))
                {
                    throw new ArgumentException($"Table {table}: entry {k} is out of range, out of order, zero or not finite.", nameof(entryColumns));
                }

                matrix.EntryColumns[r].Add(entryColumns[k]);
                matrix.EntryValues[r].Add(entryValues[k]);
            }
        }

        _matrices[table] = matrix;
        return this;
    }

    /// <summary>A deep copy (for <see cref="RestoreFrom"/>).</summary>
    public FibreTables Clone()
    {
        var copy = new FibreTables { Version = Version };
        copy.RestoreFrom(this);
        return copy;
    }

    /// <summary>Takes every value of <paramref name="other"/> (a <see cref="Clone"/> of this one, to undo changes).</summary>
    public void RestoreFrom(FibreTables other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _columns.Clear();
        _matrices.Clear();
        foreach ((string name, Columns t) in other._columns)
        {
            var values = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach ((string column, double[] v) in t.Values)
            {
                values[column] = (double[])v.Clone();
            }

            _columns[name] = new Columns(t.Keys, values);
        }

        foreach ((string name, Matrix m) in other._matrices)
        {
            var columns = new List<int>[m.EntryColumns.Length];
            var values = new List<double>[m.EntryValues.Length];
            for (int r = 0; r < columns.Length; r++)
            {
                columns[r] = new List<int>(m.EntryColumns[r]);
                values[r] = new List<double>(m.EntryValues[r]);
            }

            _matrices[name] = new Matrix(m.Rows, m.ColumnMembers, columns, values);
        }

        Version++;
    }

    /// <summary>A copy of column <paramref name="column"/> of table <paramref name="table"/>, one value per row key.</summary>
    /// <exception cref="ArgumentException">No such table or column.</exception>
    public double[] Column(string table, string column) => (double[])ColumnArray(table, column).Clone();

    /// <summary>The value of column <paramref name="column"/> of table <paramref name="table"/> at row key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No such table, column or key.</exception>
    public double Get(string table, string column, string key) => ColumnArray(table, column)[Key(ColumnsOf(table).Keys, key, table)];

    /// <summary>Sets the value of column <paramref name="column"/> of table <paramref name="table"/> at row key <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No such table, column or key, or the value is not finite.</exception>
    public void Set(string table, string column, string key, double value)
    {
        double[] values = ColumnArray(table, column);
        int k = Key(ColumnsOf(table).Keys, key, table);
        Finite(value, table + "." + column + "[" + key + "]");
        values[k] = value;
        Version++;
    }

    /// <summary>Per row of two-dimensional table <paramref name="table"/> its first entry, and the entry count last.</summary>
    /// <exception cref="ArgumentException">No such table.</exception>
    public int[] RowStarts(string table)
    {
        Matrix m = MatrixOf(table);
        var starts = new int[m.EntryColumns.Length + 1];
        for (int r = 0; r < m.EntryColumns.Length; r++)
        {
            starts[r + 1] = starts[r] + m.EntryColumns[r].Count;
        }

        return starts;
    }

    /// <summary>Each entry's column position in two-dimensional table <paramref name="table"/>, row by row.</summary>
    /// <exception cref="ArgumentException">No such table.</exception>
    public int[] EntryColumns(string table)
    {
        var all = new List<int>();
        foreach (List<int> row in MatrixOf(table).EntryColumns)
        {
            all.AddRange(row);
        }

        return all.ToArray();
    }

    /// <summary>Each entry's value (never 0) in two-dimensional table <paramref name="table"/>, row by row.</summary>
    /// <exception cref="ArgumentException">No such table.</exception>
    public double[] EntryValues(string table)
    {
        var all = new List<double>();
        foreach (List<double> row in MatrixOf(table).EntryValues)
        {
            all.AddRange(row);
        }

        return all.ToArray();
    }

    /// <summary>The entry of two-dimensional table <paramref name="table"/> at (<paramref name="row"/>, <paramref name="column"/>); 0 when absent.</summary>
    /// <exception cref="ArgumentException">No such table or member.</exception>
    public double GetEntry(string table, string row, string column)
    {
        Matrix m = MatrixOf(table);
        int r = Key(m.Rows, row, table);
        int k = m.EntryColumns[r].BinarySearch(Key(m.ColumnMembers, column, table));
        return k >= 0 ? m.EntryValues[r][k] : 0;
    }

    /// <summary>Sets the entry of two-dimensional table <paramref name="table"/> at (<paramref name="row"/>, <paramref name="column"/>); 0 removes it.</summary>
    /// <exception cref="ArgumentException">No such table or member, or the value is not finite.</exception>
    public void SetEntry(string table, string row, string column, double value)
    {
        Matrix m = MatrixOf(table);
        int r = Key(m.Rows, row, table);
        int c = Key(m.ColumnMembers, column, table);
        Finite(value, table + "[" + row + ", " + column + "]");
        int k = m.EntryColumns[r].BinarySearch(c);
        if (k >= 0 && value == 0)
        {
            m.EntryColumns[r].RemoveAt(k);
            m.EntryValues[r].RemoveAt(k);
        }
        else if (k >= 0)
        {
            m.EntryValues[r][k] = value;
        }
        else if (value != 0)
        {
            m.EntryColumns[r].Insert(~k, c);
            m.EntryValues[r].Insert(~k, value);
        }

        Version++;
    }

    private double[] ColumnArray(string table, string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return ColumnsOf(table).Values.TryGetValue(column, out double[]? values)
            ? values
            : throw new ArgumentException($"Table {table} has no column {column}.", nameof(column));
    }

    private Columns ColumnsOf(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _columns.TryGetValue(table, out Columns? t) ? t : throw new ArgumentException($"No one-dimensional table {table}.", nameof(table));
    }

    private Matrix MatrixOf(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _matrices.TryGetValue(table, out Matrix? m) ? m : throw new ArgumentException($"No two-dimensional table {table}.", nameof(table));
    }

    private static Dictionary<string, int> Positions(IReadOnlyList<string> keys, string table)
    {
        var positions = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        for (int k = 0; k < keys.Count; k++)
        {
            if (!positions.TryAdd(keys[k], k))
            {
                throw new ArgumentException($"Table {table}: key '{keys[k]}' appears twice.", nameof(keys));
            }
        }

        return positions;
    }

    private static int Key(Dictionary<string, int> positions, string key, string table)
    {
        ArgumentNullException.ThrowIfNull(key);
        return positions.TryGetValue(key, out int k) ? k : throw new ArgumentException($"'{key}' is not a member of table {table}'s index.", nameof(key));
    }

    private static void Finite(double value, string what)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{what} must be finite, got {value.ToString("R", CultureInfo.InvariantCulture)}.", nameof(value));
        }
    }

    private sealed record Columns(Dictionary<string, int> Keys, Dictionary<string, double[]> Values);

    private sealed record Matrix(Dictionary<string, int> Rows, Dictionary<string, int> ColumnMembers, List<int>[] EntryColumns, List<double>[] EntryValues);
}
