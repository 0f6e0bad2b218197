using System;
using System.Collections.Generic;
using System.IO;
using Sigil.Language.Emit.Llvm;
using Sigil.Language.Model;

namespace Sigil.Llvm.Tests;

/// <summary>A fibre's LLVM artefacts written to disk and, once built, its binaries.</summary>
internal sealed class EmittedFibre
{
    public EmittedFibre(FibreSpec spec, string root)
    {
        Spec = spec;
        Root = Path.Combine(root, spec.Name);
        foreach (var artefact in LlvmEmitter.Emit(spec))
        {
            var path = Path.Combine(Root, artefact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, artefact.Content);
        }

        LlvmFolder = Path.GetDirectoryName(Path.Combine(Root, LlvmNames.PluginSourcePath(spec.Name)))!;
    }

    public FibreSpec Spec { get; }

    /// <summary>The fibre's artefact folder (as obj/sigil/&lt;fibre&gt;).</summary>
    public string Root { get; }

    /// <summary>The folder of the llvm/ artefacts and of what the build step makes of them.</summary>
    public string LlvmFolder { get; }

    public string Plugin => Path.Combine(LlvmFolder, LlvmNames.PluginLibraryFileName(Spec.Name));

    public string HookArchive => Path.Combine(LlvmFolder, LlvmNames.HookArchiveFileName(Spec.Name));

    public string HookSharedLibrary => Path.Combine(LlvmFolder, LlvmNames.HookSharedLibraryFileName(Spec.Name));

    public string PassName => LlvmNames.PassName(Spec.Name);

    /// <summary>
    /// The hook's environment (its variable names from <see cref="LlvmNames.MacroPrefix"/>): the price
    /// map and page paths ("" turns a source off), counters printed at exit, and any extra settings
    /// such as REFRESH_US.
    /// </summary>
    public Dictionary<string, string> HookEnvironment(string map = "", string page = "", bool stats = true, params (string Name, string Value)[] extra)
    {
        var prefix = LlvmNames.MacroPrefix(Spec.Name);
        var environment = new Dictionary<string, string>
        {
            [prefix + "_PRICE_MAP"] = map,
            [prefix + "_PRICE_PAGE"] = page,
        };
        if (stats)
        {
            environment[prefix + "_STATS"] = "1";
        }

        foreach (var (name, value) in extra)
        {
            environment[prefix + "_" + name] = value;
        }

        return environment;
    }

    /// <summary>Runs the build step, eng/llvm.targets, on the llvm/ folder.</summary>
    public ProcessResult Build(params string[] properties)
    {
        var arguments = new List<string>
        {
            "msbuild", Toolchain.TargetsFile, "-t:SigilBuildLlvm", "-nologo", "-nr:false", "-v:m",
            "-p:SigilLlvmSourceDir=" + LlvmFolder,
        };
        foreach (var property in properties)
        {
            arguments.Add("-p:" + property);
        }

        return Toolchain.Run("dotnet", arguments, Root);
    }

    /// <summary>Builds and asserts success and the three binaries.</summary>
    public EmittedFibre BuildChecked()
    {
        var result = Build();
        Assert.True(result.ExitCode == 0, "the build step failed: " + result);
        Assert.True(File.Exists(Plugin), "no plugin: " + result);
        Assert.True(File.Exists(HookArchive), "no hook archive: " + result);
        Assert.True(File.Exists(HookSharedLibrary), "no hook library: " + result);
        return this;
    }

    /// <summary>
    /// The copy sample built with this fibre's pass and linked with its hook, a seeded input of
    /// <paramref name="bytes"/>, and the paths of the copy's output and of a price page, named by
    /// <paramref name="tag"/> in the fibre's folder.
    /// </summary>
    public (string Copy, string Source, string Target, string Page) CopyCase(string tag, int bytes, bool shared = false) =>
        (CompileProgram(Toolchain.CopySample, Path.Combine(Root, "copy-" + tag), shared),
         Toolchain.RandomFile(Root, $"in-{tag}.bin", bytes),
         Path.Combine(Root, $"out-{tag}.bin"),
         Path.Combine(Root, tag + ".prices"));

    /// <summary>
    /// Compiles <paramref name="source"/> with clang -fpass-plugin and links it with the hook's
    /// static archive (or its shared library).
    /// </summary>
    public string CompileProgram(string source, string output, bool shared = false, string optimisation = "-O2")
    {
        var arguments = new List<string> { optimisation, "-Wall", "-Werror", "-fpass-plugin=" + Plugin, source, "-o", output, "-pthread" };
        if (shared)
        {
            arguments.AddRange(new[] { "-L" + LlvmFolder, "-l" + Path.GetFileNameWithoutExtension(HookSharedLibrary).Substring(3), "-Wl,-rpath," + LlvmFolder });
        }
        else
        {
            arguments.Add(HookArchive);
        }

        Toolchain.RunChecked(Toolchain.Clang, arguments);
        return output;
    }
}

/// <summary>
/// The two fibres most tests share, emitted and built once: 'dwell' (fibres/dwell.sigil: back off
/// before write and pwrite) and 'gate' (refusals, results, entries, an unmatched pattern).
/// </summary>
public sealed class LlvmFixture : IDisposable
{
    private readonly Lazy<EmittedFibre> _dwell;
    private readonly Lazy<EmittedFibre> _gate;

    public LlvmFixture()
    {
        Root = Toolchain.NewTemporaryFolder("fixture");
        _dwell = new Lazy<EmittedFibre>(() => new EmittedFibre(Fixtures.Dwell(), Root).BuildChecked());
        _gate = new Lazy<EmittedFibre>(() => new EmittedFibre(Fixtures.Gate(), Root).BuildChecked());
    }

    public string Root { get; }

    internal EmittedFibre Dwell => _dwell.Value;

    internal EmittedFibre Gate => _gate.Value;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LlvmCollection : ICollectionFixture<LlvmFixture>
{
    public const string Name = "llvm";
}
