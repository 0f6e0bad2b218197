using System.Collections.Generic;
using Sigil.Language.Model;

namespace Sigil.Language.Binding;

/// <summary>
/// A utility while it is bound: <c>Const + Linear x + Quadratic x^2 + sum of atoms</c>, where an
/// atom is <c>c log(x + eps)</c> or <c>c (x + eps)^p</c>. The family is read off at the end.
/// </summary>
internal sealed class UtilityForm
{
    public ValueSpec Const { get; set; } = ValueMath.Zero;

    public ValueSpec Linear { get; set; } = ValueMath.Zero;

    public ValueSpec Quadratic { get; set; } = ValueMath.Zero;

    public List<UtilityAtom> Atoms { get; } = new();

    public bool IsPure => ValueMath.IsZero(Linear) && ValueMath.IsZero(Quadratic) && Atoms.Count == 0;

    public bool IsAffine => ValueMath.IsZero(Quadratic) && Atoms.Count == 0;

    public void Scale(ValueSpec factor)
    {
        Const = ValueMath.Multiply(Const, factor);
        Linear = ValueMath.Multiply(Linear, factor);
        Quadratic = ValueMath.Multiply(Quadratic, factor);
        for (var i = 0; i < Atoms.Count; i++)
        {
            Atoms[i] = Atoms[i] with { Coefficient = ValueMath.Multiply(Atoms[i].Coefficient, factor) };
        }
    }

    public void Add(UtilityForm other)
    {
        Const = ValueMath.Add(Const, other.Const);
        Linear = ValueMath.Add(Linear, other.Linear);
        Quadratic = ValueMath.Add(Quadratic, other.Quadratic);
        Atoms.AddRange(other.Atoms);
    }
}
