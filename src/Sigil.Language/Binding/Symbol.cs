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
