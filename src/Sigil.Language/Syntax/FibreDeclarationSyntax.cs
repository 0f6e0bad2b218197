using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>fibre name { members }</c>.</summary>
internal sealed class FibreDeclarationSyntax : SyntaxNode
{
    public FibreDeclarationSyntax(TextSpan span, SyntaxToken fibreKeyword, SyntaxToken identifier, ImmutableArray<MemberSyntax> members)
        : base(span)
    {
        FibreKeyword = fibreKeyword;
        Identifier = identifier;
        Members = members;
    }

    public override SyntaxKind Kind => SyntaxKind.FibreDeclaration;

    public SyntaxToken FibreKeyword { get; }

    public SyntaxToken Identifier { get; }

    public ImmutableArray<MemberSyntax> Members { get; }
}
