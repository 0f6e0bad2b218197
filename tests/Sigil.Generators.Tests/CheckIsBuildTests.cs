using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Microsoft.CodeAnalysis;
using Sigil.Build;
using Sigil.Language;
using Sigil.Testing;

namespace Sigil.Generators.Tests;

/// <summary>
/// Check is build: for every row of the hostile corpus (every diagnostic a backend can raise),
/// <c>sigil check</c> (the compiler), the generator and the build task (run in-process, as
/// MSBuild runs it) report the same code at the same line and column; the task never throws.
/// </summary>
public sealed class CheckIsBuildTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sigil-checkisbuild-" + Guid.NewGuid().ToString("N"));

    public CheckIsBuildTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(LimitCases.Names), MemberType = typeof(LimitCases))]
    public void LimitCase_CheckGeneratorAndBuildTask_ReportTheSameCodeAtTheSamePlace(string name)
    {
        var c = LimitCases.All.Single(x => x.Name == name);
        var path = Path.Combine(_folder, "hostile.sigil");
        File.WriteAllText(path, c.Text);
        var expected = new[] { (c.Code, c.Line + 1, c.Column + 1) };

        var check = SigilCompiler.Compile(new SourceFile(path, c.Text)).Diagnostics
            .Where(static d => d.Severity == Language.Diagnostics.DiagnosticSeverity.Error)
            .Select(static d => (d.Id, d.LineSpan.Start.Line + 1, d.LineSpan.Start.Character + 1));
        Assert.Equal(expected, check);

        var generator = Generate(path, c.Text);
        Assert.Equal(expected, generator);

        var (succeeded, task) = RunTask(path);
        Assert.False(succeeded);
        Assert.Equal(expected, task.Select(static e => (e.Code, e.LineNumber, e.ColumnNumber)));
        Assert.All(task, e => Assert.Equal(path, e.File));
    }

    [Theory]
    [MemberData(nameof(LimitCases.DaemonWarningNames), MemberType = typeof(LimitCases))]
    public void DaemonLimit_CheckAndGenerator_WarnWithTheSameCodeAtTheSamePlace_AndTheBuildTaskSucceeds(string name)
    {
        var c = LimitCases.DaemonWarnings.Single(x => x.Name == name);
        var path = Path.Combine(_folder, "daemon.sigil");
        File.WriteAllText(path, c.Text);
        var expected = new[] { (c.Code, c.Line + 1, c.Column + 1) };

        var check = SigilCompiler.Compile(new SourceFile(path, c.Text)).Diagnostics
            .Select(static d => (d.Id, d.LineSpan.Start.Line + 1, d.LineSpan.Start.Character + 1));
        Assert.Equal(expected, check);

        // The build reports the generator's warnings through csc; its artefact task has no error.
        Assert.Equal(expected, Generate(path, c.Text, DiagnosticSeverity.Warning));
        var (succeeded, task) = RunTask(path);
        Assert.True(succeeded, string.Join("; ", task.Select(static e => e.Message)));
    }

    [Fact]
    public void DwellWithASecondThrottle_CheckGeneratorAndBuildTask_ReportSig3009AtTheAddedLine()
    {
        var lines = File.ReadAllLines(Path.Combine(GeneratorHost.FibresFolder, "dwell.sigil")).ToList();
        var kill = lines.FindIndex(static l => l.TrimStart().StartsWith("act kill", StringComparison.Ordinal));
        lines.Insert(kill, "    act throttle(cpu = 10%) when ^dwell[t] >= 7;");
        var path = Path.Combine(_folder, "dwell.sigil");
        File.WriteAllLines(path, lines);
        var expected = new[] { ("SIG3009", kill + 1, 5) };

        var check = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path))).Diagnostics.Select(static d => (d.Id, d.LineSpan.Start.Line + 1, d.LineSpan.Start.Character + 1));
        Assert.Equal(expected, check);
        Assert.Equal(expected, Generate(path, File.ReadAllText(path)));
        var (succeeded, task) = RunTask(path);
        Assert.False(succeeded);
        Assert.Equal(expected, task.Select(static e => (e.Code, e.LineNumber, e.ColumnNumber)));
    }

    [Fact]
    public void BuildTask_FibreThatIsAFifo_IsSig0010NotAHang()
    {
        var path = Path.Combine(_folder, "fifo.sigil");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (succeeded, errors) = RunTask(path);
        Assert.False(succeeded);
        var error = Assert.Single(errors);
        Assert.Equal(("SIG0010", path, 1), (error.Code, error.File, error.LineNumber));
        Assert.Contains("a FIFO", error.Message);
    }

    [Fact]
    public void BuildTask_TableThatLinksOutOfTheFolder_IsNotRead()
    {
        var secret = Path.Combine(Path.GetTempPath(), "sigil-checkisbuild-secret-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(secret, "edit,cost\nTOPSECRET,1\n");
        try
        {
            File.CreateSymbolicLink(Path.Combine(_folder, "costs.csv"), secret);
            var path = Path.Combine(_folder, "t.sigil");
            File.WriteAllText(path, LimitCases.Fibre("t", "table costs from \"costs.csv\" { cost; }", "index e from costs;", "$q[e] : 1 in [0, 2];", "@b : 1 = 3;", "couple @b >= sum(i in e) cost[i] * $q[i];", "utility $q[i] ~ log(1 + $q[i]);", "solve dual { step = auto; }"));
            var (succeeded, errors) = RunTask(path);
            Assert.False(succeeded);
            Assert.Equal("SIG1014", Assert.Single(errors).Code);
            Assert.DoesNotContain(errors, static e => e.Message!.Contains("TOPSECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void AcceptedEdgeFibres_GeneratedCSharp_CompilesWithoutAWarning()
    {
        foreach (var (name, text) in LimitCases.Accepted)
        {
            var path = Path.Combine(_folder, name + ".sigil");
            Assert.Empty(SigilCompiler.Compile(new SourceFile(path, text)).Diagnostics);
            var driver = GeneratorHost.NewDriver(new[] { new GeneratorHost.InMemoryText(path, text) });
            var (_, output, diagnostics) = GeneratorHost.Run(driver, GeneratorHost.NewCompilation());
            Assert.Empty(diagnostics);
            var problems = output.GetDiagnostics().Where(static d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems));
        }
    }

    // Every fibre sigil check accepts builds: the edge fibres in one real `dotnet build` of a
    // consumer project (generator, csc with warnings as errors, the artefact task, clang -target
    // bpf, clang++ for the plugin and hook, coqc), as a user's project builds them.
    [Fact]
    public async System.Threading.Tasks.Task AcceptedEdgeFibres_RealBuild_CompilesEveryArtefact()
    {
        var repo = GeneratorHost.RepoRoot.TrimEnd('/') + "/";
        var project = Path.Combine(_folder, "edge");
        Directory.CreateDirectory(project);
        foreach (var (name, text) in LimitCases.Accepted)
        {
            File.WriteAllText(Path.Combine(project, name + ".sigil"), text);
        }

        File.WriteAllText(Path.Combine(project, "Edge.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{{repo}}Directory.Build.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <SigilNamespace>Edge</SigilNamespace>
                <SigilAutoInclude>false</SigilAutoInclude>
                <SigilBuildTaskAssembly>{{repo}}src/Sigil.Build/bin/Release/netstandard2.0/Sigil.Build.dll</SigilBuildTaskAssembly>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <SigilNativeTargetsDir>{{repo}}eng/</SigilNativeTargetsDir>
              </PropertyGroup>
              <ItemGroup>
                <SigilFibre Include="*.sigil" />
                <ProjectReference Include="{{repo}}src/Sigil.Solvers/Sigil.Solvers.csproj" />
                <ProjectReference Include="{{repo}}src/Sigil.Generators/Sigil.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
              <Import Project="{{repo}}src/Sigil.Generators/build/Sigil.Generators.props" />
              <Import Project="{{repo}}src/Sigil.Generators/build/Sigil.Generators.targets" />
              <Target Name="SigilBuildBpf" AfterTargets="SigilWriteArtefacts" DependsOnTargets="SigilBpfObjects" />
            </Project>
            """);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["build", Path.Combine(project, "Edge.csproj"), "-c", "Release", "-nologo", "-p:BuildProjectReferences=false", "-warnaserror"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = project,
        };
        using var build = System.Diagnostics.Process.Start(start)!;
        var reading = System.Threading.Tasks.Task.WhenAll(build.StandardOutput.ReadToEndAsync(), build.StandardError.ReadToEndAsync());
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(15));
        await build.WaitForExitAsync(timeout.Token);
        var texts = await reading;
        Assert.True(build.ExitCode == 0, texts[0] + texts[1]);
        Assert.DoesNotContain("MSB4018", texts[0], StringComparison.Ordinal);
        var files = Directory.GetFiles(project, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet();
        Assert.Contains("edge_kernel.bpf.o", files);
        Assert.Contains("edge_offline.vo", files);
        Assert.Contains("edge_kernel.vo", files);
        Assert.Contains("edge_freeze.bpf.o", files);
        Assert.Contains("edge_freeze.vo", files);
        Assert.Contains("edge_free.vo", files);
        Assert.Contains("edge_cluster_linear.vo", files);
        Assert.Contains("edge_periodic.bpf.o", files);
        Assert.Contains("edge_periodic.vo", files);
        Assert.Contains("SigilEdgeKernel.so", files);
        Assert.Contains("libsigil_edge_kernel_hook.so", files);
    }

    private static IEnumerable<(string, int, int)> Generate(string path, string text, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var driver = GeneratorHost.NewDriver(new[] { new GeneratorHost.InMemoryText(path, text) });
        var (_, _, diagnostics) = GeneratorHost.Run(driver, GeneratorHost.NewCompilation());
        Assert.DoesNotContain(diagnostics, static d => d.Id is "CS8784" or "CS8785");
        return diagnostics.Where(d => d.Severity == severity)
            .Select(static d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Location.GetLineSpan().StartLinePosition.Character + 1))
            .ToList();
    }

    private (bool Succeeded, List<BuildErrorEventArgs> Errors) RunTask(string fibre)
    {
        var engine = new Engine();
        var task = new EmitArtefactsTask
        {
            BuildEngine = engine,
            Fibres = new ITaskItem[] { new TaskItem(fibre) },
            OutputDirectory = Path.Combine(_folder, "out"),
        };
        var succeeded = task.Execute();
        return (succeeded, engine.Errors);
    }

    private sealed class Engine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = new();

        public bool ContinueOnError => false;

        public int LineNumberOfTaskNode => 0;

        public int ColumnNumberOfTaskNode => 0;

        public string ProjectFileOfTaskNode => "test.proj";

        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

        public void LogCustomEvent(CustomBuildEventArgs e)
        {
        }

        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

        public void LogMessageEvent(BuildMessageEventArgs e)
        {
        }

        public void LogWarningEvent(BuildWarningEventArgs e)
        {
        }
    }
}
