using Sigil.Runtime.Solvers;

namespace Sigil.Language.Model;

/// <summary>
/// What the compiler's analyses found. Computed once from the bound fibre; every backend reads
/// these numbers and none recomputes them. Value-equatable.
/// </summary>
/// <param name="Utilities">Concavity and curvature per utility.</param>
/// <param name="Feasibility">Per row family: the least load the bounds allow against the budget.</param>
/// <param name="MinCurvature">mu: the least -U''(x) over all variables and their bounds (0 for linear utilities).</param>
/// <param name="NormASquared">An upper bound on ||A||_2^2 (from ||A||_1 ||A||_inf, dynamic index sets at their capacity).</param>
/// <param name="Lipschitz">L = ||A||^2 / mu, the Lipschitz constant of the dual gradient; infinity when mu is 0.</param>
/// <param name="MaxStableStep">2 / L: dual steps below it converge; 0 when L is infinite.</param>
/// <param name="LoadErrorBound">G: a bound on |A x - c| per row over the variables' bounds.</param>
/// <param name="DriftBound">gamma^2 G^2: the bound on the Lyapunov drift of V = ||pi - pi*||^2 per update.</param>
/// <param name="Graph">The resource dependence graph.</param>
public sealed record AnalysisSpec(
    EquatableArray<UtilityAnalysisSpec> Utilities,
    EquatableArray<FeasibilitySpec> Feasibility,
    double MinCurvature,
    double NormASquared,
    double Lipschitz,
    double MaxStableStep,
    double LoadErrorBound,
    double DriftBound,
    DependenceGraphSpec Graph);

/// <summary>Concavity of one utility over its variable's bounds.</summary>
/// <param name="Variable">The variable family.</param>
/// <param name="Family">The recognised family.</param>
/// <param name="IsConcave">True when concave on the bounds (always, once recognised; kept for reports).</param>
/// <param name="MinCurvature">Least -U'' over the bounds and members.</param>
/// <param name="MaxCurvature">Largest -U'' over the bounds and members.</param>
public sealed record UtilityAnalysisSpec(
    string Variable,
    UtilityKind Family,
    bool IsConcave,
    double MinCurvature,
    double MaxCurvature);

/// <summary>Feasibility of one row family: the minimum load the lower bounds force, against the budget.</summary>
/// <param name="Row">The row family's name.</param>
/// <param name="MinLoad">The least load of the worst member.</param>
/// <param name="Budget">That member's budget.</param>
/// <param name="IsFeasible">MinLoad &lt;= Budget (or, for an equality, the bounds can meet it).</param>
public sealed record FeasibilitySpec(string Row, double MinLoad, double Budget, bool IsFeasible);

/// <summary>
/// The resource dependence graph over row families: two are linked when one variable family loads
/// both. Chordality by maximum cardinality search, with a perfect elimination ordering as witness
/// and the maximal cliques it yields.
/// </summary>
/// <param name="Nodes">Row family names, sorted ordinally.</param>
/// <param name="Edges">Edges as (a, b) with a &lt; b ordinally, sorted.</param>
/// <param name="IsChordal">True when the graph is chordal.</param>
/// <param name="PerfectEliminationOrdering">A perfect elimination ordering when chordal, else empty.</param>
/// <param name="Cliques">Maximal cliques (each sorted), when chordal.</param>
public sealed record DependenceGraphSpec(
    EquatableArray<string> Nodes,
    EquatableArray<GraphEdge> Edges,
    bool IsChordal,
    EquatableArray<string> PerfectEliminationOrdering,
    EquatableArray<Clique> Cliques);

/// <summary>An undirected edge.</summary>
/// <param name="A">The ordinally smaller end.</param>
/// <param name="B">The other end.</param>
public sealed record GraphEdge(string A, string B);

/// <summary>A clique.</summary>
/// <param name="Members">Node names, sorted.</param>
public sealed record Clique(EquatableArray<string> Members);
