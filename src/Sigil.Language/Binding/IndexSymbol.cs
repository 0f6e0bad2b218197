using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

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
