using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Sigil.Generators;

namespace Sigil.Generators.Tests;

/// <summary>Runs the generator in memory over fibre texts, as the compiler would.</summary>
internal static class GeneratorHost
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "netstandard.dll" or "mscorlib.dll" or "Sigil.Solvers.dll" or "Sigil.Descriptors.dll" or "Sigil.Language.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FibresFolder => Path.Combine(RepoRoot, "fibres");

    public static CSharpCompilation NewCompilation(params string[] csharp) =>
        CSharpCompilation.Create(
            "Consumer",
            csharp.Select((text, i) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver NewDriver(IEnumerable<AdditionalText> files) =>
        CSharpGeneratorDriver.Create(
            new[] { new SigilGenerator().AsSourceGenerator() },
            files,
            new CSharpParseOptions(LanguageVersion.Latest),
            new Options(new Dictionary<string, string> { ["build_property.SigilNamespace"] = "Consumer.Fibres" }),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// The shipped fibres (fibres/*.sigil) and their tables (fibres/**/*.csv, as Sigil.Fibres.csproj
    /// takes them: a model's exported tables sit in a folder of their own).
    /// </summary>
    public static ImmutableArray<AdditionalText> ShippedFibres() =>
        Directory.GetFiles(FibresFolder, "*.sigil")
            .Concat(Directory.GetFiles(FibresFolder, "*.csv", SearchOption.AllDirectories))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (AdditionalText)new InMemoryText(p, File.ReadAllText(p)))
            .ToImmutableArray();

    public static (GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(
        GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, CancellationToken.None);
        return (driver, output, diagnostics);
    }

    private static string FindRepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Sigil.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Sigil.sln not found above " + AppContext.BaseDirectory);
    }

    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Values Empty = new(new Dictionary<string, string>());

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
