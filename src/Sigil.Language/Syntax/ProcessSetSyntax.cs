using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>exe "/usr/bin/tar", "/usr/bin/gzip"</c> or <c>cgroup "/backup.slice"</c>.</summary>
internal sealed class ProcessSetSyntax : SyntaxNode
{
    public ProcessSetSyntax(TextSpan span, SyntaxToken kindWord, ImmutableArray<SyntaxToken> paths)
        : base(span)
    {
        KindWord = kindWord;
        Paths = paths;
    }

    public override SyntaxKind Kind => SyntaxKind.ProcessSet;

    /// <summary><c>exe</c> or <c>cgroup</c> (the binder checks the word).</summary>
    public SyntaxToken KindWord { get; }

    /// <summary>The quoted paths.</summary>
    public ImmutableArray<SyntaxToken> Paths { get; }
}
