using System;
using System.IO;
using System.Linq;

namespace Sigil.Generators.Tests;

/// <summary>
/// The packed packages work outside the solution: a fresh project consumes Sigil.Generators and
/// Sigil.Runtime from a local folder feed, and `dotnet build` turns its .sigil file into C# (and its
/// artefacts into files under obj/sigil/); the `dotnet new sigil-fibre` template makes such a project.
/// </summary>
public sealed class PackageTests : IClassFixture<LocalFeed>
{
    private readonly LocalFeed _feed;

    public PackageTests(LocalFeed feed) => _feed = feed;

    [Fact]
    public void Pack_ConsumerProjectFromLocalFeed_GeneratesAndRunsFibre()
    {
        var app = Directory.CreateDirectory(Path.Combine(_feed.Work.FullName, "app")).FullName;
        _feed.WriteNuGetConfig(app);
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
                <PackageReference Include="Sigil.Generators" Version="{_feed.Version}" />
                <PackageReference Include="Sigil.Runtime" Version="{_feed.Version}" />
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

        var output = LocalFeed.Run("dotnet", "run -nologo", app, ("NUGET_PACKAGES", _feed.Packages));

        Assert.Contains("fibre=atp variables=8 rows=1 budget=8.39 converged=True", output, StringComparison.Ordinal);
        // The artefact task ran in the consumer's build: every backend's files for the fibre.
        Assert.Contains("artefact obj/sigil/atp/", output, StringComparison.Ordinal);
    }

    // As a new user starts: install the template package into a fresh CLI home, create a project,
    // build and run it. Its README's statements about files are checked against the result.
    [Fact]
    public void Template_SigilFibre_CreatesAProjectThatSolvesAndPrintsPrices()
    {
        var home = Directory.CreateDirectory(Path.Combine(_feed.Work.FullName, "home")).FullName;
        var environment = new[] { ("DOTNET_CLI_HOME", home), ("NUGET_PACKAGES", _feed.Packages) };
        var installed = LocalFeed.Run("dotnet", $"new install {Path.Combine(_feed.Feed, "Sigil.Templates." + _feed.Version + ".nupkg")}", _feed.Work.FullName, environment);
        Assert.Contains("sigil-fibre", installed, StringComparison.Ordinal);

        var project = Path.Combine(_feed.Work.FullName, "MyFibres");
        LocalFeed.Run("dotnet", $"new sigil-fibre -n MyFibres -o {project}", _feed.Work.FullName, environment);
        Assert.Equal(
            new[] { "MyFibres.csproj", "Program.cs", "README.md", "cache.domains.csv", "cache.sigil" },
            Directory.GetFiles(project).Select(Path.GetFileName).OrderBy(static f => f, StringComparer.Ordinal));
        Assert.Contains($"Version=\"{_feed.Version}\"", File.ReadAllText(Path.Combine(project, "MyFibres.csproj")), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(GeneratorHost.FibresFolder, "cache.sigil")), File.ReadAllText(Path.Combine(project, "cache.sigil")));

        _feed.WriteNuGetConfig(project);
        var output = LocalFeed.Run("dotnet", "run -nologo", project, environment);
        Assert.Contains("fibre cache: 4 threads over 2 cache domains, converged", output, StringComparison.Ordinal);
        Assert.Matches(@"price @llc\[node0\] = [0-9.eE+-]+ \(load [0-9.eE+-]+ of 32 MiB\)", output);
        Assert.Matches(@"price @cpu\[node1\] = [0-9.eE+-]+ \(load [0-9.eE+-]+ of 1 cpu\)", output);

        // The README names the generated class and the artefacts' places; they are there.
        var readme = File.ReadAllText(Path.Combine(project, "README.md"));
        Assert.Contains("`MyFibres.CacheFibre`", readme, StringComparison.Ordinal);
        foreach (var path in new[] { "obj/sigil/cache/coq/cache.v", "obj/sigil/cache/bpf/", "obj/sigil/cache/k8s/" })
        {
            Assert.Contains("`" + path + "`", readme, StringComparison.Ordinal);
            Assert.True(path.EndsWith('/') ? Directory.EnumerateFiles(Path.Combine(project, path)).Any() : File.Exists(Path.Combine(project, path)), path);
        }
    }
}
