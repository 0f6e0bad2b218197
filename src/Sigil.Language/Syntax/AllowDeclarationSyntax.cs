using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>allow exe "/usr/sbin/sshd"; allow cgroup "/system.slice";</c></summary>
internal sealed class AllowDeclarationSyntax : MemberSyntax
{
    public AllowDeclarationSyntax(TextSpan span, ImmutableArray<ProcessSetSyntax> sets)
        : base(span) => Sets = sets;

    public override SyntaxKind Kind => SyntaxKind.AllowDeclaration;

    public ImmutableArray<ProcessSetSyntax> Sets { get; }
}
