using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>index task by pid max 10240;</c></summary>
internal sealed class DynamicIndexDeclarationSyntax : MemberSyntax
{
    public DynamicIndexDeclarationSyntax(TextSpan span, SyntaxToken identifier, SyntaxToken key, SyntaxToken? limit, SyntaxToken? capacity)
        : base(span)
    {
        Identifier = identifier;
        Key = key;
        Limit = limit;
        Capacity = capacity;
    }

    public override SyntaxKind Kind => SyntaxKind.DynamicIndexDeclaration;

    public SyntaxToken Identifier { get; }

    public SyntaxToken Key { get; }

    public SyntaxToken? Limit { get; }

    public SyntaxToken? Capacity { get; }
}
