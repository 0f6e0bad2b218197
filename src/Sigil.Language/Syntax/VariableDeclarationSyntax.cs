using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>$hold[task] : s in [0, 3600];</c></summary>
internal sealed class VariableDeclarationSyntax : MemberSyntax
{
    public VariableDeclarationSyntax(TextSpan span, SyntaxToken identifier, SubscriptSyntax? indexList, UnitSyntax unit, ExpressionSyntax lower, ExpressionSyntax upper)
        : base(span)
    {
        Identifier = identifier;
        IndexList = indexList;
        Unit = unit;
        Lower = lower;
        Upper = upper;
    }

    public override SyntaxKind Kind => SyntaxKind.VariableDeclaration;

    public SyntaxToken Identifier { get; }

    public SubscriptSyntax? IndexList { get; }

    public UnitSyntax Unit { get; }

    public ExpressionSyntax Lower { get; }

    public ExpressionSyntax Upper { get; }
}
