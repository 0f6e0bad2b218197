using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>index edit from edits;</c></summary>
internal sealed class TableIndexDeclarationSyntax : MemberSyntax
{
    public TableIndexDeclarationSyntax(TextSpan span, SyntaxToken identifier, SyntaxToken table)
        : base(span)
    {
        Identifier = identifier;
        Table = table;
    }

    public override SyntaxKind Kind => SyntaxKind.TableIndexDeclaration;

    public SyntaxToken Identifier { get; }

    public SyntaxToken Table { get; }
}
