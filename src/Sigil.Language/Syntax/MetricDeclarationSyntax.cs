using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>metric name = mean($hold) target 5;</c></summary>
internal sealed class MetricDeclarationSyntax : MemberSyntax
{
    public MetricDeclarationSyntax(TextSpan span, SyntaxToken identifier, ExpressionSyntax value, ExpressionSyntax? target)
        : base(span)
    {
        Identifier = identifier;
        Value = value;
        Target = target;
    }

    public override SyntaxKind Kind => SyntaxKind.MetricDeclaration;

    public SyntaxToken Identifier { get; }

    public ExpressionSyntax Value { get; }

    public ExpressionSyntax? Target { get; }
}
