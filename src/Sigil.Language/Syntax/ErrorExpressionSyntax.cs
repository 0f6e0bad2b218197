using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>Where the parser found no expression; it reported the error already.</summary>
internal sealed class ErrorExpressionSyntax : ExpressionSyntax
{
    public ErrorExpressionSyntax(TextSpan span)
        : base(span)
    {
    }

    public override SyntaxKind Kind => SyntaxKind.ErrorExpression;
}
