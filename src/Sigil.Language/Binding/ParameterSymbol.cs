using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

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
