using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sigil.Generators.Tests;

/// <summary>
/// The packages, used as a user outside the repository uses them (<see cref="LocalFeed"/>): a
/// fresh project restores from the feed and builds every native artefact, the tool installs from
/// it, and the <c>dotnet new sigil-fibre</c> template makes a project that solves and prints prices.
/// </summary>
public sealed class PackageTests : IClassFixture<LocalFeed>
{
    private const string Configuration = LocalFeed.Configuration;

    private readonly LocalFeed _feed;

    public PackageTests(LocalFeed feed) => _feed = feed;

    [Fact]
    public void Pack_EveryPackage_HasRepositoryVersionReadmeAndLicence()
    {
        // MinVer: no release tag yet, so 0.1.0-alpha.0.<height>, the height counted along first parents from the root.
        var height = int.Parse(Run("git", "rev-list --count --first-parent HEAD", GeneratorHost.RepoRoot).Trim(), System.Globalization.CultureInfo.InvariantCulture) - 1;
        Assert.Equal($"0.1.0-alpha.0.{height}", _feed.Version);
        foreach (var id in LocalFeed.PackageIds.Concat(LocalFeed.ToolRuntimePackageIds))
        {
            using var package = ZipFile.OpenRead(Path.Combine(_feed.Folder, $"{id}.{_feed.Version}.nupkg"));
            var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
            Assert.Contains(package.Entries, e => e.FullName == "README.md");
        }
    }

