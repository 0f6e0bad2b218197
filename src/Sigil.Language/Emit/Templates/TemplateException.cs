using System;
using Scriban.Parsing;

namespace Sigil.Language.Emit.Templates;

/// <summary>
/// A template that cannot render: an unresolved name, a missing member, a syntax error. The message
/// names the template file, line and column (<c>templates/bpf/fibre.h.scriban(12,5): ...</c>); an
/// emitter's caller reports it as SIG9999 at the fibre's location
/// (<see cref="ArtefactEmitter.Emit"/>).
/// </summary>
internal sealed class TemplateException : Exception
{
    /// <summary>Creates the exception for <paramref name="problem"/> at <paramref name="file"/>(<paramref name="line"/>,<paramref name="column"/>), 1-based.</summary>
    public TemplateException(string file, int line, int column, string problem, Exception? inner = null)
        : base($"{file}({line},{column}): {problem}", inner)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The template's path in the repository, e.g. <c>templates/bpf/fibre.h.scriban</c>.</summary>
    public string File { get; }

    /// <summary>The 1-based line of the problem in <see cref="File"/>.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem in <see cref="File"/>.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    internal static TemplateException From(SourceSpan span, string problem, Exception? inner) =>
        new(span.FileName, span.Start.Line + 1, span.Start.Column + 1, problem, inner);
}
