using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>solve dual { step = 0.5; online; }</c></summary>
internal sealed class SolveDeclarationSyntax : MemberSyntax
{
    public SolveDeclarationSyntax(TextSpan span, SyntaxToken method, ImmutableArray<SettingSyntax> settings)
        : base(span)
    {
        Method = method;
        Settings = settings;
    }

    public override SyntaxKind Kind => SyntaxKind.SolveDeclaration;

    public SyntaxToken Method { get; }

    public ImmutableArray<SettingSyntax> Settings { get; }
}
