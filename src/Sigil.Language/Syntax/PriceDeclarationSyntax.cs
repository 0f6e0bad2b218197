using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>^dwell -> map price_dwell;</c></summary>
internal sealed class PriceDeclarationSyntax : MemberSyntax
{
    public PriceDeclarationSyntax(TextSpan span, SyntaxToken resource, SyntaxToken mapName)
        : base(span)
    {
        Resource = resource;
        MapName = mapName;
    }

    public override SyntaxKind Kind => SyntaxKind.PriceDeclaration;

    public SyntaxToken Resource { get; }

    public SyntaxToken MapName { get; }
}
