using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed class VariableSymbol : Symbol
{
    public VariableSymbol(string name, TextSpan span, ImmutableArray<IndexSymbol> indexSets, UnitSpec unit)
        : base(name, span)
    {
        IndexSets = indexSets;
        Unit = unit;
    }

    public ImmutableArray<IndexSymbol> IndexSets { get; }

    public UnitSpec Unit { get; }

    public ValueSpec Lower { get; set; } = ValueSpec.Of(0);

    public ValueSpec Upper { get; set; } = ValueSpec.Of(0);

    public override string KindText => "a variable";
}
