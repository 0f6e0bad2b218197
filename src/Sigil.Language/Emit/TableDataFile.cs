using System;
using System.IO;
using System.Linq;
using System.Text;
using Sigil.Language.Model;

namespace Sigil.Language.Emit;

/// <summary>
/// The writer half of the table data file format (the format and its reader are in
/// <c>src/Sigil.Solvers/Solvers/TableDataFormat.cs</c>, which this assembly compiles too).
/// </summary>
public static partial class TableDataFile
{
    /// <summary>The most values a table may store and still be written into the generated C# as literals.</summary>
    public const int LiteralLimit = 4096;

    /// <summary>How many values <paramref name="table"/> stores: row keys and cells, or row starts and entries.</summary>
    public static long StoredValues(TableSpec table) => table.Matrix is { } m
        ? m.RowStarts.Count + (2L * m.Values.Count)
        : table.Keys.Count + ((long)table.Keys.Count * table.Columns.Count);

    /// <summary>True when <paramref name="table"/> is read from the data file rather than written as literals.</summary>
    public static bool IsExternal(TableSpec table, int literalLimit = LiteralLimit) => StoredValues(table) > literalLimit;

    /// <summary>
    /// The data file of <paramref name="spec"/>'s external tables (in the spec's order), or null
    /// when every table is small enough to be literals. Deterministic: equal specs give equal bytes.
    /// </summary>
    public static byte[]? Write(FibreSpec spec, int literalLimit = LiteralLimit)
    {
        var external = spec.Tables.Where(t => IsExternal(t, literalLimit)).ToList();
        if (external.Count == 0)
        {
            return null;
        }

        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, new UTF8Encoding(false), leaveOpen: true))
        {
            w.Write((uint)external.Count);
            foreach (var table in external)
            {
                WriteString(w, table.Name);
                if (table.Matrix is { } m)
                {
                    w.Write(MatrixKind);
                    w.Write((uint)(m.RowStarts.Count - 1));
                    w.Write((uint)spec.Indices.First(i => i.Name == m.ColumnSet).Members.Count);
                    w.Write((uint)m.Values.Count);
                    foreach (var start in m.RowStarts)
                    {
                        w.Write(start);
                    }

                    foreach (var column in m.Columns)
                    {
                        w.Write(column);
                    }

                    foreach (var value in m.Values)
                    {
                        w.Write(value);
                    }

                    continue;
                }

                w.Write(RowsKind);
                w.Write((uint)table.Keys.Count);
                foreach (var key in table.Keys)
                {
                    WriteString(w, key);
                }

                w.Write((uint)table.Columns.Count);
                foreach (var column in table.Columns)
                {
                    WriteString(w, column.Name);
                    foreach (var value in column.Values)
                    {
                        w.Write(value);
                    }
                }
            }
        }

        var body = payload.ToArray();
        var file = new byte[HeaderSize + body.Length];
        WriteUInt32(file, 0, Magic);
        WriteUInt32(file, 4, Version);
        WriteUInt64(file, 8, (ulong)body.Length);
        Sha256(body, 0, body.Length).CopyTo(file, 16);
        Buffer.BlockCopy(body, 0, file, HeaderSize, body.Length);
        return file;
    }

    private static void WriteString(BinaryWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        w.Write((uint)bytes.Length);
        w.Write(bytes);
    }
}

// Public here; its members and documentation are in the shared format file.
public sealed partial class TableData;
