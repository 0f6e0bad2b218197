using System;
using System.IO;
using Sigil.Language.Model;

namespace Sigil.Language.Tests;

/// <summary>The fibres shipped in fibres/, read from the repository.</summary>
internal static class Fibres
{
    private static readonly Lazy<string> s_directory = new(static () =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
            {
                return Path.Combine(dir.FullName, "fibres");
            }
        }

        throw new InvalidOperationException("The repository root (Sigil.sln) was not found above " + AppContext.BaseDirectory);
    });

    public static string Directory => s_directory.Value;

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name + ".sigil"));

    public static string? ReadTable(string relative)
    {
        var path = Path.Combine(Directory, relative);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public static CompilationResult Compile(string name) =>
        SigilCompiler.Compile(new SourceFile(Path.Combine(Directory, name + ".sigil"), Text(name)), ReadTable);

    public static CompilationResult CompileText(string text, string path = "test.sigil") =>
        SigilCompiler.Compile(new SourceFile(path, text), ReadTable);

    public static FibreSpec Spec(string name)
    {
        var result = Compile(name);
        Assert.True(result.Spec is not null, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Spec!;
    }
}
