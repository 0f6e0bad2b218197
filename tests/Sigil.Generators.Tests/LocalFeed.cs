using System;
using System.Diagnostics;
using System.IO;

namespace Sigil.Generators.Tests;

/// <summary>
/// The Sigil packages packed once into a folder feed, with a version no other run uses: the
/// generator, the compiler, the runtime and the <c>dotnet new</c> template package. Shared by the
/// tests that consume them as a user would.
/// </summary>
public sealed class LocalFeed : IDisposable
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly string[] s_projects =
    {
        "src/Sigil.Generators/Sigil.Generators.csproj",
        "src/Sigil.Language/Sigil.Language.csproj",
        "src/Sigil.Runtime/Sigil.Runtime.csproj",
        "src/Sigil.Templates/Sigil.Templates.csproj",
    };

    public LocalFeed()
    {
        Work = Directory.CreateTempSubdirectory("sigil-consumer-");
        Feed = Path.Combine(Work.FullName, "feed");
        Packages = Path.Combine(Work.FullName, "packages");
        Version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var project in s_projects)
        {
            Run("dotnet", $"pack {Path.Combine(GeneratorHost.RepoRoot, project)} -c {Configuration} -o {Feed} -p:Version={Version} -nologo", GeneratorHost.RepoRoot);
        }
    }

    /// <summary>A temporary folder for the consumers; deleted at the end.</summary>
    public DirectoryInfo Work { get; }

    /// <summary>The folder feed holding the packed packages.</summary>
    public string Feed { get; }

    /// <summary>The NuGet packages folder the consumers restore into (NUGET_PACKAGES).</summary>
    public string Packages { get; }

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; }

    /// <summary>A nuget.config that takes Sigil.* from the feed and everything else from the usual sources.</summary>
    public void WriteNuGetConfig(string folder) => File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="local" value="{Feed}" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local">
              <package pattern="Sigil.*" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """);

    /// <summary>Runs a command to completion; fails the test on a non-zero exit, with its output.</summary>
    public static string Run(string file, string arguments, string directory, params (string Name, string Value)[] environment)
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
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{file} {arguments} timed out");
        var text = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}:\n{text}");
        return text;
    }

    public void Dispose() => Work.Delete(recursive: true);
}
