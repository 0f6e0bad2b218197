using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>An argument: <c>[name =] (category:event | expression)</c>.</summary>
internal sealed class ArgumentSyntax : SyntaxNode
{
    public ArgumentSyntax(TextSpan span, SyntaxToken? name, TracepointSyntax? tracepoint, ExpressionSyntax? value)
        : base(span)
    {
        Name = name;
        Tracepoint = tracepoint;
        Value = value;
    }

    public override SyntaxKind Kind => SyntaxKind.Argument;

    public SyntaxToken? Name { get; }

    public TracepointSyntax? Tracepoint { get; }

    public ExpressionSyntax? Value { get; }
}
