using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Diagnostics;

/// <summary>
/// A diagnostic as a value: id, severity, the formatted message, the file and the exact span.
/// It becomes a Roslyn Diagnostic only at the generator's output. Value-equatable: arguments are
/// strings, never symbols.
/// </summary>
/// <param name="Id">The code, <c>SIGnnnn</c>.</param>
/// <param name="Severity">Severity.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="FilePath">The file it points into.</param>
/// <param name="Span">Character span in the file.</param>
/// <param name="LineSpan">Zero-based line/column span in the file.</param>
public sealed record DiagnosticInfo(
    string Id,
    DiagnosticSeverity Severity,
    string Message,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan)
{
    /// <summary>The MSBuild / compiler form: <c>path(line,col): error SIGnnnn: message</c>, one-based.</summary>
    public override string ToString() =>
        $"{FilePath}({LineSpan.Start.Line + 1},{LineSpan.Start.Character + 1}): {SeverityText} {Id}: {Message}";

    private string SeverityText => Severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };
}
