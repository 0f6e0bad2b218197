namespace Sigil.Language.Model;

/// <summary>The concave utility families with a closed-form agent step.</summary>
public enum UtilityFamily
{
    /// <summary>U(x) = w log(x + eps), w &gt; 0. Agent step x = w / q - eps.</summary>
    Log,

    /// <summary>U(x) = w (x + eps)^(1 - a) / (1 - a), a &gt; 0, a != 1. Agent step x = (w / q)^(1/a) - eps.</summary>
    AlphaFair,

    /// <summary>U(x) = w x - (k / 2) x^2, k &gt; 0. Agent step x = (w - q) / k.</summary>
    Quadratic,

    /// <summary>U(x) = w x on [m, M]. Agent step: M when w &gt; q, else m.</summary>
    Linear,
}

/// <summary>
/// The utility of one variable family (<c>utility $hold[t] ~ log(1 + $hold[t]);</c>), recognised
/// as one of the concave families. Every agent step is clamped to the variable's bounds. Value-equatable.
/// </summary>
/// <param name="Variable">The variable family.</param>
/// <param name="IndexVariables">The index variables used in the parameters (one per index set).</param>
/// <param name="Family">The family.</param>
/// <param name="Weight">w, per member.</param>
/// <param name="Offset">eps (log, alpha-fair), else 0.</param>
/// <param name="Alpha">a (alpha-fair), else 0.</param>
/// <param name="Curvature">k (quadratic), else 0.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record UtilitySpec(
    string Variable,
    EquatableArray<string> IndexVariables,
    UtilityFamily Family,
    ValueSpec Weight,
    ValueSpec Offset,
    ValueSpec Alpha,
    ValueSpec Curvature,
    string Statement);
