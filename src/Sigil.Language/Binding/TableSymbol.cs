using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed class TableSymbol : Symbol
{
    public TableSymbol(string name, TextSpan span, string path, ImmutableArray<string> keys, List<ColumnSymbol> columns)
        : base(name, span)
    {
        Path = path;
        Keys = keys;
        Columns = columns;
    }

    public string Path { get; }

    public ImmutableArray<string> Keys { get; }

    public List<ColumnSymbol> Columns { get; }

    /// <summary>The entries of a two-dimensional table once bound; null for a table of columns.</summary>
    public MatrixSpec? Matrix { get; set; }

    /// <summary>True for a table over two index sets (<c>table S[met, rxn]</c>).</summary>
    public bool IsMatrix { get; init; }

    public override string KindText => "a table";
}
