using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language;
using Sigil.Language.Emit.Daemon;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Placement;

/// <summary>The shipped cache fibre and edited copies of it, compiled by the real front end and mapped by the CLI.</summary>
internal static class PlacementFibres
{
    public static string CacheText => File.ReadAllText(ShippedFibres.PathOf("cache"));

    /// <summary>The shipped cache.sigil with its table replaced by <paramref name="csv"/> and each (old, new) edit applied.</summary>
    public static FibreSpec CompileCache(string csv, params (string Old, string New)[] edits)
    {
        var text = CacheText;
        foreach (var (old, replacement) in edits)
        {
            Assert.Contains(old, text);
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        return Compile(text, csv);
    }

    public static FibreSpec Compile(string sigil, string csv)
    {
        var result = SigilCompiler.Compile(new SourceFile("cache.sigil", sigil), relative => relative == "cache.domains.csv" ? csv : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>Writes an edited copy beside its table into <paramref name="folder"/>; returns the .sigil path.</summary>
    public static string WriteCache(string folder, string csv, params (string Old, string New)[] edits)
    {
        var text = CacheText;
        foreach (var (old, replacement) in edits)
        {
            text = text.Replace(old, replacement, StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(folder, "cache.sigil"), text);
        File.WriteAllText(Path.Combine(folder, "cache.domains.csv"), csv);
        return Path.Combine(folder, "cache.sigil");
    }

    public static DaemonFibre Map(FibreSpec spec)
    {
        var daemon = DaemonFibreMapper.Map(spec, out var problems);
        Assert.True(daemon is not null, string.Join("; ", problems));
        return daemon!;
    }

    /// <summary>The shipped cache fibre as the daemon runs it.</summary>
    public static DaemonFibre Cache() => Map(ShippedFibres.Compile("cache"));

    public static string CacheObject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "Sigil.Fibres", "bin", configuration, "net10.0", "sigil", "cache", "bpf", "cache.bpf.o");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("cache.bpf.o was not built (the build compiles it with clang-14; run eng/setup.sh)");
    }
}
