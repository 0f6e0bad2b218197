using System.Collections.Immutable;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary><c>table edits from "atp.edits.csv" { cost; lo : mmol/gDW/h; }</c></summary>
internal sealed class TableDeclarationSyntax : MemberSyntax
{
    public TableDeclarationSyntax(TextSpan span, SyntaxToken identifier, SyntaxToken path, ImmutableArray<ColumnDeclarationSyntax> columns)
        : base(span)
    {
        Identifier = identifier;
        Path = path;
        Columns = columns;
    }

    public override SyntaxKind Kind => SyntaxKind.TableDeclaration;

    public SyntaxToken Identifier { get; }

    public SyntaxToken Path { get; }

    public ImmutableArray<ColumnDeclarationSyntax> Columns { get; }
}
