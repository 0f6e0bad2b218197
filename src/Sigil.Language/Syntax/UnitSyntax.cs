using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>A unit: <c>mmol/gDW/h</c>, <c>MiB</c>, <c>1</c>.</summary>
internal sealed class UnitSyntax : SyntaxNode
{
    public UnitSyntax(TextSpan span, ImmutableArray<UnitFactorSyntax> factors)
        : base(span) => Factors = factors;

    public override SyntaxKind Kind => SyntaxKind.Unit;

    public ImmutableArray<UnitFactorSyntax> Factors { get; }
}
