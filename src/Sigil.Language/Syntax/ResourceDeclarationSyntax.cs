using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>@dwell[task] : s = budget;</c></summary>
internal sealed class ResourceDeclarationSyntax : MemberSyntax
{
    public ResourceDeclarationSyntax(TextSpan span, SyntaxToken identifier, SubscriptSyntax? indexList, UnitSyntax unit, ExpressionSyntax budget)
        : base(span)
    {
        Identifier = identifier;
        IndexList = indexList;
        Unit = unit;
        Budget = budget;
    }

    public override SyntaxKind Kind => SyntaxKind.ResourceDeclaration;

    public SyntaxToken Identifier { get; }

    public SubscriptSyntax? IndexList { get; }

    public UnitSyntax Unit { get; }

    public ExpressionSyntax Budget { get; }
}
