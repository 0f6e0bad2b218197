using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>sense $hold[t] &lt;- span(a:b, c:d) key (pid, fd);</c></summary>
internal sealed class SenseDeclarationSyntax : MemberSyntax
{
    public SenseDeclarationSyntax(TextSpan span, NameExpressionSyntax target, CallSyntax call, ImmutableArray<SyntaxToken> keys)
        : base(span)
    {
        Target = target;
        Call = call;
        Keys = keys;
    }

    public override SyntaxKind Kind => SyntaxKind.SenseDeclaration;

    public NameExpressionSyntax Target { get; }

    public CallSyntax Call { get; }

    /// <summary>The key fields; empty when no <c>key</c> clause is written.</summary>
    public ImmutableArray<SyntaxToken> Keys { get; }
}
