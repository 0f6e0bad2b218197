namespace Sigil.Runtime.Solvers;

/// <summary>The engine behind a solver result.</summary>
public enum SolverKind
{
    /// <summary>Dual decomposition (<c>DualSolver</c>).</summary>
    Dual,

    /// <summary>ADMM in sharing form (<c>AdmmSolver</c>).</summary>
    Admm,

    /// <summary>Penalty (<c>PenaltySolver</c>).</summary>
    Penalty,

    /// <summary>ADMM on the exact KKT system, for linear and quadratic utilities (<c>QpSolver</c>).</summary>
    Qp,
}
