namespace Sigil.Language.Model;

/// <summary>A decision / load variable family (<c>$hold[task] : s in [0, 3600];</c>). Value-equatable.</summary>
/// <param name="Name">Validated identifier (without the sigil).</param>
/// <param name="IndexSets">The index sets it ranges over, in order; empty for a scalar.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Lower">Lower bound m, per member.</param>
/// <param name="Upper">Upper bound M, per member.</param>
/// <param name="IndexVariables">Index variable names used in bounds (one per index set), e.g. <c>j</c>.</param>
public sealed record VariableSpec(
    string Name,
    EquatableArray<string> IndexSets,
    UnitSpec Unit,
    ValueSpec Lower,
    ValueSpec Upper,
    EquatableArray<string> IndexVariables);
