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

    public override string KindText => "a table";
}
