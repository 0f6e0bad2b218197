using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>log(x + 1)</c>, <c>mean($hold)</c>, <c>calls(write, "read*")</c>.</summary>
internal sealed class CallExpressionSyntax : ExpressionSyntax
{
    public CallExpressionSyntax(TextSpan span, SyntaxToken identifier, ImmutableArray<ArgumentSyntax> arguments)
        : base(span)
    {
        Identifier = identifier;
        Arguments = arguments;
    }

    public override SyntaxKind Kind => SyntaxKind.CallExpression;

    public SyntaxToken Identifier { get; }

    public ImmutableArray<ArgumentSyntax> Arguments { get; }
}
