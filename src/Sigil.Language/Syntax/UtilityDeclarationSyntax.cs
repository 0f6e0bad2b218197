using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>utility $hold[t] ~ log(1 + $hold[t]);</c></summary>
internal sealed class UtilityDeclarationSyntax : MemberSyntax
{
    public UtilityDeclarationSyntax(TextSpan span, NameExpressionSyntax target, ExpressionSyntax expression)
        : base(span)
    {
        Target = target;
        Expression = expression;
    }

    public override SyntaxKind Kind => SyntaxKind.UtilityDeclaration;

    public NameExpressionSyntax Target { get; }

    public ExpressionSyntax Expression { get; }
}
