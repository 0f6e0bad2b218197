using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The sparse coupling matrix <c>A</c> (one row per resource <c>l</c>, one column per agent <c>s</c>),
/// built once and immutable afterwards. It is held twice: row-major (CSR) for loads
/// <c>A x</c> gathered per row, and column-major (CSC) for path prices <c>q = A^T pi</c> gathered
/// per agent, which is also the order the solver engines stream through in their fused agent pass.
/// Within a row, columns ascend; within a column, rows ascend; duplicate entries are summed.
/// </summary>
public sealed class CouplingMatrix
{
    private readonly int[] _rowStart;
    private readonly int[] _rowColumn;
    private readonly double[] _rowValue;
    private readonly int[] _columnStart;
    private readonly int[] _columnRow;
    private readonly double[] _columnValue;
    private readonly double[] _columnNorm;
    private readonly double[] _rowSum;

    private CouplingMatrix(
        int rowCount,
        int columnCount,
        int[] rowStart,
        int[] rowColumn,
        double[] rowValue,
        int[] columnStart,
        int[] columnRow,
        double[] columnValue)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rowStart = rowStart;
        _rowColumn = rowColumn;
        _rowValue = rowValue;
        _columnStart = columnStart;
        _columnRow = columnRow;
        _columnValue = columnValue;
        IsNonnegative = Array.TrueForAll(columnValue, static v => v >= 0);
        _columnNorm = new double[columnCount];
        for (int s = 0; s < columnCount; s++)
        {
            for (int k = columnStart[s]; k < columnStart[s + 1]; k++)
            {
                _columnNorm[s] += Math.Abs(columnValue[k]);
            }
        }

