using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The outcome of one solve, with the evidence needed to trust it: the primal point and its
/// residuals, the prices and the dual bound they certify, and the gap between the two.
/// </summary>
/// <remarks>
/// <para>
/// Primal residuals are measured on <see cref="X"/>: a row's violation is <c>(a_l x - c_l)+</c>
/// on a <c>&lt;=</c> row and <c>|a_l x - c_l|</c> on a <c>==</c> row; the relative violation divides by
/// <c>|c_l|</c> (or 1 when <c>c_l = 0</c>).
/// </para>
/// <para>
/// <see cref="DualObjective"/> is the Lagrange dual <c>D(pi) = sum_s max_x [U_s(x) - q_s x] + c^T pi</c>
/// at <see cref="Prices"/>, an upper bound on the optimum (prices of <c>&lt;=</c> rows are &gt;= 0).
/// When <see cref="X"/> is feasible, <see cref="DualityGap"/> bounds how far
/// <see cref="PrimalObjective"/> is from the optimum.
/// </para>
/// </remarks>
public sealed class SolverResult
{
    /// <summary>The engine that produced the result.</summary>
    public required SolverKind Method { get; init; }

    /// <summary>The primal point (recovered onto the feasible set when <see cref="Recovered"/>).</summary>
    public required double[] X { get; init; }

    /// <summary>The resource prices <c>pi</c> (for ADMM, <c>rho u</c>; for penalty, <c>mu [A x - c]+</c> at its fixed point).</summary>
    public required double[] Prices { get; init; }

    /// <summary>The loads <c>A X</c>.</summary>
    public required double[] Loads { get; init; }

    /// <summary>Iterations run.</summary>
    public required int Iterations { get; init; }

    /// <summary>How the solve ended (see <see cref="SolveStatus"/>); only <see cref="SolveStatus.Solved"/> claims optimality.</summary>
    public required SolveStatus Status { get; init; }

    /// <summary>True exactly when <see cref="Status"/> is <see cref="SolveStatus.Solved"/>.</summary>
    public bool Converged => Status == SolveStatus.Solved;

    /// <summary>The returned point's residuals over their allowances (each at most 1 when solved).</summary>
    public required Accuracy Accuracy { get; init; }

    /// <summary>The tolerances the status was judged by.</summary>
    public required Tolerances Tolerances { get; init; }

    /// <summary>For <see cref="SolveStatus.PrimalInfeasible"/>, the Farkas prices (see <see cref="Infeasibility.Margin{TAgents}"/>); else null.</summary>
    public double[]? InfeasibilityCertificate { get; init; }

    /// <summary>For <see cref="SolveStatus.DualInfeasible"/>, the direction of unbounded growth; else null.</summary>
    public double[]? UnboundedDirection { get; init; }

    /// <summary>Wall-clock time of the solve.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Worst row violation of <see cref="X"/>, in the row's units.</summary>
    public required double PrimalResidual { get; init; }

    /// <summary>Worst relative row violation of <see cref="X"/> (0.001 = 0.1% overload).</summary>
    public required double RelativePrimalResidual { get; init; }

    /// <summary>
    /// The worst stationarity residual of the returned pair: <c>U'_s(x_s) - q_s</c> with
    /// <c>q = A^T pi</c>, projected on the normal cone of the agent's box (zero exactly at a KKT point).
    /// </summary>
    public required double DualResidual { get; init; }

    /// <summary><c>sum_s U_s(X_s)</c>.</summary>
    public required double PrimalObjective { get; init; }

    /// <summary>The dual function at <see cref="Prices"/>.</summary>
    public required double DualObjective { get; init; }

    /// <summary><see cref="DualObjective"/> - <see cref="PrimalObjective"/>.</summary>
    public double DualityGap => DualObjective - PrimalObjective;

    /// <summary>The gap divided by <c>max(1, |primal|, |dual|)</c>.</summary>
    public double RelativeDualityGap =>
        DualityGap / Math.Max(1.0, Math.Max(Math.Abs(PrimalObjective), Math.Abs(DualObjective)));

    /// <summary>
    /// True when <see cref="X"/> was recovered from the iterate by scaling each agent towards its
    /// lower bound until every <c>&lt;=</c> row holds (possible when <c>A &gt;= 0</c>).
    /// </summary>
    public required bool Recovered { get; init; }

    /// <summary>Worst relative row violation of the iterate before any recovery.</summary>
    public required double IterateRelativeOverload { get; init; }
}
