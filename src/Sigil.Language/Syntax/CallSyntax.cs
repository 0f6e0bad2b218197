using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>A call in a statement head: <c>span(a:b, c:d)</c>, <c>kill</c>, <c>throttle(cpu = 20%)</c>.</summary>
internal sealed class CallSyntax : SyntaxNode
{
    public CallSyntax(TextSpan span, SyntaxToken identifier, ImmutableArray<ArgumentSyntax> arguments)
        : base(span)
    {
        Identifier = identifier;
        Arguments = arguments;
    }

    public override SyntaxKind Kind => SyntaxKind.Call;

    public SyntaxToken Identifier { get; }

    public ImmutableArray<ArgumentSyntax> Arguments { get; }
}
