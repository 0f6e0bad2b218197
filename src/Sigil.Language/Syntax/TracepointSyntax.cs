using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>category:event</c>.</summary>
internal sealed class TracepointSyntax : SyntaxNode
{
    public TracepointSyntax(TextSpan span, SyntaxToken category, SyntaxToken eventName)
        : base(span)
    {
        Category = category;
        Event = eventName;
    }

    public override SyntaxKind Kind => SyntaxKind.Tracepoint;

    public SyntaxToken Category { get; }

    public SyntaxToken Event { get; }
}
