using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>( expression )</c>.</summary>
internal sealed class ParenthesizedExpressionSyntax : ExpressionSyntax
{
    public ParenthesizedExpressionSyntax(TextSpan span, ExpressionSyntax expression)
        : base(span) => Expression = expression;

    public override SyntaxKind Kind => SyntaxKind.ParenthesizedExpression;

    public ExpressionSyntax Expression { get; }
}
