using Sigil.Runtime.Solvers;

namespace Sigil.Language.Model;

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
    UtilityKind Family,
    ValueSpec Weight,
    ValueSpec Offset,
    ValueSpec Alpha,
    ValueSpec Curvature,
    string Statement);
