namespace Sigil.Language.Model;

/// <summary>A resource family with its budget (<c>@dwell[task] : s = 5.0;</c>). Value-equatable.</summary>
/// <param name="Name">Validated identifier (without the sigil).</param>
/// <param name="IndexSets">The index sets it ranges over; empty for one shared resource.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Budget">The budget c_l, per member.</param>
/// <param name="IndexVariables">Index variable names the budget is read at (one per index set).</param>
/// <param name="ClusterNodes">
/// For a budget shared across the nodes of a cluster (<c>@power : W = 2000 cluster max 8;</c>),
/// the most nodes sharing it; each node loads it with its own copy of the row's terms. 0 for a
/// node's own resource.
/// </param>
/// <param name="BudgetParameter">
/// The parameter the budget is written as alone (<c>@atp : mmol/gDW/h = maintenance;</c>), else null:
/// the generated instance sets this budget when the program sets that parameter.
/// </param>
public sealed record ResourceSpec(
    string Name,
    EquatableArray<string> IndexSets,
    UnitSpec Unit,
    ValueSpec Budget,
    EquatableArray<string> IndexVariables,
    int ClusterNodes = 0,
    string? BudgetParameter = null)
{
    /// <summary>True for a budget shared across nodes.</summary>
    public bool IsCluster => ClusterNodes > 0;
}
