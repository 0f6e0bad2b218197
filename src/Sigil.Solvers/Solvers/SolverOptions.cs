using System;

namespace Sigil.Runtime.Solvers;

/// <summary>How the dual engine moves the prices.</summary>
public enum DualStepRule
{
    /// <summary>
    /// Curvature-scaled (diagonal Newton-like) steps with Nesterov momentum and adaptive restart;
    /// no step size to tune. The default.
    /// </summary>
    Scaled,

    /// <summary>
    /// The classical projected dual update <c>pi &lt;- [pi + gamma (A x - c)]+</c> with the fixed step
    /// <see cref="DualOptions.Step"/> (the update whose Lyapunov certificate needs <c>gamma &lt; 2/L</c>).
    /// </summary>
    Fixed,
}

/// <summary>What every engine's settings share: the tolerances its status is judged by and its limits. Value-equatable.</summary>
public abstract record SolverLimits
{
    /// <summary><c>eps_abs</c>: the floor of every test (see <see cref="SolveStatus.Solved"/>).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary><c>eps_rel</c>: stationarity and the duality gap, relative to their terms.</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary><c>eps_feas</c>: each row's violation, relative to <c>max(sum_s |A_ls x_s|, |c_l|)</c>.</summary>
    public double FeasibilityTolerance { get; init; } = 1e-4;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    /// <summary>Wall-clock limit (none when null); checked where the stopping tests are.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Passes of Ruiz equilibration before solving (0: none). The QP engine scales rows and variables
    /// of its KKT matrix; the dual, penalty and ADMM engines scale rows only (their iterates do not
    /// depend on the variables' units; see the engines' README). Answers, prices, statuses and
    /// tolerances are always in the fibre's own units. The dual's fixed step rule is not scaled.
    /// </summary>
    public int ScalingPasses { get; init; } = 10;

    /// <summary>The tolerances as one value.</summary>
    public Tolerances Tolerances => new(AbsoluteTolerance, RelativeTolerance, FeasibilityTolerance);

    /// <summary>Checks what every engine's settings share.</summary>
    private protected void ValidateLimits()
    {
        Tolerances.Validate();
        SolverChecks.PositiveCount(MaxIterations, nameof(MaxIterations));
        if (ScalingPasses < 0)
        {
            throw new ArgumentException($"ScalingPasses must be >= 0, got {ScalingPasses}.", nameof(ScalingPasses));
        }
    }
}

/// <summary>Settings of <see cref="DualSolver{TAgents}"/>. Value-equatable.</summary>
public sealed record DualOptions : SolverLimits
{
    /// <summary>The step rule.</summary>
    public DualStepRule Rule { get; init; } = DualStepRule.Scaled;

    /// <summary>
    /// For <see cref="DualStepRule.Fixed"/>, the step gamma. For <see cref="DualStepRule.Scaled"/>, a
    /// multiplier on the curvature-scaled step (1 is the step the curvature bound makes safe).
    /// </summary>
    public double Step { get; init; } = 1.0;

    /// <summary>Nesterov momentum with gradient restart (scaled rule only).</summary>
    public bool Accelerate { get; init; } = true;

    /// <summary>Recover an exactly feasible primal by scaling, when <c>A &gt;= 0</c>.</summary>
    public bool Recover { get; init; } = true;

    internal void Validate()
    {
        SolverChecks.Positive(Step, nameof(Step));
        ValidateLimits();
        if (Rule is not (DualStepRule.Scaled or DualStepRule.Fixed))
        {
            throw new ArgumentException($"Unknown dual step rule {(int)Rule}.", nameof(Rule));
        }
    }
}

/// <summary>Settings of <see cref="PenaltySolver{TAgents}"/>. Value-equatable.</summary>
public sealed record PenaltyOptions : SolverLimits
{
    /// <summary>
    /// The first penalty weight mu: prices are <c>mu [A x - c]+</c>, and rows overload by <c>pi / mu</c>.
    /// While the penalised optimum overloads a row beyond <see cref="SolverLimits.FeasibilityTolerance"/>, mu grows by
    /// <see cref="MuGrowth"/> and the solve continues from the current prices.
    /// </summary>
    public double Mu { get; init; } = 1.0;

    /// <summary>The factor mu grows by (1 keeps mu fixed: the answer is then the penalised optimum, with its status, which an infeasible instance has too).</summary>
    public double MuGrowth { get; init; } = 10.0;

    internal void Validate()
    {
        SolverChecks.Positive(Mu, nameof(Mu));
        if (!(MuGrowth >= 1) || !double.IsFinite(MuGrowth))
        {
            throw new ArgumentException($"MuGrowth must be finite and >= 1, got {MuGrowth}.", nameof(MuGrowth));
        }

        ValidateLimits();
    }
}

/// <summary>Settings of <see cref="AdmmSolver{TAgents}"/>. Value-equatable.</summary>
public sealed record AdmmOptions : SolverLimits
{
    /// <summary>The augmented-Lagrangian penalty rho (initial value when <see cref="AdaptiveRho"/>).</summary>
    public double Rho { get; init; } = 1.0;

    /// <summary>Residual balancing (Boyd et al. 2011, §3.4.1): rho doubles or halves when one residual is 10x the other.</summary>
    public bool AdaptiveRho { get; init; } = true;

    /// <summary>Residuals are measured (and rho adapted) every this many iterations.</summary>
    public int CheckInterval { get; init; } = 1;

    internal void Validate()
    {
        SolverChecks.Positive(Rho, nameof(Rho));
        ValidateLimits();
        SolverChecks.PositiveCount(CheckInterval, nameof(CheckInterval));
    }
}

/// <summary>Settings of <see cref="QpSolver{TAgents}"/>. Value-equatable.</summary>
public sealed record QpOptions : SolverLimits
{
    /// <summary>The first rho (of inequality rows and bounds; equality rows get 1000 times it); adapted by residual balancing.</summary>
    public double Rho { get; init; } = 0.1;

    /// <summary>Polish the active set once the residuals hold.</summary>
    public bool Polish { get; init; } = true;

    /// <summary>Adapt rho by OSQP's residual balancing (refactorising when it moves by more than 5x).</summary>
    public bool AdaptiveRho { get; init; } = true;

    /// <summary>Residuals and the certificates are looked at every this many iterations.</summary>
    public int CheckInterval { get; init; } = 10;

    /// <summary>Rho is reconsidered every this many iterations (OSQP's <c>adaptive_rho_interval</c>, 50 in OSQP 1.0).</summary>
    public int RhoInterval { get; init; } = 50;

    internal void Validate()
    {
        SolverChecks.Positive(Rho, nameof(Rho));
        ValidateLimits();
        SolverChecks.PositiveCount(CheckInterval, nameof(CheckInterval));
        SolverChecks.PositiveCount(RhoInterval, nameof(RhoInterval));
    }
}

internal static class SolverChecks
{
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be finite and > 0, got {value}.", name);
        }
    }

    public static void PositiveCount(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be > 0, got {value}.", name);
        }
    }
}
