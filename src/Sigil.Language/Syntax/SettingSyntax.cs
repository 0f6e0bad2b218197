using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>step = 0.5;</c> or a flag, <c>online;</c>.</summary>
internal sealed class SettingSyntax : SyntaxNode
{
    public SettingSyntax(TextSpan span, SyntaxToken identifier, ExpressionSyntax? value)
        : base(span)
    {
        Identifier = identifier;
        Value = value;
    }

    public override SyntaxKind Kind => SyntaxKind.Setting;

    public SyntaxToken Identifier { get; }

    public ExpressionSyntax? Value { get; }
}
