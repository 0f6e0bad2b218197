using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>[t, d]</c>: index names.</summary>
internal sealed class SubscriptSyntax : SyntaxNode
{
    public SubscriptSyntax(TextSpan span, ImmutableArray<SyntaxToken> names)
        : base(span) => Names = names;

    public override SyntaxKind Kind => SyntaxKind.Subscript;

    public ImmutableArray<SyntaxToken> Names { get; }
}
