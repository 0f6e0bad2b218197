using Sigil.Language.Model;

namespace Sigil.Language.Binding;

/// <summary>
/// A value known at compile time or per index member, with its unit. A null <see cref="Unit"/>
/// marks a plain number (a literal, or a parameter declared without a unit): it takes the unit of
/// its context. A null <see cref="Spec"/> is an error already reported.
/// </summary>
internal readonly record struct BoundValue(ValueSpec? Spec, UnitSpec? Unit)
{
    public static BoundValue Error => default;

    public bool IsError => Spec is null;
}