    [Fact]
    public void Pack_Generator_BundlesScribanBesideTheGeneratorAndTheTask_AndNoHandlebars()
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed.Folder, $"Sigil.Generators.{_feed.Version}.nupkg"));
        var names = package.Entries.Select(static e => e.FullName).ToList();
        foreach (var folder in new[] { "analyzers/dotnet/cs/", "tasks/netstandard2.0/" })
        {
            Assert.Contains(folder + "Scriban.Signed.dll", names);
            Assert.Contains(folder + "Antlr4.Runtime.Standard.dll", names);
            Assert.Contains(folder + "Sigil.Descriptors.dll", names);
            Assert.DoesNotContain(names, n => n.StartsWith(folder + "Handlebars", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Pack_ConsumerProjectFromFeed_BuildsEveryArtefact_AndSaysWhatIsMissingWithoutClang()
    {
        var app = NewConsumer("app", "App", "Sigil.Generators", "Sigil.Solvers");
        foreach (var file in new[] { "atp.sigil", "atp.edits.csv", "dwell.sigil", "ecoli_core/reactions.csv", "ecoli_core/metabolites.csv", "ecoli_core/stoichiometry.csv" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(app, file))!);
            File.Copy(Path.Combine(GeneratorHost.FibresFolder, file), Path.Combine(app, file));
        }

        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            var problem = App.AtpFibre.CreateProblem();
            var result = App.AtpFibre.Solve(problem);
            System.Console.WriteLine($"fibre={App.AtpFibre.Name} variables={problem.Coupling.ColumnCount} rows={problem.Coupling.RowCount} converged={result.Converged}");
            System.Console.WriteLine($"fibre={App.DwellFibre.Name}");
            """);

        // With every tool: the C# runs, and bin/ holds what src/Sigil.Fibres's bin/ holds for the dwell fibre.
        Run("dotnet", $"build -c {Configuration} -nologo", app, _feed.Environment());
        var bin = Path.Combine(app, "bin", Configuration, "net10.0");
        var output = Run("dotnet", "App.dll", bin);
        // E. coli core's 95 reactions and the 5 edits; its 72 mass balances, ATP maintenance and 5 secretion links.
        Assert.Contains("fibre=atp variables=100 rows=78 converged=True", output, StringComparison.Ordinal);
        Assert.Contains("fibre=dwell", output, StringComparison.Ordinal);
        var built = new[]
        {
            "dwell/bpf/dwell.bpf.o",
            "dwell/llvm/SigilDwell.so",
            "dwell/llvm/libsigil_dwell_hook.so",
            "dwell/llvm/libsigil_dwell_hook.a",
            "dwell/coq/dwell.vo",
            "atp/coq/atp.vo",
            "dwell/k8s/kustomization.yaml",
        };
        foreach (var file in built)
        {
            Assert.True(File.Exists(Path.Combine(bin, "sigil", file)), $"{file} was not built from the packages");
        }

        // The compiler ran at build time only: the program carries neither it nor the daemon.
        AssertSolverOnly(app, bin);

        // Without clang on PATH: each native step says what is missing, and the C# still builds.
        Directory.Delete(Path.Combine(app, "bin"), recursive: true);
        Directory.Delete(Path.Combine(app, "obj", "sigil"), recursive: true);
        var noClang = Run("dotnet", $"build -c {Configuration} -nologo", app, _feed.Environment(("PATH", PathWithout("clang"))));
        Assert.Contains("sigil: eBPF objects not built, missing: clang-14", noClang, StringComparison.Ordinal);
        Assert.Contains("sigil: LLVM 14 was not found (missing: clang-14, clang++-14)", noClang, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(bin, "App.dll")));
        Assert.False(File.Exists(Path.Combine(bin, "sigil", "dwell/bpf/dwell.bpf.o")));
        Assert.Contains("fibre=dwell", Run("dotnet", "App.dll", bin), StringComparison.Ordinal);
    }

    // The layers as packages: the descriptor package on System.Collections.Immutable alone; the solver package
    // on it alone (the enums a fibre's descriptors name; no framework reference, no compiler); the
    // daemon package on those two and prometheus-net, never on the compiler (it reads what the build
    // wrote, <fibre>.bpf.json and <fibre>.daemon.json, into the descriptor types), the proof
    // report's or the pass's tooling.
    [Fact]
    public void Pack_SolverAndDaemonPackages_DependDownwardOnly()
    {
        static List<string> Dependencies(string nuspec) =>
            Regex.Matches(nuspec, "<dependency id=\"([^\"]+)\"").Select(static m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["System.Collections.Immutable"], Dependencies(Nuspec("Sigil.Descriptors")));

        var solvers = Nuspec("Sigil.Solvers");
        Assert.Equal(["Sigil.Descriptors"], Dependencies(solvers));
        Assert.DoesNotContain("<frameworkReference", solvers, StringComparison.Ordinal);

        var daemon = Nuspec("Sigil.Runtime");
        var dependencies = Dependencies(daemon);
        Assert.Equal(["Sigil.Descriptors", "Sigil.Solvers", "prometheus-net"], dependencies);
        Assert.Contains("<frameworkReference name=\"Microsoft.AspNetCore.App\"", daemon, StringComparison.Ordinal);

        Assert.All(AssemblyReferences("Sigil.Solvers"), static r => Assert.True(r.StartsWith("System.", StringComparison.Ordinal) || r == "Sigil.Descriptors", r));
        var daemonReferences = AssemblyReferences("Sigil.Runtime");
        Assert.Contains("Sigil.Solvers", daemonReferences);
        Assert.Contains("Sigil.Descriptors", daemonReferences);
        Assert.DoesNotContain(daemonReferences, static r => r.StartsWith("Antlr4", StringComparison.Ordinal) || r.StartsWith("Scriban", StringComparison.Ordinal) || r == "Handlebars" || r == "ELFSharp" || r == "Sigil.Reports" || r == "Sigil.Language");
    }

    // The Show point of the package split: a console program that only wants a solver references
    // Sigil.Solvers alone; it restores no ASP.NET Core, no ANTLR, no template engine, no compiler, and solves.
    [Fact]
    public void Pack_SolverOnlyConsumer_RestoresNoAspNetCoreAntlrOrHandlebars_AndSolves()
    {
        var app = NewConsumer("solver-only", "Solve", "Sigil.Solvers");

        // The example of src/Sigil.Solvers/Solvers/README.md: two agents share a link of 10, agent 1 also a link of 3.
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Sigil.Runtime.Solvers;
            var a = CouplingMatrix.FromTriplets(rowCount: 2, columnCount: 2, rows: [0, 0, 1], columns: [0, 1, 1], values: [1.0, 1.0, 1.0]);
            var agents = new LogAgents(weight: [1.0, 2.0], offset: [1e-3, 1e-3], lower: [0.0, 0.0], upper: [100.0, 100.0]);
            var problem = new NumProblem<LogAgents>(a, [10.0, 3.0], [RowSense.LessOrEqual, RowSense.LessOrEqual], agents);
            var r = new DualSolver<LogAgents>(problem).Solve();
            System.Console.WriteLine(System.FormattableString.Invariant($"status={r.Status} x0={r.X[0]:F2} x1={r.X[1]:F2}"));
            """);
        Run("dotnet", $"build -c {Configuration} -nologo", app, _feed.Environment());
        var bin = Path.Combine(app, "bin", Configuration, "net10.0");
        // Link 1 binds agent 1 at 3; agent 0 takes the rest of link 0, 10 - 3.
        Assert.Contains("status=Solved x0=7.00 x1=3.00", Run("dotnet", "Solve.dll", bin), StringComparison.Ordinal);
        AssertSolverOnly(app, bin);
    }

    // A console project <name>.csproj in a new folder with a nuget.config for the feed, referencing the packages given.
    private string NewConsumer(string folder, string name, params string[] packages)
    {
        var app = _feed.NewFolder(folder);
        _feed.WriteNuGetConfig(app);
        var references = string.Concat(packages.Select(p => $"""<PackageReference Include="{p}" Version="{_feed.Version}" />"""));
        File.WriteAllText(Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>{name}</RootNamespace>
              </PropertyGroup>
              <ItemGroup>{references}</ItemGroup>
            </Project>
            """);
        return app;
    }

    // What restore resolved (obj/project.assets.json) and what the build put beside the program: the
    // solver package and the .NET runtime, nothing of ASP.NET Core, ANTLR, a template engine, the compiler or the daemon.
    private static void AssertSolverOnly(string project, string bin)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(static l => l.Name.Split('/')[0]).ToList();
        Assert.Contains("Sigil.Solvers", libraries);
        foreach (var forbidden in new[] { "Antlr4", "Handlebars", "Scriban", "Sigil.Language", "Sigil.Runtime", "ELFSharp", "Microsoft.AspNetCore" })
        {
            Assert.DoesNotContain(libraries, l => l.StartsWith(forbidden, StringComparison.OrdinalIgnoreCase));
        }

        foreach (var framework in assets.RootElement.GetProperty("project").GetProperty("frameworks").EnumerateObject())
        {
            var references = framework.Value.TryGetProperty("frameworkReferences", out var f) ? f.EnumerateObject().Select(static r => r.Name).ToList() : [];
            Assert.DoesNotContain("Microsoft.AspNetCore.App", references);
        }

        var runtimeConfig = File.ReadAllText(Directory.GetFiles(bin, "*.runtimeconfig.json").Single());
        Assert.Contains("Microsoft.NETCore.App", runtimeConfig, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.App", runtimeConfig, StringComparison.Ordinal);
        var assemblies = Directory.GetFiles(bin, "*.dll").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Contains("Sigil.Solvers", assemblies);
        Assert.DoesNotContain(assemblies, a => a!.StartsWith("Antlr4", StringComparison.Ordinal) || a!.StartsWith("Scriban", StringComparison.Ordinal) || a is "Handlebars" or "Sigil.Language" or "Sigil.Runtime" or "ELFSharp");
    }

    private string Nuspec(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed.Folder, $"{id}.{_feed.Version}.nupkg"));
        return new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
    }

    // The names of the assemblies the package's net10.0 assembly references.
    private List<string> AssemblyReferences(string id)
    {
        using var package = ZipFile.OpenRead(Path.Combine(_feed.Folder, $"{id}.{_feed.Version}.nupkg"));
        using var stream = new MemoryStream();
        package.GetEntry($"lib/net10.0/{id}.dll")!.Open().CopyTo(stream);
        stream.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    [Fact]
    public void Tool_InstalledFromFeed_ChecksWithJsonAndPlainOutput()
    {
        var tools = _feed.NewFolder("tools");
        Run("dotnet", $"tool install --tool-path {tools} --add-source {_feed.Folder} sigil --version {_feed.Version}", tools, _feed.Environment());
        var sigil = Path.Combine(tools, "sigil");

        // This machine is linux-x64: the tool installed is the ReadyToRun build, precompiled in every
        // assembly the check path loads, so that "sigil check" does not spend its start-up in the JIT.
        var implementation = Directory.GetDirectories(Path.Combine(tools, ".store", "sigil", _feed.Version, "sigil.linux-x64"), "linux-x64", SearchOption.AllDirectories).Single();
        foreach (var assembly in new[] { "sigil.dll", "Sigil.Language.dll", "Antlr4.Runtime.Standard.dll", "System.CommandLine.dll" })
        {
            Assert.True(IsReadyToRun(Path.Combine(implementation, assembly)), $"{assembly} in the installed tool is not ReadyToRun code");
        }

        Assert.False(IsReadyToRun(Path.Combine(GeneratorHost.RepoRoot, "src", "Sigil.Cli", "bin", Configuration, "net10.0", "sigil.dll")), "the build output is expected to be IL only, which makes the check above meaningful");

        using (var good = JsonDocument.Parse(Run(sigil, "check fibres/dwell.sigil --format json", GeneratorHost.RepoRoot)))
        {
            Assert.True(good.RootElement.GetProperty("compiles").GetBoolean());
            Assert.Equal("dwell", good.RootElement.GetProperty("fibre").GetString());
            Assert.Equal(0, good.RootElement.GetProperty("diagnostics").GetArrayLength());
        }

        // A fibre with an error: exit 1, and the diagnostic with its one-based position and its help inline.
        var bad = Path.Combine(_feed.NewFolder("bad"), "bad.sigil");
        File.WriteAllText(bad, File.ReadAllText(Path.Combine(GeneratorHost.FibresFolder, "dwell.sigil")).Replace("@dwell[task] : s = budget;", "@dwell[task] : s = budgett;", StringComparison.Ordinal));
        using (var report = JsonDocument.Parse(Run(sigil, $"check {bad} --format json", GeneratorHost.RepoRoot, expectedExit: 1)))
        {
            Assert.False(report.RootElement.GetProperty("compiles").GetBoolean());
            var diagnostic = report.RootElement.GetProperty("diagnostics").EnumerateArray().Single();
            Assert.Equal("SIG1003", diagnostic.GetProperty("id").GetString());
            Assert.True(diagnostic.GetProperty("line").GetInt32() > 1);
            Assert.StartsWith("**Undefined name.**", diagnostic.GetProperty("help").GetString(), StringComparison.Ordinal);
        }

        // Piped, and on a terminal with NO_COLOR: no escape sequence that styles text (colour, bold).
        var piped = Run(sigil, "solve fibres/atp.sigil", GeneratorHost.RepoRoot);
        Assert.DoesNotContain('\u001b', piped);
        Assert.Contains("solved after", piped, StringComparison.Ordinal);
        var onTerminal = Run("script", $"-qec \"{sigil} solve fibres/atp.sigil\" /dev/null", GeneratorHost.RepoRoot, ("NO_COLOR", "1"));
        Assert.Contains("solved after", onTerminal, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("\u001b\\[[0-9;]*m"), onTerminal);
    }

    // PATH with every program of its folders linked into one, except those whose name starts with prefix.
    private string PathWithout(string prefix)
    {
        var folder = _feed.NewFolder("path-without-" + prefix);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Where(Directory.Exists))
        {
            foreach (var program in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(program);
                if (!name.StartsWith(prefix, StringComparison.Ordinal) && seen.Add(name))
                {
                    File.CreateSymbolicLink(Path.Combine(folder, name), program);
                }
            }
        }

        return folder;
    }

    private static string Run(string file, string arguments, string directory, params (string Name, string Value)[] environment) =>
        LocalFeed.Run(file, arguments, directory, environment);

    private static string Run(string file, string arguments, string directory, int expectedExit, params (string Name, string Value)[] environment) =>
        LocalFeed.Run(file, arguments, directory, expectedExit, environment);

    // As a new user starts: install the template package into a fresh CLI home, create a project,
    // build and run it. Its README's statements about files are checked against the result.
    [Fact]
    public void Template_SigilFibre_CreatesAProjectThatSolvesAndPrintsPrices()
    {
        var home = Directory.CreateDirectory(Path.Combine(_feed.Work.FullName, "home")).FullName;
        var environment = new[] { ("DOTNET_CLI_HOME", home), ("NUGET_PACKAGES", _feed.Packages) };
        var installed = LocalFeed.Run("dotnet", $"new install {Path.Combine(_feed.Folder, "Sigil.Templates." + _feed.Version + ".nupkg")}", _feed.Work.FullName, environment);
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
        Assert.Contains("fibre cache: 4 threads over 2 cache domains, status Solved after", output, StringComparison.Ordinal);
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

    // A ReadyToRun image carries native code beside its IL, announced by the CLI header's managed native header.
    private static bool IsReadyToRun(string assembly)
    {
        using var reader = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
