using System;
using System.Threading;
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

/// <summary>
/// The compiler's front door: parse, bind, lower and analyse one fibre. Never throws for bad
/// input: every problem is a diagnostic; an unexpected failure is SIG9999 at the fibre's start.
/// </summary>
public static partial class SigilCompiler
{
    /// <summary>
    /// Compiles <paramref name="source"/>. <paramref name="readTable"/> returns the text of a table
    /// file named relative to the fibre's folder, or null when there is no such file.
    /// </summary>
    public static CompilationResult Compile(SourceFile source, Func<string, string?>? readTable = null, CancellationToken cancellationToken = default)
        => CompileCore(source, readTable ?? (static _ => null), cancellationToken);

    private static partial CompilationResult CompileCore(SourceFile source, Func<string, string?> readTable, CancellationToken cancellationToken);
}
