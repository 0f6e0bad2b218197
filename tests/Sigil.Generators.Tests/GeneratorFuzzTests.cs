using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Sigil.Testing;

namespace Sigil.Generators.Tests;

/// <summary>
/// Mutated fibres through the whole generator (the driver, its incremental steps, diagnostics
/// and C# emission): no exception ever escapes (a CS8785 "generator failed" would be a bug), and
/// each input takes bounded time.
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int Mutants = 10_000;

    [Fact]
    public void Generator_TenThousandMutatedFibres_NeverFails()
    {
        var seeds = Directory.GetFiles(GeneratorHost.FibresFolder, "*.sigil").OrderBy(p => p, StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var tables = GeneratorHost.ShippedFibres().Where(f => f.Path.EndsWith(".csv", StringComparison.Ordinal)).ToList();
        var mutator = new FibreMutator(seed: 20261122);
        var inputs = mutator.Generate(seeds, Mutants)
            .Concat(new[] { FibreMutator.DeepNesting(10_000), FibreMutator.DeepUnary(10_000), mutator.Huge(seeds[0], 1 << 20), mutator.Garbage(4096) })
            .ToList();

        AdditionalText current = new GeneratorHost.InMemoryText(Path.Combine(GeneratorHost.FibresFolder, "fuzz.sigil"), seeds[0]);
        var driver = GeneratorHost.NewDriver(tables.Append(current));
        var compilation = GeneratorHost.NewCompilation();
        var worst = TimeSpan.Zero;
        var generated = 0;
        var withErrors = 0;
        foreach (var text in inputs)
        {
            var next = new GeneratorHost.InMemoryText(current.Path, text);
            driver = driver.ReplaceAdditionalText(current, next);
            current = next;

            var watch = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            var elapsed = watch.Elapsed;
            worst = elapsed > worst ? elapsed : worst;

            var result = driver.GetRunResult().Results.Single();
            Assert.True(result.Exception is null, $"generator threw on input:\n{Excerpt(text)}\n{result.Exception}");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8784" or "CS8785" or "SIG9999");
            Assert.True(elapsed < TimeSpan.FromSeconds(10), $"{elapsed.TotalSeconds:F1} s on input:\n{Excerpt(text)}");
            if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                withErrors++;
                Assert.Empty(result.GeneratedSources);
            }
            else
            {
                generated += result.GeneratedSources.Length > 0 ? 1 : 0;
            }
        }

        // The mutants exercise both paths: most are rejected with a diagnostic, some still compile.
        Assert.True(withErrors > Mutants / 2, $"only {withErrors} inputs had errors");
        Assert.True(generated > 0, "no mutant compiled");
    }

    private static string Excerpt(string text) => text.Length <= 400 ? text : text[..400] + $"... ({text.Length} chars)";
}