        _rowSum = new double[rowCount];
        for (int l = 0; l < rowCount; l++)
        {
            for (int k = rowStart[l]; k < rowStart[l + 1]; k++)
            {
                _rowSum[l] += rowValue[k];
            }
        }
    }

    /// <summary>Number of rows (resources).</summary>
    public int RowCount { get; }

    /// <summary>Number of columns (agents).</summary>
    public int ColumnCount { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeroCount => _columnValue.Length;

    /// <summary>True when every entry is &gt;= 0 (needed by the scaling primal recovery).</summary>
    public bool IsNonnegative { get; }

    /// <summary>CSR row pointers: row <c>l</c> is entries <c>[RowStart[l], RowStart[l + 1])</c>.</summary>
    public ReadOnlySpan<int> RowStart => _rowStart;

    /// <summary>CSR column index of each entry.</summary>
    public ReadOnlySpan<int> RowColumn => _rowColumn;

    /// <summary>CSR value of each entry.</summary>
    public ReadOnlySpan<double> RowValue => _rowValue;

    /// <summary>CSC column pointers: agent <c>s</c> is entries <c>[ColumnStart[s], ColumnStart[s + 1])</c>.</summary>
    public ReadOnlySpan<int> ColumnStart => _columnStart;

    /// <summary>CSC row index of each entry.</summary>
    public ReadOnlySpan<int> ColumnRow => _columnRow;

    /// <summary>CSC value of each entry.</summary>
    public ReadOnlySpan<double> ColumnValue => _columnValue;

    /// <summary><c>|a_s|_1 = sum_l |A_ls|</c> per column.</summary>
    public ReadOnlySpan<double> ColumnNorm => _columnNorm;

    /// <summary><c>sum_s A_ls</c> per row.</summary>
    public ReadOnlySpan<double> RowSum => _rowSum;

    internal int[] ColumnStartArray => _columnStart;

    internal int[] ColumnRowArray => _columnRow;

    internal double[] ColumnValueArray => _columnValue;

    internal int[] RowStartArray => _rowStart;

    /// <summary>
    /// Builds the matrix from coordinate triplets <c>(rows[k], columns[k], values[k])</c>, in any
    /// order; duplicates are summed in input order, so the result is deterministic.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, an index is out of range, or a value is not finite.</exception>
    public static CouplingMatrix FromTriplets(
        int rowCount,
        int columnCount,
        ReadOnlySpan<int> rows,
        ReadOnlySpan<int> columns,
        ReadOnlySpan<double> values)
    {
        if (rowCount < 0 || columnCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), "Row and column counts must be >= 0.");
        }

        if (rows.Length != columns.Length || rows.Length != values.Length)
        {
            throw new ArgumentException(
                $"Triplet arrays differ in length: {rows.Length} rows, {columns.Length} columns, {values.Length} values.");
        }

        int n = rows.Length;
        for (int k = 0; k < n; k++)
        {
            if ((uint)rows[k] >= (uint)rowCount)
            {
                throw new ArgumentException($"Entry {k}: row {rows[k]} is outside [0, {rowCount}).", nameof(rows));
            }

            if ((uint)columns[k] >= (uint)columnCount)
            {
                throw new ArgumentException($"Entry {k}: column {columns[k]} is outside [0, {columnCount}).", nameof(columns));
            }

            if (!double.IsFinite(values[k]))
            {
                throw new ArgumentException($"Entry {k}: value {values[k]} is not finite.", nameof(values));
            }
        }

        // Two stable counting sorts (by row, then by column) leave each column's entries in
        // ascending row order with duplicates adjacent, in O(nnz) and deterministically.
        int[] byRow = new int[n];
        int[] count = new int[Math.Max(rowCount, columnCount) + 1];
        for (int k = 0; k < n; k++)
        {
            count[rows[k] + 1]++;
        }

        for (int l = 0; l < rowCount; l++)
        {
            count[l + 1] += count[l];
        }

        for (int k = 0; k < n; k++)
        {
            byRow[count[rows[k]]++] = k;
        }

        Array.Clear(count);
        for (int k = 0; k < n; k++)
        {
            count[columns[k] + 1]++;
        }

        for (int s = 0; s < columnCount; s++)
        {
            count[s + 1] += count[s];
        }

        int[] order = new int[n];
        foreach (int k in byRow)
        {
            order[count[columns[k]]++] = k;
        }

        int[] columnStart = new int[columnCount + 1];
        var columnRow = new int[n];
        var columnValue = new double[n];
        int m = 0;
        int previousColumn = -1;
        int previousRow = -1;
        foreach (int k in order)
        {
            int s = columns[k];
            int l = rows[k];
            if (s == previousColumn && l == previousRow)
            {
                columnValue[m - 1] += values[k];
                continue;
            }

            columnRow[m] = l;
            columnValue[m] = values[k];
            columnStart[s + 1]++;
            m++;
            previousColumn = s;
            previousRow = l;
        }

        for (int s = 0; s < columnCount; s++)
        {
            columnStart[s + 1] += columnStart[s];
        }

        Array.Resize(ref columnRow, m);
        Array.Resize(ref columnValue, m);
        return FromSortedColumns(rowCount, columnCount, columnStart, columnRow, columnValue);
    }

    /// <summary>
    /// Builds the matrix from compressed columns (CSC), the natural shape for generated code
    /// that lists, per agent, the resources it loads. Rows within a column must be strictly ascending.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays are not a valid CSC matrix of the given shape.</exception>
    public static CouplingMatrix FromColumns(
        int rowCount,
        ReadOnlySpan<int> columnStart,
        ReadOnlySpan<int> rowIndex,
        ReadOnlySpan<double> values)
    {
        if (rowCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), "Row count must be >= 0.");
        }

        if (columnStart.Length == 0 || columnStart[0] != 0 || columnStart[^1] != rowIndex.Length
            || rowIndex.Length != values.Length)
        {
            throw new ArgumentException(
                "Column pointers must start at 0 and end at the entry count, and row indices and values must have equal length.",
                nameof(columnStart));
        }

        int columnCount = columnStart.Length - 1;
        for (int s = 0; s < columnCount; s++)
        {
            if (columnStart[s + 1] < columnStart[s])
            {
                throw new ArgumentException($"Column pointers decrease at column {s}.", nameof(columnStart));
            }

            for (int k = columnStart[s]; k < columnStart[s + 1]; k++)
            {
                if ((uint)rowIndex[k] >= (uint)rowCount)
                {
                    throw new ArgumentException($"Column {s}: row {rowIndex[k]} is outside [0, {rowCount}).", nameof(rowIndex));
                }

                if (k > columnStart[s] && rowIndex[k] <= rowIndex[k - 1])
                {
                    throw new ArgumentException($"Column {s}: rows must be strictly ascending.", nameof(rowIndex));
                }

                if (!double.IsFinite(values[k]))
                {
                    throw new ArgumentException($"Column {s}: value {values[k]} is not finite.", nameof(values));
                }
            }
        }

        return FromSortedColumns(rowCount, columnCount, columnStart.ToArray(), rowIndex.ToArray(), values.ToArray());
    }

    private static CouplingMatrix FromSortedColumns(
        int rowCount, int columnCount, int[] columnStart, int[] columnRow, double[] columnValue)
    {
        int n = columnRow.Length;
        int[] rowStart = new int[rowCount + 1];
        foreach (int l in columnRow)
        {
            rowStart[l + 1]++;
        }

        for (int l = 0; l < rowCount; l++)
        {
            rowStart[l + 1] += rowStart[l];
        }

        int[] next = rowStart.AsSpan(0, rowCount).ToArray();
        var rowColumn = new int[n];
        var rowValue = new double[n];
        for (int s = 0; s < columnCount; s++)
        {
            for (int k = columnStart[s]; k < columnStart[s + 1]; k++)
            {
                int slot = next[columnRow[k]]++;
                rowColumn[slot] = s;
                rowValue[slot] = columnValue[k];
            }
        }

        return new CouplingMatrix(rowCount, columnCount, rowStart, rowColumn, rowValue, columnStart, columnRow, columnValue);
    }

    /// <summary>Number of entries in row <paramref name="row"/>.</summary>
    public int RowLength(int row) => _rowStart[row + 1] - _rowStart[row];

    /// <summary>Number of entries in column <paramref name="column"/>.</summary>
    public int ColumnLength(int column) => _columnStart[column + 1] - _columnStart[column];

    /// <summary>Loads <c>y = A x</c>, gathered row by row (deterministic summation order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        CheckLength(x.Length, ColumnCount, nameof(x));
        CheckLength(y.Length, RowCount, nameof(y));
        ref double xr = ref MemoryMarshal.GetReference(x);
        for (int l = 0; l < RowCount; l++)
        {
            double sum = 0;
            for (int k = _rowStart[l]; k < _rowStart[l + 1]; k++)
            {
                sum += _rowValue[k] * Unsafe.Add(ref xr, _rowColumn[k]);
            }

            y[l] = sum;
        }
    }

    /// <summary>Path prices <c>q = A^T pi</c>, gathered agent by agent (deterministic summation order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MultiplyTransposed(ReadOnlySpan<double> prices, Span<double> q)
    {
        CheckLength(prices.Length, RowCount, nameof(prices));
        CheckLength(q.Length, ColumnCount, nameof(q));
        ref double pr = ref MemoryMarshal.GetReference(prices);
        for (int s = 0; s < ColumnCount; s++)
        {
            double sum = 0;
            for (int k = _columnStart[s]; k < _columnStart[s + 1]; k++)
            {
                sum += _columnValue[k] * Unsafe.Add(ref pr, _columnRow[k]);
            }

            q[s] = sum;
        }
    }

    /// <summary>The path price <c>q_s = sum_l A_ls pi_l</c> of one agent.</summary>
    public double PathPrice(int column, ReadOnlySpan<double> prices)
    {
        CheckLength(prices.Length, RowCount, nameof(prices));
        double sum = 0;
        for (int k = _columnStart[column]; k < _columnStart[column + 1]; k++)
        {
            sum += _columnValue[k] * prices[_columnRow[k]];
        }

        return sum;
    }

    internal static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected length {expected}, got {actual}.", name);
        }
    }
}
