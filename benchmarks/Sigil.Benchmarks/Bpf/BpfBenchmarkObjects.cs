using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Emit;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;

namespace Sigil.Benchmarks.Bpf;

/// <summary>
/// The objects the bpf suite attaches: fibres/dwell.sigil compiled by the front end, its eBPF C
/// and the empty-program baseline emitted, fibres/ransomware.sigil's behaviour program and its own
/// empty-program baseline (the same tp_btf hooks), and the ring buffer producer, all built by eng/bpf.targets (the build's own clang command line) under
/// artifacts/bench/bpf.
/// </summary>
internal sealed class BpfBenchmarkObjects
{
    private BpfBenchmarkObjects(FibreSpec spec, string dwell, string baseline, string producer, FibreSpec ransomwareSpec, string ransomware, string ransomwareBaseline)
    {
        RansomwareBaseline = ransomwareBaseline;
        Spec = spec;
        Dwell = dwell;
        Baseline = baseline;
        Producer = producer;
        Descriptor = BpfEmitter.Describe(spec);
        Ransomware = ransomware;
        RansomwareDescriptor = BpfEmitter.Describe(ransomwareSpec);
    }

    /// <summary>The ransomware fibre's behaviour program.</summary>
    public string Ransomware { get; }

    /// <summary>Empty programs on the behaviour program's hooks, with its program names: its floor.</summary>
    public string RansomwareBaseline { get; }

    /// <summary>Its descriptor.</summary>
    public BpfObjectDescription RansomwareDescriptor { get; }

    public FibreSpec Spec { get; }

    public string Dwell { get; }

    public string Baseline { get; }

    public string Producer { get; }

    public BpfObjectDescription Descriptor { get; }

    public static BpfBenchmarkObjects Build()
    {
        var root = BenchmarkRepository.Root;
        var spec = Compile(root, "dwell");
        var folder = Path.Combine(root, "artifacts", "bench", "bpf", "sigil", "dwell");
        var sources = new List<string>();
        Write(folder, BpfEmitter.Emit(spec).Append(BpfEmitter.EmitBaseline(spec)), sources);
        var ransomwareSpec = Compile(root, "ransomware");
        var ransomwareFolder = Path.Combine(root, "artifacts", "bench", "bpf", "sigil", "ransomware");
        Write(ransomwareFolder, BpfEmitter.Emit(ransomwareSpec).Append(BpfEmitter.EmitBaseline(ransomwareSpec)), sources);

        // The producer includes the generated dwell.h for struct sigil_event: it sits beside it.
        var producerSource = Path.Combine(folder, "bpf", "ringbuf_producer.bpf.c");
        var producerText = File.ReadAllText(Path.Combine(root, "benchmarks", "Sigil.Benchmarks", "Bpf", "ringbuf_producer.bpf.c"));
        if (!File.Exists(producerSource) || File.ReadAllText(producerSource) != producerText)
        {
            File.WriteAllText(producerSource, producerText);
        }

        sources.Add(producerSource);
        Compile(root, sources);
        string Object(string name) => Path.Combine(folder, "bpf", name + ".bpf.o");
        return new BpfBenchmarkObjects(spec, Object("dwell"), Object("dwell_baseline"), Object("ringbuf_producer"), ransomwareSpec, Path.Combine(ransomwareFolder, "bpf", "ransomware.bpf.o"), Path.Combine(ransomwareFolder, "bpf", "ransomware_baseline.bpf.o"));
    }

    private static FibreSpec Compile(string root, string fibre)
    {
        var fibrePath = Path.Combine(root, "fibres", fibre + ".sigil");
        var result = SigilCompiler.Compile(new SourceFile(fibrePath, File.ReadAllText(fibrePath)), name => File.ReadAllText(Path.Combine(root, "fibres", name)));
        return result.Spec ?? throw new InvalidOperationException($"fibres/{fibre}.sigil did not compile: " + string.Join("; ", result.Diagnostics));
    }

    // Writes the artefacts that changed; adds the eBPF sources to compile.
    private static void Write(string folder, IEnumerable<Artefact> artefacts, List<string> sources)
    {
        foreach (var artefact in artefacts)
        {
            var path = Path.Combine(folder, artefact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path) || File.ReadAllText(path) != artefact.Content)
            {
                File.WriteAllText(path, artefact.Content);
            }

            if (path.EndsWith(".bpf.c", StringComparison.Ordinal))
            {
                sources.Add(path);
            }
        }
    }

    private static void Compile(string root, IEnumerable<string> sources)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "msbuild", Path.Combine(root, "eng", "bpf.targets"), "-nologo", "-t:SigilBpfCompile",
            "-p:SigilBpfSourceFiles=\"" + string.Join(";", sources) + "\"",
            "-p:SigilBpfIntermediateDir=" + Path.Combine(root, "artifacts", "bench", "bpf", "sigil", "bpf") + "/",
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/bpf.targets failed:\n{output.Result}\n{error.Result}");
        }

        foreach (var source in sources)
        {
            if (!File.Exists(Path.ChangeExtension(source, ".o")))
            {
                throw new InvalidOperationException($"eng/bpf.targets built no object for {source}:\n{output.Result}");
            }
        }
    }
}
