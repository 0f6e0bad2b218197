using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>A whole file: one fibre (absent when the file could not be parsed at all).</summary>
internal sealed class CompilationUnitSyntax : SyntaxNode
{
    public CompilationUnitSyntax(TextSpan span, FibreDeclarationSyntax? fibre, SyntaxToken endOfFile)
        : base(span)
    {
        Fibre = fibre;
        EndOfFile = endOfFile;
    }

    public override SyntaxKind Kind => SyntaxKind.CompilationUnit;

    public FibreDeclarationSyntax? Fibre { get; }

    public SyntaxToken EndOfFile { get; }
}
