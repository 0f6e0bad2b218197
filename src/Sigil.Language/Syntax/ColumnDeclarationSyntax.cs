using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>lo : mmol/gDW/h;</c> inside a table.</summary>
internal sealed class ColumnDeclarationSyntax : SyntaxNode
{
    public ColumnDeclarationSyntax(TextSpan span, SyntaxToken identifier, UnitSyntax? unit)
        : base(span)
    {
        Identifier = identifier;
        Unit = unit;
    }

    public override SyntaxKind Kind => SyntaxKind.ColumnDeclaration;

    public SyntaxToken Identifier { get; }

    public UnitSyntax? Unit { get; }
}
