using System.Collections.Generic;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>An index variable: <c>t</c> in <c>$hold[t]</c>, bound by a sum or free in its statement.</summary>
internal sealed class IndexVariable
{
    public IndexVariable(string name, IndexSymbol? set, bool isSum, TextSpan span)
    {
        Name = name;
        Set = set;
        IsSum = isSum;
        Span = span;
    }

    public string Name { get; }

    /// <summary>The set it ranges over; null until inferred from its first use (<c>sum(t) ...</c>).</summary>
    public IndexSymbol? Set { get; set; }

    public bool IsSum { get; }

    public TextSpan Span { get; }
}
