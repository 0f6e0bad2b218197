using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>"read*"</c>.</summary>
internal sealed class StringExpressionSyntax : ExpressionSyntax
{
    public StringExpressionSyntax(TextSpan span, SyntaxToken stringToken)
        : base(span) => StringToken = stringToken;

    public override SyntaxKind Kind => SyntaxKind.StringExpression;

    public SyntaxToken StringToken { get; }
}
