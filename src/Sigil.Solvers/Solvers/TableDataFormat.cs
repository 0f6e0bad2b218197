using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

// One file, compiled into two assemblies: the solver package reads the format (Solvers/EmbeddedTables)
// and the compiler (Sigil.Language, which links this file) writes it, so that neither depends on the
// other. The type is internal to the solver assembly and public in the compiler, whose part
// (Sigil.Language/Emit/TableDataFile.cs) adds the writer.
#if SIGIL_COMPILER
namespace Sigil.Language.Emit;
#else
namespace Sigil.Runtime.Solvers;
#endif

/// <summary>
/// The data file of a fibre's large tables: what the build embeds in the consuming assembly
/// (resource <see cref="ResourceName"/>) instead of writing the numbers into the generated C#,
/// and what the generated <c>CreateProblem</c> reads back at run time. A table with more than
/// <c>TableDataFile.LiteralLimit</c> stored values goes to the file; smaller ones stay C# literals,
/// readable beside the statement that uses them.
/// </summary>
/// <remarks>
/// <para>
/// One writer and one reader of one format, in one type: the build task writes the file from the
/// compiler's <c>TableSpec</c>s (the same values <c>sigil solve</c> and the daemon use),
/// the C# emitter writes its length and SHA-256 into the generated code, and the runtime reads it
/// with <see cref="Read"/>, which refuses a file that is not exactly that one.
/// </para>
/// <para>
/// Layout, little-endian: a 48-byte header (magic <c>"SGTD"</c>, u32 version 1, u64 payload
/// length, the payload's SHA-256) and the payload: u32 table count, then per table its name and a
/// kind byte. Kind 1 (a table of rows): u32 rows, each row key, u32 columns, each column's name
/// and its rows' f64 values. Kind 2 (a two-dimensional table): u32 rows, u32 columns, u32
/// nonzeros, rows + 1 i32 row starts, the entries' i32 column positions and f64 values. A string
/// is a u32 byte count and UTF-8.
/// </para>
/// <para>
/// Hand-written on <see cref="BinaryWriter"/> and the base library's SHA-256: the file is a few
/// arrays, and a serialisation package (Google.Protobuf is served) would join the generator's
/// load set for no gain in checking.
/// </para>
/// </remarks>
static partial class TableDataFile
{
    /// <summary>The format's version.</summary>
    public const int Version = 1;

    /// <summary>The header's size in bytes.</summary>
    public const int HeaderSize = 48;

    private const uint Magic = 0x44544753; // "SGTD"
    private const byte RowsKind = 1;
    private const byte MatrixKind = 2;

    /// <summary>The manifest resource name of <paramref name="fibre"/>'s data file.</summary>
    public static string ResourceName(string fibre) => "sigil/" + fibre + ".tables";

    /// <summary>The path of the data file under the fibre's artefact folder.</summary>
    public static string RelativePath(string fibre) => "data/" + fibre + ".tables";

    /// <summary>The SHA-256 of a data file's payload as written in its header, in lower-case hex.</summary>
    public static string Digest(byte[] file)
    {
        if (file is null || file.Length < HeaderSize)
        {
            throw new ArgumentException("not a table data file", nameof(file));
        }

        return Hex(file, 16, 32);
    }

    /// <summary>
    /// Reads a data file that must be exactly the one the generated code was made with: its
    /// length is <paramref name="expectedLength"/> and its header's SHA-256 is
    /// <paramref name="expectedDigest"/>, which the payload must hash to. Then every table is
    /// read with its shape checked (counts within the file, row starts rising from 0 to the
    /// entry count, column positions in range and ascending within a row, no trailing bytes) and
    /// every number finite (an entry also nonzero).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not that one; the message says what is wrong, prefixed by <paramref name="source"/>.</exception>
    public static TableData Read(byte[] file, long expectedLength, string expectedDigest, string source)
    {
        if (file is null)
        {
            throw new ArgumentNullException(nameof(file));
        }

        if (file.Length != expectedLength)
        {
            throw WrongLength(file.Length, expectedLength, source);
        }

        if (file.Length < HeaderSize || ReadUInt32(file, 0) != Magic)
        {
            throw Bad(source, "is not a sigil table data file (no SGTD header)");
        }

        if (ReadUInt32(file, 4) != Version)
        {
            throw Bad(source, $"has format version {ReadUInt32(file, 4)}, this runtime reads version {Version}");
        }

        if (ReadUInt64(file, 8) != (ulong)(file.Length - HeaderSize))
        {
            throw Bad(source, $"says its payload is {ReadUInt64(file, 8)} bytes, the file holds {file.Length - HeaderSize}");
        }

        var stated = Hex(file, 16, 32);
        if (!string.Equals(stated, expectedDigest, StringComparison.Ordinal))
        {
            throw Bad(source, $"has SHA-256 {stated}, the generated code expects {expectedDigest} (the tables of another build)");
        }

        if (Hex(Sha256(file, HeaderSize, file.Length - HeaderSize), 0, 32) != stated)
        {
            throw Bad(source, "does not hash to the SHA-256 in its header (damaged)");
        }

        var reader = new Reader(file, HeaderSize, source);
        var tables = new Dictionary<string, TableData.Table>(StringComparer.Ordinal);
        var count = reader.Count(minimumBytesEach: 5, "tables");
        for (var t = 0; t < count; t++)
        {
            var name = reader.String("a table name");
            if (tables.ContainsKey(name))
            {
                throw Bad(source, $"holds table '{name}' twice");
            }

            tables[name] = reader.Byte() switch
            {
                RowsKind => ReadRows(reader, name),
                MatrixKind => ReadMatrix(reader, name),
                var kind => throw Bad(source, $"table '{name}' is of unknown kind {kind}"),
            };
        }

        reader.End();
        return new TableData(source, tables);
    }

