using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Emit.Daemon;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Cli;

/// <summary>
/// <c>sigil run</c> reads what the build wrote (<c>sigil/&lt;fibre&gt;/daemon/&lt;fibre&gt;.daemon.json</c>
/// beside the eBPF object) and never compiles: it runs with the compiler gone from its folder, finds
/// the build of a <c>.sigil</c> file by the SHA-256 the build recorded, and refuses a descriptor that
/// another build wrote.
/// </summary>
[Collection(Sequential.Name)]
public sealed class BuiltFibreRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // The shipped fibres' build output: <...>/sigil/<fibre>/, where the build wrote dwell.bpf.o.
    private static string Built(string fibre) =>
        Path.GetDirectoryName(Path.GetDirectoryName(fibre == "dwell" ? KernelObjects.Dwell : KernelObjects.Ransomware))!;

    // --duration counts from before the daemon starts: 3 s leaves a loaded machine time to start it.
    private string[] Observe(string fibre) =>
        ["run", fibre, "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(), "--state-dir", _dir.Combine("state"), "--metrics-url", "none", "--duration", "3s", "--log-format", "simple", "--table", "false"];

    [Theory]
    [InlineData("dwell")]
    [InlineData("cache")]
    [InlineData("ransomware")]
    [InlineData("power")]
    public void Build_WritesTheDaemonDescriptor_TheCompilerMaps_WithTheSourcesOfTheObjectBesideIt(string fibre)
    {
        var spec = ShippedFibres.Compile(fibre);
        var folder = Path.Combine(Path.GetDirectoryName(Built("dwell"))!, fibre, "daemon");
        // The fibre's source as it is now, and its tables: what the build read.
        var sources = BpfDescriptorFile.Digests(new[] { fibre + ".sigil" }
            .Concat(spec.Tables.Select(static t => t.Path))
            .Distinct()
            .Select(p => new KeyValuePair<string, string>(p, File.ReadAllText(Path.Combine(ShippedFibres.Folder, p))))
            .ToList());
        if (ClusterFibreMapper.IsCluster(spec))
        {
            var cluster = ClusterFibreMapper.Map(spec, out var clusterProblems);
            Assert.True(cluster is not null, string.Join("; ", clusterProblems));
            var clusterText = File.ReadAllText(Path.Combine(folder, fibre + ".cluster.json"));
            Assert.Equal(ClusterDescriptionFile.Write(cluster! with { Sources = sources }), clusterText);
            Assert.Equal(clusterText, ClusterDescriptionFile.Write(DaemonFibreJson.TryReadCluster(Path.Combine(folder, fibre + ".cluster.json"), out var clusterProblem) ?? throw new InvalidOperationException(clusterProblem)));
            return;
        }

        var daemon = DaemonFibreMapper.Map(spec, out var problems);
        Assert.True(daemon is not null, string.Join("; ", problems));
        var path = Path.Combine(folder, fibre + ".daemon.json");
        var text = File.ReadAllText(path);
        Assert.Equal(DaemonFibreFile.Write(daemon! with { Sources = sources }), text);
        var read = DaemonFibreJson.TryRead(path, out var problem);
        Assert.True(read is not null, problem);
        Assert.Equal(text, DaemonFibreFile.Write(read!));
        var bpf = BpfDescriptorReader.Read(Path.Combine(Path.GetDirectoryName(folder)!, "bpf", fibre + ".bpf.json"));
        Assert.Equal(bpf.Sources, read!.Sources);
    }

    [Theory]
    [InlineData("\"format\": 1,", "\"format\": 2,", "error: descriptor format 2 is not 1 (rebuild the fibre with this version of sigil)")]
    [InlineData("\"sources\": [", "\"sourcez\": [", "error: The JSON property 'sourcez' could not be mapped")]
    public void Read_RefusesAnotherFormat_AndAnUnknownProperty_WithTheFile(string old, string replacement, string message)
    {
        var text = File.ReadAllText(Path.Combine(Built("dwell"), "daemon", "dwell.daemon.json"));
        Assert.Contains(old, text, StringComparison.Ordinal);
        var path = _dir.Combine("dwell.daemon.json");
        File.WriteAllText(path, text.Replace(old, replacement, StringComparison.Ordinal));
        Assert.Null(DaemonFibreJson.TryRead(path, out var problem));
        Assert.StartsWith(path, problem, StringComparison.Ordinal);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ABuiltDescriptor_WithTheCompilerAbsentFromTheLoadPath()
    {
        // The command's folder without the compiler and what only it loads.
        var tool = _dir.Combine("tool");
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(ProcessRunner.SigilDll)!, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(tool, Path.GetRelativePath(Path.GetDirectoryName(ProcessRunner.SigilDll)!, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var compiler in new[] { "Sigil.Language.dll", "Antlr4.Runtime.Standard.dll", "Scriban.Signed.dll" })
        {
            File.Delete(Path.Combine(tool, compiler));
        }

        // The build's artefacts without the source they came from.
        var built = _dir.Combine("dwell");
        foreach (var part in new[] { "daemon/dwell.daemon.json", "bpf/dwell.bpf.json", "bpf/dwell.bpf.o" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(built, part))!);
            File.Copy(Path.Combine(Built("dwell"), part), Path.Combine(built, part));
        }

        var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(tool, "sigil.dll"), .. Observe(Path.Combine(built, "daemon", "dwell.daemon.json"))]);
        Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));
        Assert.Contains("observation mode", run.All, StringComparison.Ordinal);

        // The same command refuses to compile: the compiler is not there to load.
        var check = await ProcessRunner.RunAsync("dotnet", [Path.Combine(tool, "sigil.dll"), "check", ShippedFibres.PathOf("dwell")]);
        Assert.NotEqual(0, check.ExitCode);
    }

    [Fact]
    public async Task Run_ASigilFile_RunsItsBuild_AndRefusesAnEditedCopyWithExit4()
    {
        var fibre = _dir.Combine("dwell.sigil");
        var text = File.ReadAllText(ShippedFibres.PathOf("dwell"));
        File.WriteAllText(fibre, text);
        var run = await ProcessRunner.RunSigilAsync(Observe(fibre));
        Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));

        // A comment is an edit: this text was never built.
        File.WriteAllText(fibre, "// edited\n" + text);
        var edited = await ProcessRunner.RunSigilAsync(Observe(fibre));
        Assert.True(edited.ExitCode == 4, ProcessRunner.Describe(edited));
        Assert.Contains("no build of this fibre found", edited.StandardError, StringComparison.Ordinal);
        Assert.Contains("was built from another version of dwell.sigil", edited.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RefusesADaemonDescriptor_BuiltFromOtherSourcesThanTheObjectBesideIt()
    {
        var built = _dir.Combine("dwell");
        Directory.CreateDirectory(Path.Combine(built, "daemon"));
        Directory.CreateDirectory(Path.Combine(built, "bpf"));
        File.Copy(Path.Combine(Built("dwell"), "bpf", "dwell.bpf.json"), Path.Combine(built, "bpf", "dwell.bpf.json"));
        var descriptor = Path.Combine(built, "daemon", "dwell.daemon.json");
        var daemon = DaemonFibreJson.TryRead(Path.Combine(Built("dwell"), "daemon", "dwell.daemon.json"), out var problem) ?? throw new InvalidOperationException(problem);
        var other = BpfDescriptorFile.Digests([new KeyValuePair<string, string>("dwell.sigil", "fibre other { }")]);
        File.WriteAllText(descriptor, DaemonFibreFile.Write(daemon with { Sources = other }));

        var run = await ProcessRunner.RunSigilAsync(Observe(descriptor));
        Assert.True(run.ExitCode == 1, ProcessRunner.Describe(run));
        Assert.Contains($"{descriptor}: error: the descriptor was built from other sources", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.All, StringComparison.Ordinal);
    }
}
