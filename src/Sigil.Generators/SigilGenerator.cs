using System;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Sigil.Generators.Models;
using Sigil.Language;
using Sigil.Language.Emit.CSharp;
using Sigil.Language.Model;

namespace Sigil.Generators;

/// <summary>
/// Compiles every <c>.sigil</c> AdditionalFile into C#: a typed fibre class and a solver
/// specialised to the fibre. A thin adapter: all compiling and emitting is Sigil.Language's,
/// which formats every number with the invariant culture (the generator may not touch the
/// current culture, file system or environment).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SigilGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Tables: every *.csv AdditionalFile, collected once and sorted by path. A fibre reads
        // the ones it names; collecting them all keeps the step value-equatable and cheap.
        var tables = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => new TableFile(file.Path, file.GetText(ct)?.ToString() ?? string.Empty))
            .Collect()
            .Select(static (files, _) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(SigilGeneratorStepNames.Tables);

        var ns = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue("build_property.SigilNamespace", out var value) && IsNamespace(value) ? value
            : options.GlobalOptions.TryGetValue("build_property.RootNamespace", out value) && IsNamespace(value) ? value
            : "Sigil.Fibres");

        // Compile: one step per fibre file. Its output holds diagnostics with spans, so any edit
        // of the file re-runs it, but nothing downstream of the spec runs unless the spec changed.
        var compilations = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".sigil", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, ct) => (file.Path, Text: file.GetText(ct)?.ToString() ?? string.Empty))
            .Combine(tables)
            .Combine(ns)
            .Select(static (input, _) => new FibreInput(input.Left.Left.Path, input.Left.Left.Text, input.Left.Right, input.Right))
            .Select(static (input, ct) => Compile(input, ct))
            .WithTrackingName(SigilGeneratorStepNames.Compile);

        // Diagnostics: reported from their own step, so that moving a comment re-reports them
        // at their new lines without re-emitting any code.
        var diagnostics = compilations
            .Select(static (c, _) => c.Diagnostics)
            .WithTrackingName(SigilGeneratorStepNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var info in list)
            {
                spc.ReportDiagnostic(DiagnosticFactory.Create(info));
            }
        });

        // Spec: what emission reads. Equal specs (comment edits, unrelated C# edits) stop here.
        var specs = compilations
            .Where(static c => c.Spec is not null)
            .Select(static (c, _) => new EmissionInput(c.Spec!, c.Namespace))
            .WithTrackingName(SigilGeneratorStepNames.Spec);
        context.RegisterSourceOutput(specs, static (spc, input) => Emit(spc, input));
    }

    private static FibreCompilation Compile(FibreInput input, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(input.Path) ?? string.Empty;
        string? ReadTable(string relative)
        {
            var wanted = Normalize(Path.Combine(folder, relative));
            return input.Tables.FirstOrDefault(t => string.Equals(Normalize(t.Path), wanted, StringComparison.Ordinal))?.Text;
        }

        var result = SigilCompiler.Compile(new SourceFile(input.Path, input.Text), ReadTable, cancellationToken);
        return new FibreCompilation(result.Spec, result.Diagnostics, input.Namespace);
    }

    private static void Emit(SourceProductionContext context, EmissionInput input)
    {
        try
        {
            var sources = CSharpEmitter.Emit(input.Spec, input.Namespace);
            foreach (var source in sources)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                context.AddSource(source.HintName, SourceText.From(source.Text, System.Text.Encoding.UTF8));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(DiagnosticFactory.Internal(input.Spec, e));
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/').Replace("/./", "/");

    private static bool IsNamespace(string value) =>
        value.Length > 0 && value.Split('.').All(part => part.Length > 0
            && (char.IsLetter(part[0]) || part[0] == '_')
            && part.All(c => char.IsLetterOrDigit(c) || c == '_'));
}
