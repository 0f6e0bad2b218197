using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>act throttle(cpu = 20%) when ^dwell[t] >= 5;</c></summary>
internal sealed class ActDeclarationSyntax : MemberSyntax
{
    public ActDeclarationSyntax(TextSpan span, CallSyntax call, ExpressionSyntax? condition)
        : base(span)
    {
        Call = call;
        Condition = condition;
    }

    public override SyntaxKind Kind => SyntaxKind.ActDeclaration;

    public CallSyntax Call { get; }

    public ExpressionSyntax? Condition { get; }
}
