using System;
using System.IO;

namespace Sigil.Bpf.Tests;

/// <summary>Paths in the repository and the test's own output.</summary>
public static class Repository
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Sigil.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository root (the folder of Sigil.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>The test project's source folder.</summary>
    public static string TestSource => Path.Combine(Root, "tests", "Sigil.Bpf.Tests");

    /// <summary>A scratch folder under the test output, created on demand.</summary>
    public static string Scratch(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "scratch", name);
        Directory.CreateDirectory(path);
        return path;
    }
}
