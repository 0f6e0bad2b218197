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

    /// <summary>True when the specs come from the real compiler.</summary>
    public static bool FromCompiler { get; private set; }

    private static FibreSpec Compile(string name, FibreSpec fixture)
    {
        var path = Path.Combine(Repository.Root, "fibres", name + ".sigil");
        var folder = Path.GetDirectoryName(path)!;
        var result = SigilCompiler.Compile(
            new SourceFile(path, File.ReadAllText(path)),
            table => File.Exists(Path.Combine(folder, table)) ? File.ReadAllText(Path.Combine(folder, table)) : null);
        if (result.Spec is null)
        {
            return fixture;
        }

        FromCompiler = true;
        return result.Spec;
    }
}
