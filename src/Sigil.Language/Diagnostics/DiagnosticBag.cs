using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Text;

namespace Sigil.Language.Diagnostics;

/// <summary>
/// The diagnostics of one compilation. One <c>ReportX</c> method per problem holds its wording:
/// what was found, what was expected, user names quoted. After <see cref="MaxErrors"/> errors the
/// bag reports SIG0007 once and ignores the rest, so garbage input costs bounded time and memory.
/// </summary>
internal sealed partial class DiagnosticBag
{
    public const int MaxErrors = 100;

    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly SourceText _text;
    private readonly string _path;
    private int _errors;

    public DiagnosticBag(SourceText text, string path)
    {
        _text = text;
        _path = path;
    }

    public bool HasErrors => _errors > 0;

    /// <summary>True once the error limit is reached; callers may stop early.</summary>
    public bool IsFull => _errors >= MaxErrors;

    public int Count => _diagnostics.Count;

    /// <summary>The diagnostics sorted by position (stable for equal positions).</summary>
    public IReadOnlyList<DiagnosticInfo> ToSortedList() =>
        _diagnostics.Select((d, i) => (d, i))
            .OrderBy(static p => p.d.Span.Start)
            .ThenBy(static p => p.i)
            .Select(static p => p.d)
            .ToArray();

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params string[] args)
    {
        if (_errors >= MaxErrors)
        {
            return;
        }

        var start = Math.Max(0, Math.Min(span.Start, _text.Length));
        var end = Math.Max(start, Math.Min(span.End, _text.Length));
        span = TextSpan.FromBounds(start, end);
        var message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args.Cast<object>().ToArray());
        _diagnostics.Add(new DiagnosticInfo(descriptor.Id, descriptor.Severity, message, _path, span, _text.GetLineSpan(span)));
        if (descriptor.Severity == DiagnosticSeverity.Error && ++_errors == MaxErrors)
        {
            var at = new TextSpan(span.End, 0);
            _diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.TooManyErrors.Id,
                DiagnosticSeverity.Error,
                string.Format(CultureInfo.InvariantCulture, DiagnosticDescriptors.TooManyErrors.MessageFormat, MaxErrors),
                _path,
                at,
                _text.GetLineSpan(at)));
        }
    }

    /// <summary>A number in the invariant culture, round-trippable and short.</summary>
    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "infinity"
        : double.IsNegativeInfinity(value) ? "-infinity"
        : value.ToString("G6", CultureInfo.InvariantCulture);
}
