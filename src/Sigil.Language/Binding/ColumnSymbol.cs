using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed class ColumnSymbol : Symbol
{
    public ColumnSymbol(string name, TextSpan span, TableSymbol? table, UnitSpec unit, ImmutableArray<double> values)
        : base(name, span)
    {
        Table = table;
        Unit = unit;
        Values = values;
    }

    public TableSymbol? Table { get; set; }

    public UnitSpec Unit { get; }

    public ImmutableArray<double> Values { get; }

    public override string KindText => "a table column";
}
