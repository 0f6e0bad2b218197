using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>certify lyapunov, step;</c></summary>
internal sealed class CertifyDeclarationSyntax : MemberSyntax
{
    public CertifyDeclarationSyntax(TextSpan span, ImmutableArray<SyntaxToken> names)
        : base(span) => Names = names;

    public override SyntaxKind Kind => SyntaxKind.CertifyDeclaration;

    public ImmutableArray<SyntaxToken> Names { get; }
}