    /// <summary>The error for a data file of <paramref name="actual"/> bytes where <paramref name="expected"/> were expected.</summary>
    public static InvalidDataException WrongLength(long actual, long expected, string source) =>
        Bad(source, $"is {actual} bytes, the generated code expects {expected} (cut short or replaced)");

    private static TableData.Table ReadRows(Reader reader, string name)
    {
        var rows = reader.Count(minimumBytesEach: 4, "row keys of table '" + name + "'");
        var keys = new string[rows];
        for (var r = 0; r < rows; r++)
        {
            keys[r] = reader.String("a row key of table '" + name + "'");
        }

        var columnCount = reader.Count(minimumBytesEach: 4, "columns of table '" + name + "'");
        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (var c = 0; c < columnCount; c++)
        {
            var column = reader.String("a column name of table '" + name + "'");
            columns[column] = reader.Doubles(rows, "column '" + column + "' of table '" + name + "'", nonzero: false);
        }

        return new TableData.Table(keys, columns, null, null, null, 0);
    }

    private static TableData.Table ReadMatrix(Reader reader, string name)
    {
        var what = "table '" + name + "'";
        var rows = reader.Count(minimumBytesEach: 4, "rows of " + what);
        var columnCount = reader.Count(minimumBytesEach: 0, "columns of " + what);
        var entries = reader.Count(minimumBytesEach: 12, "entries of " + what);
        var starts = reader.Ints(rows + 1, "the row starts of " + what);
        var columns = reader.Ints(entries, "the column positions of " + what);
        var values = reader.Doubles(entries, "the entries of " + what, nonzero: true);
        if (starts[0] != 0 || starts[rows] != entries)
        {
            throw Bad(reader.Source, $"the row starts of {what} run from {starts[0]} to {starts[rows]}, not 0 to {entries}");
        }

        for (var r = 0; r < rows; r++)
        {
            if (starts[r + 1] < starts[r])
            {
                throw Bad(reader.Source, $"the row starts of {what} fall at row {r}");
            }

            for (var k = starts[r]; k < starts[r + 1]; k++)
            {
                if (columns[k] < 0 || columns[k] >= columnCount || (k > starts[r] && columns[k] <= columns[k - 1]))
                {
                    throw Bad(reader.Source, $"entry {k} of {what} has column {columns[k]}: out of 0 to {columnCount - 1} or not ascending in row {r}");
                }
            }
        }

        return new TableData.Table(Array.Empty<string>(), new Dictionary<string, double[]>(), starts, columns, values, columnCount);
    }

    private static InvalidDataException Bad(string source, string problem) =>
        new(source + " " + problem + ". Rebuild the project: the build writes this file from the fibre's tables.");

