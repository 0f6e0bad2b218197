using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>sum(t in thread) body</c>; the set may be left out.</summary>
internal sealed class SumExpressionSyntax : ExpressionSyntax
{
    public SumExpressionSyntax(TextSpan span, SyntaxToken index, SyntaxToken? set, ExpressionSyntax body)
        : base(span)
    {
        Index = index;
        Set = set;
        Body = body;
    }

    public override SyntaxKind Kind => SyntaxKind.SumExpression;

    public SyntaxToken Index { get; }

    public SyntaxToken? Set { get; }

    public ExpressionSyntax Body { get; }
}
