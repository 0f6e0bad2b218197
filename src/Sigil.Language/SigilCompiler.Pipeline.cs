using System;
using System.Threading;
using Sigil.Language.Analysis;
using Sigil.Language.Binding;
using Sigil.Language.Diagnostics;
using Sigil.Language.Lowering;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language;

public static partial class SigilCompiler
{
    // Parse -> bind -> lower -> analyse -> target limits, each stage only while no error has been reported: a
    // broken fibre yields its diagnostics and no spec (nothing is emitted from it). Anything that
    // escapes a stage becomes SIG9999 at the fibre's start; running out of stack on deep input
    // is SIG0005; cancellation is the caller's and propagates.
    private static partial CompilationResult CompileCore(SourceFile source, Func<string, string?> readTable, CompilationOptions options, CancellationToken cancellationToken)
        => CompileCore(source, readTable, options, cancellationToken, out _, out _);

    // The same pipeline, also handing back the syntax tree and the bound fibre (null when the
    // file holds no fibre or a stage failed) for the authoring services.
    internal static CompilationResult CompileCore(SourceFile source, Func<string, string?> readTable, CompilationOptions options, CancellationToken cancellationToken, out SyntaxTree? tree, out BoundFibre? bound)
    {
        var path = source?.Path ?? string.Empty;
        var text = SourceText.From(source?.Text ?? string.Empty);
        var diagnostics = new DiagnosticBag(text, path);
        FibreSpec? spec = null;
        tree = null;
        bound = null;
        try
        {
            options.OnStage?.Invoke("parse");
            tree = SyntaxTree.Parse(text, diagnostics);
            ReportBidirectionalControls(text, diagnostics);
            cancellationToken.ThrowIfCancellationRequested();
            options.OnStage?.Invoke("bind");
            bound = Binder.Bind(tree, diagnostics, readTable, options.Tracepoints ?? TracepointCatalog.Embedded, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (bound is not null && !diagnostics.HasErrors)
            {
                options.OnStage?.Invoke("lower");
                var lowered = Lowerer.Lower(bound, FileName(path));
                options.OnStage?.Invoke("analyse");
                var analysed = FibreAnalyzer.Analyze(lowered, bound, diagnostics, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                if (!diagnostics.HasErrors)
                {
                    options.OnStage?.Invoke("limits");
                    TargetLimitAnalyzer.Analyze(analysed, bound, diagnostics);
                }

                spec = diagnostics.HasErrors ? null : analysed;
            }
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException)
        {
            diagnostics.ReportNestingTooDeep(FibreStart(tree), SyntaxTree.MaxNestingDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            spec = null;
        }
        catch (Exception e)
        {
            diagnostics.ReportInternalError(FibreStart(tree), e.GetType().Name + ": " + e.Message);
            spec = null;
        }

        return new CompilationResult(spec, diagnostics.ToSortedList().ToEquatableArray());
    }

    // Trojan source (CVE-2021-42574): the embedding, override and isolate controls reorder how a
    // comment or string displays, so a reader may see another fibre than the compiler does.
    private static void ReportBidirectionalControls(SourceText text, DiagnosticBag diagnostics)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                diagnostics.ReportBidirectionalControl(new TextSpan(i, 1), ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static TextSpan FibreStart(SyntaxTree? tree) =>
        tree?.Root.Fibre is { } fibre ? new TextSpan(fibre.Span.Start, 0) : new TextSpan(0, 0);

    private static string FileName(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }
}
