using System.Collections.Generic;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>
/// Index variables visible in a statement. A closed scope (a declaration's bounds) knows only its
/// own index sets, by their names; an open scope (a row, a utility) takes any new name as a free
/// variable over the set it is first used against. Sums open child scopes.
/// </summary>
internal sealed class IndexScope
{
    private readonly Dictionary<string, IndexVariable> _variables = new(System.StringComparer.Ordinal);
    private readonly IndexScope? _parent;

    private IndexScope(IndexScope? parent, bool allowFree)
    {
        _parent = parent;
        AllowFree = allowFree;
    }

    public bool AllowFree { get; }

    /// <summary>Free variables of the statement in order of first use (root scope only).</summary>
    public List<IndexVariable> Free { get; } = new();

    public static IndexScope Closed(IEnumerable<IndexSymbol> sets)
    {
        var scope = new IndexScope(null, allowFree: false);
        foreach (var set in sets)
        {
            scope._variables[set.Name] = new IndexVariable(set.Name, set, isSum: false, set.Span);
        }

        return scope;
    }

    public static IndexScope Open() => new(null, allowFree: true);

    public IndexScope Child() => new(this, AllowFree);

    public IndexVariable? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._variables.TryGetValue(name, out var variable))
            {
                return variable;
            }
        }

        return null;
    }

    public void DeclareSum(IndexVariable variable) => _variables[variable.Name] = variable;

    public IndexVariable DeclareFree(string name, IndexSymbol set, TextSpan span)
    {
        var root = this;
        while (root._parent is not null)
        {
            root = root._parent;
        }

        var variable = new IndexVariable(name, set, isSum: false, span);
        root._variables[name] = variable;
        root.Free.Add(variable);
        return variable;
    }
}
