using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>metric name = mean($hold) target 5;</c></summary>
internal sealed class MetricDeclarationSyntax : MemberSyntax
{
    public MetricDeclarationSyntax(TextSpan span, SyntaxToken identifier, SyntaxToken aggregate, ExpressionSyntax source, ExpressionSyntax? target)
        : base(span)
    {
        Identifier = identifier;
        Aggregate = aggregate;
        Source = source;
        Target = target;
    }

    public override SyntaxKind Kind => SyntaxKind.MetricDeclaration;

    public SyntaxToken Identifier { get; }

    /// <summary>mean, sum, max, min or count (sum is a keyword token).</summary>
    public SyntaxToken Aggregate { get; }

    public ExpressionSyntax Source { get; }

    public ExpressionSyntax? Target { get; }
}
