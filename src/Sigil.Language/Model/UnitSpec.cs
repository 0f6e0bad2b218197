using System.Linq;
using System.Text;

namespace Sigil.Language.Model;

/// <summary>One factor of a unit: a base name raised to a non-zero integer power.</summary>
/// <param name="Name">The base unit name, canonical (<c>seconds</c> and <c>sec</c> become <c>s</c>).</param>
/// <param name="Power">The exponent.</param>
public sealed record UnitFactor(string Name, int Power);

/// <summary>
/// A unit as a product of powers of base names, sorted by name. Value-equatable, so that
/// <c>mmol/gDW/h</c> and <c>mmol/h/gDW</c> are equal. The empty product is dimensionless.
/// </summary>
/// <param name="Factors">The factors, sorted by ordinal name, no zero powers.</param>
public sealed record UnitSpec(EquatableArray<UnitFactor> Factors)
{
    /// <summary>The dimensionless unit.</summary>
    public static UnitSpec Dimensionless { get; } = new(EquatableArray<UnitFactor>.Empty);

    /// <summary>True for the dimensionless unit.</summary>
    public bool IsDimensionless => Factors.IsEmpty;

    /// <summary>The unit written as in sigil source: <c>mmol/gDW/h</c>, <c>s</c>, <c>1</c>.</summary>
    public override string ToString()
    {
        if (Factors.IsEmpty)
        {
            return "1";
        }

        var text = new StringBuilder();
        foreach (var f in Factors.Where(f => f.Power > 0))
        {
            text.Append(text.Length == 0 ? string.Empty : "*").Append(f.Name);
            if (f.Power != 1)
            {
                text.Append("**").Append(f.Power);
            }
        }

        if (text.Length == 0)
        {
            text.Append('1');
        }

        foreach (var f in Factors.Where(f => f.Power < 0))
        {
            text.Append('/').Append(f.Name);
            if (f.Power != -1)
            {
                text.Append("**").Append(-f.Power);
            }
        }

        return text.ToString();
    }
}
