namespace Sigil.Language.Model;

/// <summary>The decomposition a fibre is solved by.</summary>
public enum SolverMethod
{
    /// <summary>Dual decomposition: pi &lt;- [pi + step (A x - c)]+.</summary>
    Dual,

    /// <summary>ADMM in resource-allocation (sharing) form; price = rho u.</summary>
    Admm,

    /// <summary>Penalty: price = mu [A x - c]+.</summary>
    Penalty,
}

/// <summary>How the offline dual method moves its prices (<c>solve dual { rule = fixed; }</c>).</summary>
public enum SolverRule
{
    /// <summary>Curvature-scaled steps with momentum and restart; no step to tune (the default).</summary>
    Scaled,

    /// <summary>The classical projected update with the fixed step gamma (the update <c>certify step</c> and <c>certify lyapunov</c> speak of).</summary>
    Fixed,
}

/// <summary>The solver settings (<c>solve dual { step = 0.5; online; }</c>). Value-equatable.</summary>
/// <param name="Method">The decomposition.</param>
/// <param name="Step">Dual step gamma (dual).</param>
/// <param name="Rho">ADMM penalty rho (admm).</param>
/// <param name="Mu">Penalty weight mu (penalty).</param>
/// <param name="AbsoluteTolerance">Absolute tolerance on residuals.</param>
/// <param name="RelativeTolerance">Relative tolerance on residuals.</param>
/// <param name="MaxIterations">Iteration cap.</param>
/// <param name="Online">True when loads are sensed rather than computed.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
/// <param name="FeasibilityTolerance">Row violation allowed, relative to the row's terms (default: the relative tolerance).</param>
/// <param name="Rule">The dual step rule (dual).</param>
public sealed record SolverSpec(
    SolverMethod Method,
    double Step,
    double Rho,
    double Mu,
    double AbsoluteTolerance,
    double RelativeTolerance,
    int MaxIterations,
    bool Online,
    string Statement,
    double FeasibilityTolerance = 1e-4,
    SolverRule Rule = SolverRule.Scaled)
{
    /// <summary>
    /// True when ADMM must keep <see cref="Rho"/> fixed for the whole solve: the fibre asks for
    /// <c>certify admm</c>, whose Lyapunov theorem is proved for one rho (Admm.v), so residual
    /// balancing is off and the sharing-form engine runs even where the QP engine would accept the
    /// utilities. Set by the analysis; false for every other method.
    /// </summary>
    public bool FixedRho { get; init; }
}
