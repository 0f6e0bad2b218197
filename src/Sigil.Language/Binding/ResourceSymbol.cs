using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed class ResourceSymbol : Symbol
{
    public ResourceSymbol(string name, TextSpan span, ImmutableArray<IndexSymbol> indexSets, UnitSpec unit)
        : base(name, span)
    {
        IndexSets = indexSets;
        Unit = unit;
    }

    public ImmutableArray<IndexSymbol> IndexSets { get; }

    public UnitSpec Unit { get; }

    public ValueSpec Budget { get; set; } = ValueSpec.Of(0);

    /// <summary>The parameter the budget is written as (<c>@atp = maintenance</c>), else null.</summary>
    public string? BudgetParameter { get; set; }

    /// <summary>For a cluster resource, the most nodes sharing it; 0 for a node's own resource.</summary>
    public int ClusterNodes { get; init; }

    public override string KindText => "a resource";
}
