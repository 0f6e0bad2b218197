using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>3600</c>, <c>1e-9</c>, <c>20%</c>.</summary>
internal sealed class NumberExpressionSyntax : ExpressionSyntax
{
    public NumberExpressionSyntax(TextSpan span, SyntaxToken number, SyntaxToken? percent)
        : base(span)
    {
        Number = number;
        Percent = percent;
    }

    public override SyntaxKind Kind => SyntaxKind.NumberExpression;

    public SyntaxToken Number { get; }

    public SyntaxToken? Percent { get; }
}
