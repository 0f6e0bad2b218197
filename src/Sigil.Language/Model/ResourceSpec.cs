namespace Sigil.Language.Model;

/// <summary>A resource family with its budget (<c>@dwell[task] : s = 5.0;</c>). Value-equatable.</summary>
/// <param name="Name">Validated identifier (without the sigil).</param>
/// <param name="IndexSets">The index sets it ranges over; empty for one shared resource.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Budget">The budget c_l, per member.</param>
/// <param name="IndexVariables">Index variable names the budget is read at (one per index set).</param>
public sealed record ResourceSpec(
    string Name,
    EquatableArray<string> IndexSets,
    UnitSpec Unit,
    ValueSpec Budget,
    EquatableArray<string> IndexVariables);
