using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

// Two-dimensional tables: `table S[met, rxn] from "s.csv";`, read from a long CSV (row,column,value),
// a wide one (a header of column names), inline entries, or a file and entries together. Only the
// nonzero entries are kept, by rows (MatrixSpec); an absent entry is 0.
internal sealed partial class Binder
{
    private readonly List<(MatrixTableDeclarationSyntax Syntax, TableSymbol Table)> _matrices = new();

    /// <summary>Declares the table's name with the other tables; its entries bind once the index sets are known.</summary>
    private void DeclareMatrix(MatrixTableDeclarationSyntax syntax)
    {
        if (syntax.Identifier.IsMissing)
        {
            return;
        }

        var table = new TableSymbol(syntax.Identifier.Text, syntax.Identifier.Span, string.Empty, ImmutableArray<string>.Empty, new List<ColumnSymbol>()) { IsMatrix = true };
        if (syntax.ContainsErrors)
        {
            DeclareBroken(table);
            return;
        }

        table.IsError = !CheckName(syntax.Identifier);
        if (Declare(table))
        {
            _fibre.Tables.Add(table);
            _matrices.Add((syntax, table));
        }
    }

    private void BindMatrix(MatrixTableDeclarationSyntax syntax, TableSymbol table)
    {
        var rows = MatrixSet(table, syntax.RowSet);
        var columns = MatrixSet(table, syntax.ColumnSet);
        var unit = syntax.Unit is null ? UnitSpec.Dimensionless : BindUnit(syntax.Unit);
        var wide = false;
        if (syntax.Layout is { } layout)
        {
            wide = layout.Text == "wide";
            if (!wide && layout.Text != "long")
            {
                _diagnostics.ReportUnknownWord(layout.Span, layout.Text, "table layout", "'long' or 'wide'", DidYouMean(layout.Text, s_layouts));
                table.IsError = true;
            }
        }

        string? path = null;
        if (syntax.Path is { } pathToken)
        {
            path = CheckPath(pathToken);
            table.IsError |= path is null;
        }

        if (rows is null || columns is null || table.IsError)
        {
            table.IsError = true;
            return;
        }

        var entries = new List<MatrixEntry>();
        if (path is not null)
        {
            var text = ReadTableText(path, syntax.Path!.Span);
            var read = text is not null && (wide
                ? ReadWide(table, text, path, syntax.Path.Span, rows, columns, entries)
                : ReadLong(table, text, path, syntax.Path.Span, rows, columns, entries));
            if (!read)
            {
                table.IsError = true;
                return;
            }
        }

        foreach (var entry in syntax.Entries)
        {
            var row = MemberPosition(table, rows, entry.Row);
            var column = MemberPosition(table, columns, entry.Column);
            var value = EntryValue(entry.Value);
            if (row < 0 || column < 0 || value is null)
            {
                table.IsError = true;
                continue;
            }

            entries.Add(new MatrixEntry(row, column, value.Value, -1, entry.Span));
        }

        if (table.IsError || !CheckDuplicates(table, path, rows, columns, entries))
        {
            table.IsError = true;
            return;
        }

        table.Matrix = Compress(rows.Name, columns.Name, unit, rows.Members.Length, entries);
    }

    private static readonly string[] s_layouts = { "long", "wide" };

    // The static index set a table ranges over, or null after reporting why not.
    private IndexSymbol? MatrixSet(TableSymbol table, SyntaxToken token)
    {
        if (token.IsMissing)
        {
            return null;
        }

        if (!_names.TryGetValue(token.Text, out var symbol))
        {
            _diagnostics.ReportUndefinedName(token.Span, "Index set", token.Text, DidYouMean(token.Text, _fibre.Indices.Select(static i => i.Name)));
            return null;
        }

        if (symbol is not IndexSymbol set)
        {
            _diagnostics.ReportWrongNameKind(token.Span, token.Text, symbol.KindText, "an index set");
            return null;
        }

        if (set.IsError)
        {
            return null;
        }

        if (!set.IsStatic)
        {
            _diagnostics.ReportTableSet(token.Span, table.Name, set.Name, "whose members appear at run time");
            return null;
        }

        return set;
    }

    private int MemberPosition(TableSymbol table, IndexSymbol set, SyntaxToken token)
    {
        if (token.IsMissing)
        {
            return -1;
        }

        var position = set.Members.IndexOf(token.Text);
        if (position < 0)
        {
            _diagnostics.ReportTableKeyUnknown(token.Span, table.Name, Shorten(token.Text), string.Empty, set.Name);
        }

        return position;
    }

