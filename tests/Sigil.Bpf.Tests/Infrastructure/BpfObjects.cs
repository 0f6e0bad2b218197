using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Fixtures;
using Sigil.Language.Emit;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>
/// The shipped fibres' eBPF objects, built once per run the way the build builds them: the
/// emitter's artefacts are written under obj/sigil/&lt;fibre&gt;/ and eng/bpf.targets compiles
/// them (the same target, the same clang command line).
/// </summary>
public static class BpfObjects
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_objects = new(Build);

    /// <summary>dwell.bpf.o.</summary>
    public static string Dwell => s_objects.Value["dwell"];

    /// <summary>cache.bpf.o.</summary>
    public static string Cache => s_objects.Value["cache"];

    /// <summary>dwell_baseline.bpf.o: empty programs on dwell's hooks.</summary>
    public static string DwellBaseline => s_objects.Value["dwell_baseline"];

    /// <summary>The folder the artefacts of <paramref name="fibre"/> are written to.</summary>
    public static string ArtefactFolder(string fibre) => Path.Combine(Repository.Scratch("obj"), "sigil", fibre);

    /// <summary>Writes artefacts under <paramref name="folder"/> and returns the .bpf.c paths.</summary>
    public static IEnumerable<string> Write(string folder, IEnumerable<Artefact> artefacts)
    {
        foreach (var artefact in artefacts)
        {
            var path = Path.Combine(folder, artefact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);

            // Rewrite only changed files, as the artefact build does, so the target stays incremental.
            if (!File.Exists(path) || File.ReadAllText(path) != artefact.Content)
            {
                File.WriteAllText(path, artefact.Content);
            }

            if (path.EndsWith(".bpf.c", StringComparison.Ordinal))
            {
                yield return path;
            }
        }
    }

    /// <summary>Runs eng/bpf.targets on <paramref name="sources"/>; returns the msbuild output.</summary>
    public static string Compile(IEnumerable<string> sources, string? clang = null)
    {
        var arguments = new List<string>
        {
            "msbuild",
            Path.Combine(Repository.Root, "eng", "bpf.targets"),
            "-nologo",
            "-v:n",
            "-t:SigilBpfCompile",
            "-p:SigilBpfSourceFiles=\"" + string.Join(";", sources) + "\"",
            "-p:SigilBpfIntermediateDir=" + Repository.Scratch("obj") + "/sigil/bpf/",
        };
        if (clang is not null)
        {
            arguments.Add("-p:SigilBpfClang=" + clang);
        }

        var (code, output, error) = Shell.Run("dotnet", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"eng/bpf.targets failed ({code}):\n{output}\n{error}");
        }

        return output;
    }

    private static IReadOnlyDictionary<string, string> Build()
    {
        var sources = new List<string>();
        foreach (var spec in new[] { ShippedFibres.Dwell, ShippedFibres.Cache })
        {
            var artefacts = BpfEmitter.Emit(spec).Append(BpfEmitter.EmitBaseline(spec));
            sources.AddRange(Write(ArtefactFolder(spec.Name), artefacts));
        }

        Compile(sources);
        return sources.ToDictionary(
            s => Path.GetFileName(s).Replace(".bpf.c", string.Empty, StringComparison.Ordinal),
            s => Path.ChangeExtension(s, ".o"));
    }
}
