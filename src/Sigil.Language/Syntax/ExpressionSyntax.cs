using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>An expression.</summary>
internal abstract class ExpressionSyntax : SyntaxNode
{
    protected ExpressionSyntax(TextSpan span)
        : base(span)
    {
    }
}