    private static double? EntryValue(ExpressionSyntax syntax)
    {
        var negate = false;
        if (syntax is UnaryExpressionSyntax { OperatorToken.Kind: SyntaxKind.MinusToken } unary)
        {
            negate = true;
            syntax = unary.Operand;
        }

        if (syntax is not NumberExpressionSyntax { Number.IsMissing: false } number)
        {
            return null;
        }

        var value = SyntaxTree.ParseNumber(number.Number.Text);
        return SyntaxTree.IsFinite(value) ? (negate ? -value : value) : null;
    }

    /// <summary>The text of a table file, or null after SIG1014.</summary>
    private string? ReadTableText(string path, TextSpan span)
    {
        try
        {
            var text = _readTable(path);
            if (text is null)
            {
                _diagnostics.ReportTableNotFound(span, path, string.Empty);
            }

            return text;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _diagnostics.ReportTableNotFound(span, path, " (" + e.Message + ")");
            return null;
        }
    }

    // Long layout: a header line (three names), then `row,column,value` per line.
    private bool ReadLong(TableSymbol table, string text, string path, TextSpan span, IndexSymbol rows, IndexSymbol columns, List<MatrixEntry> entries)
    {
        var rowPositions = Positions(rows);
        var columnPositions = Positions(columns);
        var header = true;
        foreach (var (line, number) in CsvLines(text))
        {
            var fields = line.Split(',');
            if (fields.Length != 3)
            {
                _diagnostics.ReportTableMalformed(span, path, "line " + Integer(number) + " has " + Integer(fields.Length) + " fields; a long table has three: row,column,value");
                return false;
            }

            var row = fields[0].Trim();
            var column = fields[1].Trim();
            var cell = fields[2].Trim();
            if (header)
            {
                header = false;
                if (!double.IsNaN(SyntaxTree.ParseNumber(cell)))
                {
                    _diagnostics.ReportTableMalformed(span, path, "line " + Integer(number) + " holds a number where the header (row,column,value) belongs; a long table starts with a header line");
                    return false;
                }

                continue;
            }

            if (!Lookup(table, rowPositions, rows, row, path, number, span, out var r) || !Lookup(table, columnPositions, columns, column, path, number, span, out var c))
            {
                return false;
            }

            var value = SyntaxTree.ParseNumber(cell);
            if (!SyntaxTree.IsFinite(value))
            {
                _diagnostics.ReportTableBadNumber(span, path, Integer(number), "value", Shorten(cell));
                return false;
            }

            entries.Add(new MatrixEntry(r, c, value, number, span));
        }

        if (header)
        {
            _diagnostics.ReportTableMalformed(span, path, "the file is empty; it needs a header line (row,column,value)");
            return false;
        }

        return true;
    }

    // Wide layout: a header whose first field labels the row keys and whose other fields are
    // column names; then one line per row. An empty cell is 0.
    private bool ReadWide(TableSymbol table, string text, string path, TextSpan span, IndexSymbol rows, IndexSymbol columns, List<MatrixEntry> entries)
    {
        var rowPositions = Positions(rows);
        var columnPositions = Positions(columns);
        int[]? header = null;
        foreach (var (line, number) in CsvLines(text))
        {
            var fields = line.Split(',');
            if (header is null)
            {
                header = new int[fields.Length - 1];
                var seen = new HashSet<int>();
                for (var i = 1; i < fields.Length; i++)
                {
                    if (!Lookup(table, columnPositions, columns, fields[i].Trim(), path, number, span, out header[i - 1]))
                    {
                        return false;
                    }

                    if (!seen.Add(header[i - 1]))
                    {
                        _diagnostics.ReportTableMalformed(span, path, "line " + Integer(number) + ": column '" + Shorten(fields[i].Trim()) + "' appears twice in the header");
                        return false;
                    }
                }

                continue;
            }

            if (fields.Length != header.Length + 1)
            {
                _diagnostics.ReportTableMalformed(span, path, "line " + Integer(number) + " has " + Integer(fields.Length) + " fields; the header has " + Integer(header.Length + 1));
                return false;
            }

            if (!Lookup(table, rowPositions, rows, fields[0].Trim(), path, number, span, out var r))
            {
                return false;
            }

            for (var i = 1; i < fields.Length; i++)
            {
                var cell = fields[i].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }

                var value = SyntaxTree.ParseNumber(cell);
                if (!SyntaxTree.IsFinite(value))
                {
                    _diagnostics.ReportTableBadNumber(span, path, Integer(number), Shorten(columns.Members[header[i - 1]]), Shorten(cell));
                    return false;
                }

                entries.Add(new MatrixEntry(r, header[i - 1], value, number, span));
            }
        }

