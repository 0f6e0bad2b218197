using System;
using System.IO;

namespace Sigil.LanguageServer.Tests;

/// <summary>Paths in the repository the tests read.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(static () =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sigil.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Sigil.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    public static string Fibres => Path.Combine(Root, "fibres");

    public static string Docs => Path.Combine(Root, "docs");

    public static string SigilDll => Sigil.Tests.Shared.SigilCommand.Dll;

    public static string[] ShippedFibres() => Directory.GetFiles(Fibres, "*.sigil");
}
