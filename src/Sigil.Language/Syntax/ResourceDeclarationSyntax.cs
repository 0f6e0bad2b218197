using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>@dwell[task] : s = budget;</c>, or a cluster budget <c>@power : W = 2000 cluster max 8;</c></summary>
internal sealed class ResourceDeclarationSyntax : MemberSyntax
{
    public ResourceDeclarationSyntax(TextSpan span, SyntaxToken identifier, SubscriptSyntax? indexList, UnitSyntax unit, ExpressionSyntax budget, SyntaxToken? scope = null, SyntaxToken? limit = null, SyntaxToken? nodes = null)
        : base(span)
    {
        Scope = scope;
        Limit = limit;
        Nodes = nodes;
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

    /// <summary><c>cluster</c> for a budget shared across nodes, else null.</summary>
    public SyntaxToken? Scope { get; }

    /// <summary><c>max</c> before the node count, or null.</summary>
    public SyntaxToken? Limit { get; }

    /// <summary>The declared node count, or null.</summary>
    public SyntaxToken? Nodes { get; }
}