        if (header is null)
        {
            _diagnostics.ReportTableMalformed(span, path, "the file is empty; it needs a header line of column names");
            return false;
        }

        return true;
    }

    private static Dictionary<string, int> Positions(IndexSymbol set)
    {
        var positions = new Dictionary<string, int>(set.Members.Length, StringComparer.Ordinal);
        for (var i = 0; i < set.Members.Length; i++)
        {
            positions[set.Members[i]] = i;
        }

        return positions;
    }

    private bool Lookup(TableSymbol table, Dictionary<string, int> positions, IndexSymbol set, string key, string path, int line, TextSpan span, out int position)
    {
        if (positions.TryGetValue(key, out position))
        {
            return true;
        }

        _diagnostics.ReportTableKeyUnknown(span, table.Name, Shorten(key), " (" + path + " line " + Integer(line) + ")", set.Name);
        return false;
    }

    // The lines that hold data, trimmed, with their one-based numbers: blank lines and lines
    // starting with '#' are skipped. Quoted fields are not supported (as in tables of columns).
    private static IEnumerable<(string Line, int Number)> CsvLines(string text)
    {
        var number = 0;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            number++;
            var line = text.Substring(start, end - start).Trim();
            start = end + 1;
            if (line.Length > 0 && line[0] != '#')
            {
                yield return (line, number);
            }
        }
    }

    // An entry given twice (in the file, inline, or once in each) is SIG1051 at the later one.
    private bool CheckDuplicates(TableSymbol table, string? path, IndexSymbol rows, IndexSymbol columns, List<MatrixEntry> entries)
    {
        // A file written in row order (the common case) needs no sort.
        static int Compare(MatrixEntry a, MatrixEntry b) =>
            a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Column != b.Column ? a.Column.CompareTo(b.Column) : a.Order.CompareTo(b.Order);
        var sorted = true;
        for (var i = 1; i < entries.Count && sorted; i++)
        {
            sorted = Compare(entries[i - 1], entries[i]) <= 0;
        }

        if (!sorted)
        {
            entries.Sort(Compare);
        }

        for (var i = 1; i < entries.Count; i++)
        {
            var first = entries[i - 1];
            var second = entries[i];
            if (first.Row == second.Row && first.Column == second.Column)
            {
                _diagnostics.ReportTableEntryDuplicate(second.Span, table.Name, Shorten(rows.Members[second.Row]), Shorten(columns.Members[second.Column]), Where(first, path), Where(second, path));
                return false;
            }
        }

        return true;
    }

    private static string Where(MatrixEntry entry, string? path) =>
        entry.Line < 0 ? "inline" : path + " line " + entry.Line.ToString(CultureInfo.InvariantCulture);

    // Compressed sparse rows of the entries sorted by (row, column), zeros dropped.
    private static MatrixSpec Compress(string rowSet, string columnSet, UnitSpec unit, int rowCount, List<MatrixEntry> sorted)
    {
        var starts = new int[rowCount + 1];
        var columns = new List<int>(sorted.Count);
        var values = new List<double>(sorted.Count);
        foreach (var entry in sorted)
        {
            if (entry.Value == 0)
            {
                continue;
            }

            starts[entry.Row + 1]++;
            columns.Add(entry.Column);
            values.Add(entry.Value);
        }

        for (var r = 0; r < rowCount; r++)
        {
            starts[r + 1] += starts[r];
        }

        return new MatrixSpec(rowSet, columnSet, unit, new EquatableArray<int>(starts), new EquatableArray<int>(columns), new EquatableArray<double>(values));
    }

    /// <summary>One entry while a table binds; <see cref="Line"/> is the file's line, or -1 inline.</summary>
    private readonly record struct MatrixEntry(int Row, int Column, double Value, int Line, TextSpan Span)
    {
        // File entries come before inline ones, each in its order, so a duplicate is reported at the later.
        public long Order => Line < 0 ? ((long)int.MaxValue) + Span.Start : Line;
    }
}
