using Sigil.Runtime.Solvers;

namespace Sigil.Language.Model;

/// <summary>An index variable bound to an index set, by a sum or by the row's quantifier.</summary>
/// <param name="Variable">The index variable, e.g. <c>t</c>.</param>
/// <param name="Set">The index set, e.g. <c>task</c>.</param>
public sealed record IndexBinding(string Variable, string Set);

/// <summary>One term <c>coefficient * $variable[subscript]</c>, inside zero or more sums.</summary>
/// <param name="Coefficient">The coefficient, per member (A's entry).</param>
/// <param name="Variable">The variable family.</param>
/// <param name="Subscript">Index variables, one per index set of the variable.</param>
/// <param name="Sums">Index variables this term is summed over, outermost first.</param>
public sealed record TermSpec(
    ValueSpec Coefficient,
    string Variable,
    EquatableArray<string> Subscript,
    EquatableArray<IndexBinding> Sums);

/// <summary>
/// A family of rows of A (<c>couple @dwell[t] &gt;= $hold[t];</c>), normalised to
/// <c>sum terms (&lt;= | ==) rhs</c> with one row per member of the quantifiers. Value-equatable.
/// </summary>
/// <param name="Name">The row family's name: the resource's name, or the label of a pure constraint.</param>
/// <param name="Resource">The resource this row budgets, or null for a labelled constraint.</param>
/// <param name="Quantifiers">Index variables the row is repeated over, in the resource's index order.</param>
/// <param name="Terms">The load terms.</param>
/// <param name="Sense">The row's sense after normalisation.</param>
/// <param name="Rhs">The right-hand side (the budget), per member.</param>
/// <param name="Statement">The fibre statement, quoted verbatim (comments stripped) for generated comments.</param>
public sealed record CouplingSpec(
    string Name,
    string? Resource,
    EquatableArray<IndexBinding> Quantifiers,
    EquatableArray<TermSpec> Terms,
    RowSense Sense,
    ValueSpec Rhs,
    string Statement);
