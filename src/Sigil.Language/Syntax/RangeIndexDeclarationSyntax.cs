using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>index d in 0 .. 3;</c></summary>
internal sealed class RangeIndexDeclarationSyntax : MemberSyntax
{
    public RangeIndexDeclarationSyntax(TextSpan span, SyntaxToken identifier, ExpressionSyntax low, ExpressionSyntax high)
        : base(span)
    {
        Identifier = identifier;
        Low = low;
        High = high;
    }

    public override SyntaxKind Kind => SyntaxKind.RangeIndexDeclaration;

    public SyntaxToken Identifier { get; }

    public ExpressionSyntax Low { get; }

    public ExpressionSyntax High { get; }
}
