using System;
using System.Threading;
using Sigil.Language.Analysis;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Language;

/// <summary>A sigil source file: its path (as the build knows it) and its text.</summary>
/// <param name="Path">Path used in diagnostics.</param>
/// <param name="Text">The file's text.</param>
public sealed record SourceFile(string Path, string Text);

/// <summary>The result of compiling one fibre: the lowered spec when there were no errors, and every diagnostic.</summary>
/// <param name="Spec">The lowered fibre; null when any error was reported.</param>
/// <param name="Diagnostics">All diagnostics, in source order.</param>
public sealed record CompilationResult(FibreSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Options of a compilation. Every member has a default; <see cref="Default"/> is what <c>Compile</c> uses without options.</summary>
public sealed record CompilationOptions
{
    /// <summary>The options used when none are given.</summary>
    public static CompilationOptions Default { get; } = new();

    /// <summary>
    /// The tracepoints sensors may attach to; null means <see cref="TracepointCatalog.Embedded"/>.
    /// A tool with access to the live kernel passes <c>TracepointCatalog.Parse(available_events, "the running kernel")</c>.
    /// </summary>
    public TracepointCatalog? Tracepoints { get; init; }

    /// <summary>Called with each stage's name ("parse", "bind", "lower", "analyse", "limits") before it runs; tests inject faults here.</summary>
    internal Action<string>? OnStage { get; init; }
}

/// <summary>
/// The compiler's front door: parse, bind, lower and analyse one fibre. Never throws for bad
/// input: every problem is a diagnostic; an unexpected failure is SIG9999 at the fibre's start.
/// Cancellation propagates as <see cref="OperationCanceledException"/>.
/// </summary>
public static partial class SigilCompiler
{
    /// <summary>
    /// Compiles <paramref name="source"/>. <paramref name="readTable"/> returns the text of a table
    /// file named relative to the fibre's folder, or null when there is no such file.
    /// </summary>
    public static CompilationResult Compile(SourceFile source, Func<string, string?>? readTable = null, CancellationToken cancellationToken = default)
        => CompileCore(source, readTable ?? (static _ => null), CompilationOptions.Default, cancellationToken);

    /// <summary>Compiles <paramref name="source"/> with <paramref name="options"/> (e.g. the live kernel's tracepoints).</summary>
    public static CompilationResult Compile(SourceFile source, Func<string, string?>? readTable, CompilationOptions options, CancellationToken cancellationToken = default)
        => CompileCore(source, readTable ?? (static _ => null), options ?? CompilationOptions.Default, cancellationToken);

    private static partial CompilationResult CompileCore(SourceFile source, Func<string, string?> readTable, CompilationOptions options, CancellationToken cancellationToken);
}
