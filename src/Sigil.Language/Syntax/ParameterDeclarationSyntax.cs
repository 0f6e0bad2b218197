using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>param budget : s = 5.0;</c></summary>
internal sealed class ParameterDeclarationSyntax : MemberSyntax
{
    public ParameterDeclarationSyntax(TextSpan span, SyntaxToken identifier, UnitSyntax? unit, ExpressionSyntax value)
        : base(span)
    {
        Identifier = identifier;
        Unit = unit;
        Value = value;
    }

    public override SyntaxKind Kind => SyntaxKind.ParameterDeclaration;

    public SyntaxToken Identifier { get; }

    public UnitSyntax? Unit { get; }

    public ExpressionSyntax Value { get; }
}
