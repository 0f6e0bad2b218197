using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>
/// <c>table S[met, rxn] : 1 from "s.csv" wide { [glc, EX_glc] = -1; }</c>: a table over two index sets,
/// its entries from a long or wide CSV file, inline, or both.
/// </summary>
internal sealed class MatrixTableDeclarationSyntax : MemberSyntax
{
    public MatrixTableDeclarationSyntax(TextSpan span, SyntaxToken identifier, SyntaxToken rowSet, SyntaxToken columnSet, UnitSyntax? unit, SyntaxToken? path, SyntaxToken? layout, ImmutableArray<EntryDeclarationSyntax> entries)
        : base(span)
    {
        Identifier = identifier;
        RowSet = rowSet;
        ColumnSet = columnSet;
        Unit = unit;
        Path = path;
        Layout = layout;
        Entries = entries;
    }

    public override SyntaxKind Kind => SyntaxKind.MatrixTableDeclaration;

    public SyntaxToken Identifier { get; }

    public SyntaxToken RowSet { get; }

    public SyntaxToken ColumnSet { get; }

    public UnitSyntax? Unit { get; }

    /// <summary>The file, or null for a table given inline only.</summary>
    public SyntaxToken? Path { get; }

    /// <summary><c>long</c> or <c>wide</c> after the path, or null (long).</summary>
    public SyntaxToken? Layout { get; }

    public ImmutableArray<EntryDeclarationSyntax> Entries { get; }
}
