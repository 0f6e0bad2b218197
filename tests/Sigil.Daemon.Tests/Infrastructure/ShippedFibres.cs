using Sigil.Language;
using Sigil.Language.Model;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>The fibres in fibres/, compiled by the real front end.</summary>
internal static class ShippedFibres
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fibres");
                if (File.Exists(Path.Combine(candidate, "dwell.sigil")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("fibres/ not found above the test folder");
        }
    }

    public static string PathOf(string name) => Path.Combine(Folder, name + ".sigil");

    public static FibreSpec Compile(string name)
    {
        var path = PathOf(name);
        var result = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path)), relative =>
        {
            var table = Path.Combine(Folder, relative);
            return File.Exists(table) ? File.ReadAllText(table) : null;
        });
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }
}
