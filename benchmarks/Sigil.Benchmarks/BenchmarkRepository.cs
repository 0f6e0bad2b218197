using System;
using System.IO;

namespace Sigil.Benchmarks;

/// <summary>The repository the benchmarks run from: its fibres, baselines and build outputs.</summary>
internal static class BenchmarkRepository
{
    private static readonly Lazy<string> s_root = new(Find);

    /// <summary>The folder holding Sigil.sln, above the current folder or above the benchmark's own.</summary>
    public static string Root => s_root.Value;

    private static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository (no Sigil.sln found above it)");
    }
}
