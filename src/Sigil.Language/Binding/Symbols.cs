using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>A declared name. <see cref="IsError"/> symbols were declared by a broken declaration:
/// uses of them are accepted silently so that one mistake is reported once.</summary>
internal abstract class Symbol
{
    protected Symbol(string name, TextSpan span)
    {
        Name = name;
        Span = span;
    }

    public string Name { get; }

    /// <summary>The declaring name's span.</summary>
    public TextSpan Span { get; }

    public bool IsError { get; set; }

    /// <summary>"an index set", "a parameter"...: how messages speak of this kind of symbol.</summary>
    public abstract string KindText { get; }
}

internal sealed class IndexSymbol : Symbol
{
    public IndexSymbol(string name, TextSpan span, IndexKind kind, KernelKey key, int capacity, TableSymbol? table, ImmutableArray<string> members)
        : base(name, span)
    {
        Kind = kind;
        Key = key;
        Capacity = capacity;
        Table = table;
        Members = members;
    }

    public IndexKind Kind { get; }

    public KernelKey Key { get; }

    public int Capacity { get; }

    public TableSymbol? Table { get; }

    public ImmutableArray<string> Members { get; }

    public bool IsStatic => Kind != IndexKind.Dynamic;

    public override string KindText => "an index set";
}

internal sealed class ParameterSymbol : Symbol
{
    public ParameterSymbol(string name, TextSpan span, UnitSpec unit, double value, bool hasUnit)
        : base(name, span)
    {
        Unit = unit;
        Value = value;
        HasUnit = hasUnit;
    }

    public UnitSpec Unit { get; }

    public double Value { get; }

    /// <summary>False for a parameter declared without a unit from literals only: it adapts like a literal.</summary>
    public bool HasUnit { get; }

    public override string KindText => "a parameter";
}

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

    public override string KindText => "a resource";
}
