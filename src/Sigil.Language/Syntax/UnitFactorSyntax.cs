using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>One factor of a unit: <c>[* | /] name [** [-] power]</c> or <c>1</c>.</summary>
internal sealed class UnitFactorSyntax : SyntaxNode
{
    public UnitFactorSyntax(TextSpan span, SyntaxToken? operatorToken, SyntaxToken name, SyntaxToken? minus, SyntaxToken? power)
        : base(span)
    {
        OperatorToken = operatorToken;
        Name = name;
        Minus = minus;
        Power = power;
    }

    public override SyntaxKind Kind => SyntaxKind.UnitFactor;

    /// <summary><c>*</c> or <c>/</c> before the factor; null for the first.</summary>
    public SyntaxToken? OperatorToken { get; }

    /// <summary>A unit name, or the number <c>1</c>.</summary>
    public SyntaxToken Name { get; }

    public SyntaxToken? Minus { get; }

    public SyntaxToken? Power { get; }
}
