using System;
using System.IO;
using System.Reflection;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Reads a fibre's table data file (<see cref="TableDataFile"/>) from the manifest resource the
/// build embedded in the fibre's assembly. Generated <c>CreateProblem</c> methods call it for
/// tables too large to be C# literals.
/// </summary>
public static class EmbeddedTables
{
    /// <summary>
    /// The tables of resource <paramref name="resource"/> of <paramref name="assembly"/>, which must
    /// be <paramref name="length"/> bytes with SHA-256 <paramref name="sha256"/> (what the generated
    /// code was made with) and well formed.
    /// </summary>
    /// <exception cref="InvalidDataException">The resource is missing, or is not that file; the message says which and why.</exception>
    public static EmbeddedTableData Load(Assembly assembly, string resource, long length, string sha256)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrEmpty(resource);
        var source = $"the table data \"{resource}\" of assembly {assembly.GetName().Name}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"{source} is missing: the build step SigilWriteArtefacts embeds it (was it switched off, or the assembly built without the Sigil targets?).");

        if (stream.Length != length)
        {
            throw TableDataFile.WrongLength(stream.Length, length, source);
        }

        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return new EmbeddedTableData(TableDataFile.Read(bytes, length, sha256, source));
    }
}

/// <summary>
/// The tables <see cref="EmbeddedTables.Load"/> read, as generated code uses them: plain arrays, by
/// table (and column) name. Generated code names only Sigil.Runtime types.
/// </summary>
public sealed class EmbeddedTableData
{
    private readonly TableData _tables;

    internal EmbeddedTableData(TableData tables) => _tables = tables;

    /// <summary>The row keys of table <paramref name="table"/>, in file order.</summary>
    public string[] Keys(string table) => _tables.Keys(table);

    /// <summary>Column <paramref name="column"/> of table <paramref name="table"/>, one value per row.</summary>
    public double[] Column(string table, string column) => _tables.Column(table, column);

    /// <summary>Per row of two-dimensional table <paramref name="table"/> its first entry, and the entry count last.</summary>
    public int[] RowStarts(string table) => _tables.RowStarts(table);

    /// <summary>Each entry's column position in two-dimensional table <paramref name="table"/>.</summary>
    public int[] EntryColumns(string table) => _tables.EntryColumns(table);

    /// <summary>Each entry's value (never 0) in two-dimensional table <paramref name="table"/>.</summary>
    public double[] EntryValues(string table) => _tables.EntryValues(table);
}
