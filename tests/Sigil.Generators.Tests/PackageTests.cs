using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Sigil.Generators.Tests;

/// <summary>
/// The packed generator works outside the solution: a fresh project consumes Sigil.Generators and
/// Sigil.Runtime from a local folder feed, and `dotnet build` turns its .sigil file into C# (and its
/// artefacts into files under obj/sigil/).
/// </summary>
public sealed class PackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public void Pack_ConsumerProjectFromLocalFeed_GeneratesAndRunsFibre()
    {
        var work = Directory.CreateTempSubdirectory("sigil-consumer-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var project in new[] { "src/Sigil.Generators/Sigil.Generators.csproj", "src/Sigil.Language/Sigil.Language.csproj", "src/Sigil.Runtime/Sigil.Runtime.csproj" })
            {
                Run("dotnet", $"pack {Path.Combine(GeneratorHost.RepoRoot, project)} -c {Configuration} -o {feed} -p:Version={version} -nologo", GeneratorHost.RepoRoot);
            }

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
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
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <RootNamespace>App</RootNamespace>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Sigil.Generators" Version="{version}" />
                    <PackageReference Include="Sigil.Runtime" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.Copy(Path.Combine(GeneratorHost.FibresFolder, "atp.sigil"), Path.Combine(app, "atp.sigil"));
            File.Copy(Path.Combine(GeneratorHost.FibresFolder, "atp.edits.csv"), Path.Combine(app, "atp.edits.csv"));
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                var problem = App.AtpFibre.CreateProblem();
                var result = App.AtpFibre.Solve(problem);
                System.Console.WriteLine($"fibre={App.AtpFibre.Name} variables={problem.Coupling.ColumnCount} rows={problem.Coupling.RowCount} budget={problem.Capacity[0]} converged={result.Converged}");
                foreach (var file in System.IO.Directory.GetFiles("obj/sigil", "*", System.IO.SearchOption.AllDirectories))
                {
                    System.Console.WriteLine("artefact " + file.Replace('\\', '/'));
                }
                """);

            var packages = Path.Combine(work.FullName, "packages");
            var output = Run("dotnet", "run -nologo", app, ("NUGET_PACKAGES", packages));

            Assert.Contains("fibre=atp variables=8 rows=1 budget=8.39 converged=True", output, StringComparison.Ordinal);
            // The artefact task ran in the consumer's build: every backend's files for the fibre.
            Assert.Contains("artefact obj/sigil/atp/", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Run(string file, string arguments, string directory, params (string Name, string Value)[] environment)
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
}
