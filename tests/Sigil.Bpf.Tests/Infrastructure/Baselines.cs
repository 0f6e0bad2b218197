using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>
/// Golden files: the emitter's output is compared with files in the test project;
/// <c>dotnet test -p:UpdateBaselines=true</c> rewrites them (and removes stale ones) instead.
/// </summary>
public static class Baselines
{
    public static bool Update { get; } = typeof(Baselines).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Any(a => a.Key == "UpdateBaselines" && string.Equals(a.Value, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Compares (or updates) one file at <paramref name="path"/>.</summary>
    public static void MatchFile(string path, string actual)
    {
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no baseline {path}; run dotnet test -p:UpdateBaselines=true");
        var expected = File.ReadAllText(path);
        if (expected != actual)
        {
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            var line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"{path} differs from the emitter's output at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\nrun dotnet test -p:UpdateBaselines=true if the change is intended");
        }
    }

    /// <summary>Compares (or updates) the folder Baselines/<paramref name="test"/>: one <c>&lt;name&gt;.txt</c> per file, no others.</summary>
    public static void MatchFolder(string test, IReadOnlyDictionary<string, string> files)
    {
        var folder = Path.Combine(Repository.TestSource, "Baselines", test);
        var expectedNames = files.Keys.Select(k => k + ".txt").OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (Update && Directory.Exists(folder))
        {
            foreach (var stale in Directory.GetFiles(folder).Where(f => !expectedNames.Contains(Path.GetFileName(f))))
            {
                File.Delete(stale);
            }
        }

        foreach (var (name, content) in files)
        {
            MatchFile(Path.Combine(folder, name + ".txt"), content);
        }

        var present = Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedNames, present);
    }
}
