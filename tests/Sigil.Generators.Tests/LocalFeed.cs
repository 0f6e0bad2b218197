using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Sigil.Generators.Tests;

/// <summary>
/// The Sigil packages packed once into a temporary folder feed, with the version the repository
/// gives them (MinVer): the compiler, the generator, the solvers, the daemon runtime, the <c>sigil</c> tool and the
/// <c>dotnet new</c> template package; and a private NuGet cache, so nothing installed earlier
/// shadows them. Shared by the tests that consume the packages as a user would.
/// </summary>
public sealed class LocalFeed : IDisposable
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static readonly string[] PackageIds = ["Sigil.Descriptors", "Sigil.Language", "Sigil.Generators", "Sigil.Solvers", "Sigil.Runtime", "sigil", "Sigil.Templates"];

    /// <summary>The tool's implementation packages, one per runtime, that the <c>sigil</c> package points to.</summary>
    public static readonly string[] ToolRuntimePackageIds = ["sigil.linux-x64", "sigil.any"];

    public LocalFeed()
    {
        Work = Directory.CreateTempSubdirectory("sigil-packages-");
        Folder = Path.Combine(Work.FullName, "feed");
        Packages = Path.Combine(Work.FullName, "packages");
        // Sigil.Generators packs its build task and analyzer dependencies through a build, the tool
        // builds itself once per runtime it packs for (ReadyToRun for linux-x64) over the references
        // the tests' build already built, and the template package is not built with the tests; the
        // others were.
        foreach (var (project, build) in new[] { ("Sigil.Descriptors", " --no-build"), ("Sigil.Language", " --no-build"), ("Sigil.Generators", string.Empty), ("Sigil.Solvers", " --no-build"), ("Sigil.Runtime", " --no-build"), ("Sigil.Cli", " -p:BuildProjectReferences=false"), ("Sigil.Templates", string.Empty) })
        {
            Run("dotnet", $"pack src/{project} -c {Configuration} -o {Folder} -nologo{build}", GeneratorHost.RepoRoot);
        }

        var versions = Directory.GetFiles(Folder, "*.nupkg").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(PackageIds.Length + ToolRuntimePackageIds.Length, versions.Count);
        Version = versions.Select(v => Regex.Match(v!, @"\.(\d+\.\d+\.\d+.*)$").Groups[1].Value).Distinct().Single();
    }

    /// <summary>A temporary folder for the consumers; deleted at the end.</summary>
    public DirectoryInfo Work { get; }

    /// <summary>The folder feed holding the packed packages.</summary>
    public string Folder { get; }

    /// <summary>The NuGet packages folder the consumers restore into (NUGET_PACKAGES).</summary>
    public string Packages { get; }

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; }

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Work.FullName, name)).FullName;

    /// <summary>The environment of a consumer: the private NuGet cache, and any more variables.</summary>
    public (string Name, string Value)[] Environment(params (string Name, string Value)[] more) =>
        [("NUGET_PACKAGES", Packages), .. more];

    /// <summary>A nuget.config that takes Sigil.* from the feed and everything else from the usual sources.</summary>
    public void WriteNuGetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="local" value="{Folder}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local">
              <package pattern="Sigil.*" />
              <package pattern="sigil" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """);

    /// <summary>Runs a command to completion; fails the test on a non-zero exit, with its output.</summary>
    public static string Run(string file, string arguments, string directory, params (string Name, string Value)[] environment) =>
        Run(file, arguments, directory, 0, environment);

    /// <summary>Runs a command to completion and expects <paramref name="expectedExit"/>; returns stdout and stderr (stdout alone for a failing exit).</summary>
    public static string Run(string file, string arguments, string directory, int expectedExit, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(10)), $"{file} {arguments} timed out");
        Assert.True(process.ExitCode == expectedExit, $"{file} {arguments} exited {process.ExitCode}:\n{stdout.Result}{stderr.Result}");
        return expectedExit == 0 ? stdout.Result + stderr.Result : stdout.Result;
    }

    public void Dispose() => Work.Delete(recursive: true);
}
