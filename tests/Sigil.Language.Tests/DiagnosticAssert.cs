using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Diagnostics;

namespace Sigil.Language.Tests;

internal static class DiagnosticAssert
{
    /// <summary>
    /// Compiles the annotated fibre and asserts that exactly the marked diagnostics are reported:
    /// same ids, same spans, line and column as counted in the text. Unexpected diagnostics fail.
    /// </summary>
    public static CompilationResult Reports(string annotated, IReadOnlyDictionary<string, string>? files = null, CompilationOptions? options = null)
    {
        var text = AnnotatedText.Parse(annotated);
        var result = SigilCompiler.Compile(
            new SourceFile("test.sigil", text.Text),
            path => files is not null && files.TryGetValue(path, out var content) ? content : null,
            options ?? CompilationOptions.Default);
        var actual = result.Diagnostics.Select(static d => (d.Id, d.Span)).OrderBy(static d => d.Span.Start).ThenBy(static d => d.Id, StringComparer.Ordinal).ToList();
        var expected = text.Expected.OrderBy(static d => d.Span.Start).ThenBy(static d => d.Id, StringComparer.Ordinal).ToList();
        Assert.True(
            expected.SequenceEqual(actual),
            "Expected:\n  " + string.Join("\n  ", expected.Select(e => e.Id + " at " + Describe(text.Text, e.Span)))
            + "\nActual:\n  " + string.Join("\n  ", result.Diagnostics.Select(d => d.Id + " at " + Describe(text.Text, d.Span) + ": " + d.Message)));

        foreach (var diagnostic in result.Diagnostics)
        {
            Assert.Equal(AnnotatedText.Position(text.Text, diagnostic.Span.Start), diagnostic.LineSpan.Start);
            Assert.Equal(AnnotatedText.Position(text.Text, diagnostic.Span.End), diagnostic.LineSpan.End);
            Assert.Equal("test.sigil", diagnostic.FilePath);
            Assert.DoesNotContain("{0}", diagnostic.Message, StringComparison.Ordinal);
            var descriptor = DiagnosticDescriptors.Find(diagnostic.Id);
            Assert.NotNull(descriptor);
            Assert.Equal(descriptor!.Severity, diagnostic.Severity);
        }

        var errors = result.Diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(errors, result.Spec is null);
        return result;
    }

    private static string Describe(string text, Text.TextSpan span)
    {
        var p = AnnotatedText.Position(text, span.Start);
        var snippet = text.Substring(span.Start, Math.Min(span.Length, 40)).Replace("\n", "\\n");
        return $"({p.Line + 1},{p.Character + 1}) '{snippet}'";
    }
}
