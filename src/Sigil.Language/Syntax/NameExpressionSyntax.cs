using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>
/// A name with an optional sigil and subscript: <c>$hold[t]</c> (variable), <c>@dwell[t]</c>
/// (resource), <c>^dwell[t]</c> (price), <c>cost[j]</c> or <c>budget</c> (plain name).
/// </summary>
internal sealed class NameExpressionSyntax : ExpressionSyntax
{
    public NameExpressionSyntax(TextSpan span, SyntaxKind kind, SyntaxToken? sigil, SyntaxToken identifier, SubscriptSyntax? subscript)
        : base(span)
    {
        NameKind = kind;
        Sigil = sigil;
        Identifier = identifier;
        Subscript = subscript;
    }

    public override SyntaxKind Kind => NameKind;

    /// <summary>VariableExpression, ResourceExpression, PriceExpression or NameExpression.</summary>
    public SyntaxKind NameKind { get; }

    public SyntaxToken? Sigil { get; }

    public SyntaxToken Identifier { get; }

    public SubscriptSyntax? Subscript { get; }

    /// <summary>The name as written with its sigil, e.g. <c>$hold</c>.</summary>
    public string SigilName => (Sigil?.Text ?? string.Empty) + Identifier.Text;
}
