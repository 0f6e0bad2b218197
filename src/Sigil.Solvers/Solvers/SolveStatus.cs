namespace Sigil.Runtime.Solvers;

/// <summary>
/// How a solve ended. Only <see cref="Solved"/> says the returned point is optimal to the stated
/// tolerances; every other status says what is known instead.
/// </summary>
public enum SolveStatus
{
    /// <summary>
    /// The returned point meets every test of <see cref="Tolerances"/>: each row holds within
    /// <c>eps_abs + eps_feas max(sum_s |A_ls x_s|, |c_l|)</c>, each agent's stationarity residual is within
    /// <c>eps_abs + eps_rel max(|U'_s(x_s)|, sum_l |A_ls pi_l|)</c>, and the duality gap within
    /// <c>eps_abs + eps_rel max(|primal|, |dual|)</c> (measured after any primal recovery).
    /// </summary>
    Solved,

    /// <summary>The solve stopped at a limit with every test within ten times its tolerance.</summary>
    SolvedInaccurate,

    /// <summary>The iteration cap was reached before the tests held (to ten times their tolerance).</summary>
    IterationLimit,

    /// <summary>The time limit was reached before the tests held (to ten times their tolerance).</summary>
    TimeLimit,

    /// <summary>
    /// No point satisfies the rows and bounds: <see cref="SolverResult.InfeasibilityCertificate"/> holds
    /// prices <c>y</c> (<c>y_l &gt;= 0</c> on <c>&lt;=</c> rows) with
    /// <c>min_{x in box} y^T A x &gt; c^T y</c>; check it with <see cref="Infeasibility.Margin{TAgents}"/>.
    /// </summary>
    PrimalInfeasible,

    /// <summary>
    /// The objective is unbounded above (a linear utility with an infinite bound):
    /// <see cref="SolverResult.UnboundedDirection"/> holds a direction <c>d</c> of the box's recession cone
    /// with <c>A d &lt;= 0</c> (<c>== 0</c> on equality rows) along which the utility grows without bound.
    /// </summary>
    DualInfeasible,

    /// <summary>The iterates left the finite numbers (prices or loads overflowed) and no certificate was found.</summary>
    NumericalFailure,
}
