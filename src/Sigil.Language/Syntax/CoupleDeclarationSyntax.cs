using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>couple [label[indices]:] comparison;</c></summary>
internal sealed class CoupleDeclarationSyntax : MemberSyntax
{
    public CoupleDeclarationSyntax(TextSpan span, SyntaxToken? label, SubscriptSyntax? labelIndices, ExpressionSyntax expression)
        : base(span)
    {
        Label = label;
        LabelIndices = labelIndices;
        Expression = expression;
    }

    /// <summary>The row's indices named after its label (<c>balance[m]</c>), in the order rows are laid out; null when not written.</summary>
    public SubscriptSyntax? LabelIndices { get; }

    public override SyntaxKind Kind => SyntaxKind.CoupleDeclaration;

    public SyntaxToken? Label { get; }

    public ExpressionSyntax Expression { get; }
}
