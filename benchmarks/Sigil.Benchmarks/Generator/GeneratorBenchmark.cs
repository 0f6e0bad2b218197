using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Sigil.Generators;
using Sigil.Language;
using Sigil.Language.Emit;
using Sigil.Language.Emit.CSharp;

namespace Sigil.Benchmarks.Generator;

/// <summary>
/// Generator time per fibre on a warm build, and what a no-op rebuild regenerates. Prints a table:
/// medians and ranges over repetitions after warm-up.
/// </summary>
internal static class GeneratorBenchmark
{
    public static int Run(string[] args)
    {
        var repoRoot = BenchmarkRepository.Root;

        var repetitions = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
        var fibres = Path.Combine(repoRoot, "fibres");
        var files = Directory.GetFiles(fibres).Where(p => p.EndsWith(".sigil", StringComparison.Ordinal) || p.EndsWith(".csv", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal).Select(p => (AdditionalText)new Text(p, File.ReadAllText(p))).ToImmutableArray();
        Console.WriteLine($"Generator: {files.Count(f => f.Path.EndsWith(".sigil", StringComparison.Ordinal))} fibres, {repetitions} repetitions after warm-up");
        Console.WriteLine();
        Console.WriteLine($"{"fibre",-10} {"compile ms",12} {"C# emit ms",12} {"artefacts ms",13} {"total ms",10} {"range ms",16}");

        foreach (var fibre in files.Where(f => f.Path.EndsWith(".sigil", StringComparison.Ordinal)))
        {
            var source = new SourceFile(fibre.Path, fibre.GetText()!.ToString());
            string? Table(string relative) => files.FirstOrDefault(f => f.Path == Path.Combine(fibres, relative))?.GetText()?.ToString();
            var compile = new List<double>();
            var emit = new List<double>();
            var artefacts = new List<double>();
            for (var i = 0; i < repetitions + 5; i++)
            {
                var watch = Stopwatch.StartNew();
                var result = SigilCompiler.Compile(source, Table);
                var t1 = watch.Elapsed.TotalMilliseconds;
                if (result.Spec is null)
                {
                    Console.WriteLine($"{Path.GetFileName(fibre.Path)}: does not compile: {result.Diagnostics.FirstOrDefault()}");
                    return 1;
                }

                CSharpEmitter.Emit(result.Spec, "Bench");
                var t2 = watch.Elapsed.TotalMilliseconds;
                ArtefactEmitter.EmitAll(result.Spec);
                var t3 = watch.Elapsed.TotalMilliseconds;
                if (i >= 5)
                {
                    compile.Add(t1);
                    emit.Add(t2 - t1);
                    artefacts.Add(t3 - t2);
                }
            }

            var total = compile.Zip(emit, (a, b) => a + b).Zip(artefacts, (a, b) => a + b).ToList();
            Console.WriteLine($"{Path.GetFileNameWithoutExtension(fibre.Path),-10} {Median(compile),12:F3} {Median(emit),12:F3} {Median(artefacts),13:F3} {Median(total),10:F3} {total.Min(),7:F3}-{total.Max(),-8:F3}");
        }

        // The incremental driver: a no-op rebuild and an unrelated C# edit must regenerate nothing.
        var compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class A { }") });
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SigilGenerator().AsSourceGenerator() }, files,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        var noop = new List<double>();
        var regenerated = 0;
        for (var i = 0; i < repetitions; i++)
        {
            var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"class B{i} {{ }}"));
            var watch = Stopwatch.StartNew();
            driver = driver.RunGenerators(edited, CancellationToken.None);
            noop.Add(watch.Elapsed.TotalMilliseconds);
            regenerated += driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs)
                .Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
        }

        Console.WriteLine();
        Console.WriteLine($"no-op rebuild (unrelated C# edit): median {Median(noop):F3} ms, outputs regenerated: {regenerated} (target 0)");
        return regenerated == 0 ? 0 : 1;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
