using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>[glc, EX_glc] = -1;</c> inside a two-dimensional table.</summary>
internal sealed class EntryDeclarationSyntax : SyntaxNode
{
    public EntryDeclarationSyntax(TextSpan span, SyntaxToken row, SyntaxToken column, ExpressionSyntax value)
        : base(span)
    {
        Row = row;
        Column = column;
        Value = value;
    }

    public override SyntaxKind Kind => SyntaxKind.EntryDeclaration;

    public SyntaxToken Row { get; }

    public SyntaxToken Column { get; }

    public ExpressionSyntax Value { get; }
}
