using System;
using System.IO;
using Sigil.Language;
using Sigil.Language.Model;

namespace Sigil.Bpf.Tests.Fixtures;

/// <summary>
/// The shipped fibres as the tests see them: compiled from fibres/*.sigil by SigilCompiler when
/// the front end returns a spec, else the hand-built <see cref="FibreFixtures"/>.
/// </summary>
public static class ShippedFibres
{
    private static readonly Lazy<FibreSpec> s_dwell = new(() => Compile("dwell", FibreFixtures.Dwell));
    private static readonly Lazy<FibreSpec> s_cache = new(() => Compile("cache", FibreFixtures.Cache));

    public static FibreSpec Dwell => s_dwell.Value;

    public static FibreSpec Cache => s_cache.Value;

    /// <summary>fibres/ransomware.sigil, from the compiler only (it has no hand-built fixture).</summary>
    public static FibreSpec Ransomware => s_ransomware.Value;

    private static readonly Lazy<FibreSpec> s_ransomware = new(static () =>
    {
        var path = Path.Combine(Repository.Root, "fibres", "ransomware.sigil");
        return SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path))).Spec
            ?? throw new InvalidOperationException("fibres/ransomware.sigil does not compile");
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> s_fromCompiler = new();

    /// <summary>True when the spec of <paramref name="fibre"/> comes from the real compiler.</summary>
    public static bool FromCompiler(string fibre)
    {
        _ = fibre == "dwell" ? Dwell : Cache;
        return s_fromCompiler.TryGetValue(fibre, out var compiled) && compiled;
    }

    private static FibreSpec Compile(string name, FibreSpec fixture)
    {
        var path = Path.Combine(Repository.Root, "fibres", name + ".sigil");
        var folder = Path.GetDirectoryName(path)!;
        var result = SigilCompiler.Compile(
            new SourceFile(path, File.ReadAllText(path)),
            table => File.Exists(Path.Combine(folder, table)) ? File.ReadAllText(Path.Combine(folder, table)) : null);
        s_fromCompiler[name] = result.Spec is not null;
        return result.Spec ?? fixture;
    }
}