    private static byte[] Sha256(byte[] bytes, int offset, int count)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(bytes, offset, count);
    }

    private static string Hex(byte[] bytes, int offset, int count)
    {
        var text = new StringBuilder(count * 2);
        for (var i = offset; i < offset + count; i++)
        {
            text.Append(bytes[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static uint ReadUInt32(byte[] b, int at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

    private static ulong ReadUInt64(byte[] b, int at) => ReadUInt32(b, at) | ((ulong)ReadUInt32(b, at + 4) << 32);

    private static void WriteUInt32(byte[] b, int at, uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            b[at + i] = (byte)(value >> (8 * i));
        }
    }

    private static void WriteUInt64(byte[] b, int at, ulong value)
    {
        WriteUInt32(b, at, (uint)value);
        WriteUInt32(b, at + 4, (uint)(value >> 32));
    }

    // A cursor over the payload that checks every count against the bytes left before it allocates.
    private sealed class Reader(byte[] file, int position, string source)
    {
        private static readonly UTF8Encoding s_strict = new(false, throwOnInvalidBytes: true);
        private int _position = position;

        public string Source { get; } = source;

        public byte Byte()
        {
            Need(1, "a table kind");
            return file[_position++];
        }

        public int Count(int minimumBytesEach, string what)
        {
            Need(4, "the number of " + what);
            var count = ReadUInt32(file, _position);
            _position += 4;
            if (count > int.MaxValue - 1 || (minimumBytesEach > 0 && count > (ulong)(file.Length - _position) / (ulong)minimumBytesEach))
            {
                throw Bad(Source, $"says it holds {count} {what}, more than its remaining {file.Length - _position} bytes can");
            }

            return (int)count;
        }

        public string String(string what)
        {
            var length = Count(minimumBytesEach: 1, "bytes in " + what);
            Need(length, what);
            try
            {
                var text = s_strict.GetString(file, _position, length);
                _position += length;
                return text.Length == 0 ? throw Bad(Source, what + " is empty") : text;
            }
            catch (DecoderFallbackException)
            {
                throw Bad(Source, what + " is not UTF-8");
            }
        }

        public int[] Ints(int count, string what)
        {
            Need(4L * count, what);
            var values = new int[count];
            Buffer.BlockCopy(file, _position, values, 0, 4 * count);
            _position += 4 * count;
            return values;
        }

        public double[] Doubles(int count, string what, bool nonzero)
        {
            Need(8L * count, what);
            var values = new double[count];
            Buffer.BlockCopy(file, _position, values, 0, 8 * count);
            _position += 8 * count;
            for (var i = 0; i < values.Length; i++)
            {
                if (double.IsNaN(values[i]) || double.IsInfinity(values[i]) || (nonzero && values[i] == 0))
                {
                    throw Bad(Source, $"value {i} of {what} is {values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, not a finite{(nonzero ? " nonzero" : string.Empty)} number");
                }
            }

            return values;
        }

        public void End()
        {
            if (_position != file.Length)
            {
                throw Bad(Source, $"has {file.Length - _position} bytes after its last table");
            }
        }

        private void Need(long bytes, string what)
        {
            if (bytes > file.Length - _position)
            {
                throw Bad(Source, $"ends inside {what}");
            }
        }
    }
}

/// <summary>The tables of a data file, read and checked by <see cref="TableDataFile.Read"/>.</summary>
sealed partial class TableData
{
    private readonly string _source;
    private readonly Dictionary<string, Table> _tables;

    internal TableData(string source, Dictionary<string, Table> tables)
    {
        _source = source;
        _tables = tables;
    }

    /// <summary>The row keys of table <paramref name="table"/>, in file order.</summary>
    public string[] Keys(string table) => Get(table).Keys;

    /// <summary>Column <paramref name="column"/> of table <paramref name="table"/>, one value per row.</summary>
    public double[] Column(string table, string column) =>
        Get(table).Columns.TryGetValue(column, out var values) ? values : throw Missing(table + "." + column);

    /// <summary>Per row of two-dimensional table <paramref name="table"/> its first entry, and the entry count last.</summary>
    public int[] RowStarts(string table) => Get(table).RowStarts ?? throw Missing(table + " (two-dimensional)");

    /// <summary>Each entry's column position in two-dimensional table <paramref name="table"/>.</summary>
    public int[] EntryColumns(string table) => Get(table).EntryColumns ?? throw Missing(table + " (two-dimensional)");

    /// <summary>Each entry's value (never 0) in two-dimensional table <paramref name="table"/>.</summary>
    public double[] EntryValues(string table) => Get(table).EntryValues ?? throw Missing(table + " (two-dimensional)");

    /// <summary>The number of columns of two-dimensional table <paramref name="table"/> (its column set's size).</summary>
    public int ColumnCount(string table) => Get(table).ColumnCount;

    /// <summary>The names of the tables held, in ordinal order.</summary>
    public IReadOnlyList<string> Names => _tables.Keys.OrderBy(static k => k, StringComparer.Ordinal).ToList();

    private Table Get(string table) => _tables.TryGetValue(table, out var t) ? t : throw Missing(table);

    private InvalidDataException Missing(string what) => new(_source + " holds no table " + what + ". Rebuild the project: the build writes this file from the fibre's tables.");

    internal sealed record Table(string[] Keys, Dictionary<string, double[]> Columns, int[]? RowStarts, int[]? EntryColumns, double[]? EntryValues, int ColumnCount);
}
