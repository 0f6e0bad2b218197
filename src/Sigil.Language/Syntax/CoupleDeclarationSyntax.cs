using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>couple [label:] comparison;</c></summary>
internal sealed class CoupleDeclarationSyntax : MemberSyntax
{
    public CoupleDeclarationSyntax(TextSpan span, SyntaxToken? label, ExpressionSyntax expression)
        : base(span)
    {
        Label = label;
        Expression = expression;
    }

    public override SyntaxKind Kind => SyntaxKind.CoupleDeclaration;

    public SyntaxToken? Label { get; }

    public ExpressionSyntax Expression { get; }
}
