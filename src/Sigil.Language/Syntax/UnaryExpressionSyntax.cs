using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>-operand</c> or <c>+operand</c>.</summary>
internal sealed class UnaryExpressionSyntax : ExpressionSyntax
{
    public UnaryExpressionSyntax(TextSpan span, SyntaxToken operatorToken, ExpressionSyntax operand)
        : base(span)
    {
        OperatorToken = operatorToken;
        Operand = operand;
    }

    public override SyntaxKind Kind => SyntaxKind.UnaryExpression;

    public SyntaxToken OperatorToken { get; }

    public ExpressionSyntax Operand { get; }
}
