using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Sigil.Language.Diagnostics;
using RoslynDescriptor = Microsoft.CodeAnalysis.DiagnosticDescriptor;
using Sigil.Language.Model;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace Sigil.Generators;

/// <summary>Turns Sigil's diagnostic values into Roslyn diagnostics, at output only.</summary>
internal static class DiagnosticFactory
{
    private static readonly ConcurrentDictionary<(string Id, RoslynSeverity Severity), RoslynDescriptor> s_descriptors = new();

    public static Diagnostic Create(DiagnosticInfo info)
    {
        var severity = info.Severity switch
        {
            Language.Diagnostics.DiagnosticSeverity.Error => RoslynSeverity.Error,
            Language.Diagnostics.DiagnosticSeverity.Warning => RoslynSeverity.Warning,
            _ => RoslynSeverity.Info,
        };
        var descriptor = s_descriptors.GetOrAdd((info.Id, severity), static key =>
        {
            // The catalogue gives title, category and the help text; the message arrives formatted.
            // The help travels inline as the description: a relative link into the repository's
            // docs would resolve nowhere a package is used.
            var rule = DiagnosticDescriptors.Find(key.Id);
            return new RoslynDescriptor(
                key.Id,
                title: rule?.Title ?? key.Id,
                messageFormat: "{0}",
                category: "Sigil." + (rule?.Category ?? "Internal"),
                defaultSeverity: key.Severity,
                isEnabledByDefault: true,
                description: rule?.Help);
        });
        var location = Location.Create(
            info.FilePath,
            new Microsoft.CodeAnalysis.Text.TextSpan(info.Span.Start, info.Span.Length),
            new Microsoft.CodeAnalysis.Text.LinePositionSpan(
                new Microsoft.CodeAnalysis.Text.LinePosition(info.LineSpan.Start.Line, info.LineSpan.Start.Character),
                new Microsoft.CodeAnalysis.Text.LinePosition(info.LineSpan.End.Line, info.LineSpan.End.Character)));
        return Diagnostic.Create(descriptor, location, info.Message);
    }

    public static Diagnostic Internal(FibreSpec spec, Exception exception) => Create(new DiagnosticInfo(
        "SIG9999",
        Language.Diagnostics.DiagnosticSeverity.Error,
        $"internal error while generating C# for fibre '{spec.Name}': {exception.GetType().Name}: {exception.Message}",
        spec.SourceFileName,
        default,
        default));
}
