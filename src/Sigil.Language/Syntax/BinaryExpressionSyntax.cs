using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>left op right</c> for <c>** * / + -</c> and comparisons.</summary>
internal sealed class BinaryExpressionSyntax : ExpressionSyntax
{
    public BinaryExpressionSyntax(TextSpan span, ExpressionSyntax left, SyntaxToken operatorToken, ExpressionSyntax right)
        : base(span)
    {
        Left = left;
        OperatorToken = operatorToken;
        Right = right;
    }

    public override SyntaxKind Kind => SyntaxKind.BinaryExpression;

    public ExpressionSyntax Left { get; }

    public SyntaxToken OperatorToken { get; }

    public ExpressionSyntax Right { get; }
}
