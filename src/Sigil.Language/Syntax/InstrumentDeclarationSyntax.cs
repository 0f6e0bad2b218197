using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>instrument calls(write) pass (site, fd) respond backoff(us = 100);</c></summary>
internal sealed class InstrumentDeclarationSyntax : MemberSyntax
{
    public InstrumentDeclarationSyntax(TextSpan span, CallSyntax call, ImmutableArray<SyntaxToken> passes, CallSyntax? response)
        : base(span)
    {
        Call = call;
        Passes = passes;
        Response = response;
    }

    public override SyntaxKind Kind => SyntaxKind.InstrumentDeclaration;

    public CallSyntax Call { get; }

    public ImmutableArray<SyntaxToken> Passes { get; }

    public CallSyntax? Response { get; }
}
