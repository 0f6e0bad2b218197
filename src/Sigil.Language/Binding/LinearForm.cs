using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>One side of a row while it is bound: load terms, resources and a constant part.</summary>
internal sealed class LinearForm
{
    public List<LinearTerm> Terms { get; } = new();

    public List<ResourceReference> Resources { get; } = new();

    public ValueSpec Constant { get; set; } = ValueMath.Zero;

    /// <summary>The unit of the side; null when only plain numbers were seen.</summary>
    public UnitSpec? Unit { get; set; }

    public bool IsPure => Terms.Count == 0 && Resources.Count == 0;

    public void Scale(ValueSpec factor)
    {
        for (var i = 0; i < Terms.Count; i++)
        {
            Terms[i] = Terms[i] with { Coefficient = ValueMath.Multiply(Terms[i].Coefficient, factor) };
        }

        for (var i = 0; i < Resources.Count; i++)
        {
            Resources[i] = Resources[i] with { Coefficient = ValueMath.Multiply(Resources[i].Coefficient, factor) };
        }

        Constant = ValueMath.Multiply(Constant, factor);
    }

    public void Negate() => Scale(ValueSpec.Of(-1));

    public void AddRange(LinearForm other)
    {
        Terms.AddRange(other.Terms);
        Resources.AddRange(other.Resources);
        Constant = ValueMath.Add(Constant, other.Constant);
    }
}
