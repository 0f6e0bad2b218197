using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Cli;

/// <summary>Reads and compiles a .sigil file, with its tables read from the fibre's folder.</summary>
internal static class FibreSource
{
    /// <summary>Compiles <paramref name="path"/>; writes diagnostics to <paramref name="errors"/>; throws a <see cref="CliException"/> on errors.</summary>
    public static FibreSpec Compile(string path, TextWriter errors) => Compile(path, errors, out _);

    /// <summary>As <see cref="Compile(string, TextWriter)"/>; <paramref name="files"/> receives the fibre's source and tables (see <see cref="CompileWithDiagnostics(string, out IReadOnlyList{KeyValuePair{string, string}})"/>).</summary>
    public static FibreSpec Compile(string path, TextWriter errors, out IReadOnlyList<KeyValuePair<string, string>> files) =>
        Compile(path, errors, null, out files);

    /// <summary>
    /// As <see cref="Compile(string, TextWriter)"/>, with some tables read from other files:
    /// <paramref name="tables"/> maps a table's path as the fibre writes it to the file that holds its
    /// data for this run (new values at run time, the fibre unchanged).
    /// </summary>
    public static FibreSpec Compile(string path, TextWriter errors, IReadOnlyDictionary<string, string>? tables, out IReadOnlyList<KeyValuePair<string, string>> files)
    {
        var result = CompileWithDiagnostics(path, tables, out files);
        foreach (var diagnostic in result.Diagnostics)
        {
            errors.WriteLine(diagnostic.ToString());
        }

        if (result.Spec is null)
        {
            var count = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            throw new CliException(CliExitCodes.BadInput, $"{path}: {count} error(s); nothing emitted");
        }

        return result.Spec;
    }

    /// <summary>Compiles <paramref name="path"/> and returns every diagnostic.</summary>
    public static CompilationResult CompileWithDiagnostics(string path) => CompileWithDiagnostics(path, null, out _);

    /// <summary>
    /// Compiles <paramref name="path"/>; <paramref name="files"/> receives the fibre's source and
    /// every table it read, by path relative to the fibre's folder (the Kubernetes ConfigMap's files).
    /// </summary>
    public static CompilationResult CompileWithDiagnostics(string path, out IReadOnlyList<KeyValuePair<string, string>> files) =>
        CompileWithDiagnostics(path, null, out files);

    private static CompilationResult CompileWithDiagnostics(string path, IReadOnlyDictionary<string, string>? tables, out IReadOnlyList<KeyValuePair<string, string>> files)
    {
        // Regular files only, size-capped before parsing; tables only inside the fibre's folder (Sigil.Build/FibreFiles).
        var text = Sigil.Build.FibreFiles.ReadFibre(path, out var problem)
            ?? throw new CliException(CliExitCodes.BadInput, $"{path}: error {DiagnosticDescriptors.FileUnreadable.Id}: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticDescriptors.FileUnreadable.MessageFormat, path, problem));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var read = new Dictionary<string, string>(StringComparer.Ordinal) { [Path.GetFileName(path)] = text };
        var result = SigilCompiler.Compile(new SourceFile(path, text), relative =>
        {
            // A replacement is read under the same rules, from its own folder.
            var table = tables is not null && tables.TryGetValue(relative, out var replacement)
                ? Sigil.Build.FibreFiles.ReadTable(Path.GetDirectoryName(Path.GetFullPath(replacement)) ?? ".", Path.GetFileName(replacement))
                : Sigil.Build.FibreFiles.ReadTable(folder, relative);
            if (table is not null)
            {
                read[relative] = table;
            }

            return table;
        });
        files = read.ToList();
        return result;
    }

    /// <summary>Finds <c>fibres/&lt;name&gt;.sigil</c> above the current directory or the tool's folder.</summary>
    public static string? FindShipped(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fibres", name + ".sigil");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
