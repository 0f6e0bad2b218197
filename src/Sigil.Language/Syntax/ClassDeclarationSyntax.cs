using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>class archivers: exe "/usr/bin/gzip", "/usr/bin/xz" weight 0.1;</c></summary>
internal sealed class ClassDeclarationSyntax : MemberSyntax
{
    public ClassDeclarationSyntax(TextSpan span, SyntaxToken name, ImmutableArray<ProcessSetSyntax> sets, SyntaxToken weightWord, SyntaxToken? minus, SyntaxToken weight)
        : base(span)
    {
        Name = name;
        Sets = sets;
        WeightWord = weightWord;
        Minus = minus;
        Weight = weight;
    }

    public override SyntaxKind Kind => SyntaxKind.ClassDeclaration;

    public SyntaxToken Name { get; }

    public ImmutableArray<ProcessSetSyntax> Sets { get; }

    /// <summary><c>weight</c> (the binder checks the word).</summary>
    public SyntaxToken WeightWord { get; }

    /// <summary>A minus sign before the weight, if any (a negative weight is reported).</summary>
    public SyntaxToken? Minus { get; }

    public SyntaxToken Weight { get; }
}
