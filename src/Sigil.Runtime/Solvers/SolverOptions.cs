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

/// <summary>Settings of <see cref="DualSolver{TAgents}"/>. Value-equatable.</summary>
public sealed record DualOptions
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

    /// <summary>Stop when the relative duality gap is at most this.</summary>
    public double GapTolerance { get; init; } = 1e-4;

    /// <summary>... and the returned point's worst relative row violation is at most this (0.001 = 0.1%).</summary>
    public double FeasibilityTolerance { get; init; } = 1e-3;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    /// <summary>Recover an exactly feasible primal by scaling, when <c>A &gt;= 0</c>.</summary>
    public bool Recover { get; init; } = true;

    internal void Validate()
    {
        SolverChecks.Positive(Step, nameof(Step));
        SolverChecks.Positive(GapTolerance, nameof(GapTolerance));
        SolverChecks.Positive(FeasibilityTolerance, nameof(FeasibilityTolerance));
        SolverChecks.PositiveCount(MaxIterations, nameof(MaxIterations));
        if (Rule is not (DualStepRule.Scaled or DualStepRule.Fixed))
        {
            throw new ArgumentException($"Unknown dual step rule {(int)Rule}.", nameof(Rule));
        }
    }
}

/// <summary>Settings of <see cref="PenaltySolver{TAgents}"/>. Value-equatable.</summary>
public sealed record PenaltyOptions
{
    /// <summary>The penalty weight mu: prices are <c>mu [A x - c]+</c>, and rows overload by <c>pi / mu</c>.</summary>
    public double Mu { get; init; } = 100.0;

    /// <summary>
    /// Stop when every row's overload is this close to its fixed point <c>pi_l / mu</c>:
    /// <c>|pi_l / mu - [a_l x - c_l]+| &lt;= Tolerance * max(1, |c_l|)</c>.
    /// </summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    internal void Validate()
    {
        SolverChecks.Positive(Mu, nameof(Mu));
        SolverChecks.Positive(Tolerance, nameof(Tolerance));
        SolverChecks.PositiveCount(MaxIterations, nameof(MaxIterations));
    }
}

/// <summary>Settings of <see cref="AdmmSolver{TAgents}"/>. Value-equatable.</summary>
public sealed record AdmmOptions
{
    /// <summary>The augmented-Lagrangian penalty rho (initial value when <see cref="AdaptiveRho"/>).</summary>
    public double Rho { get; init; } = 1.0;

    /// <summary>Residual balancing (Boyd et al. 2011, §3.4.1): rho doubles or halves when one residual is 10x the other.</summary>
    public bool AdaptiveRho { get; init; } = true;

    /// <summary>Absolute tolerance <c>eps_abs</c> of the residual stopping rule (Boyd et al. 2011, §3.3.1).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>Relative tolerance <c>eps_rel</c> of the residual stopping rule.</summary>
    public double RelativeTolerance { get; init; } = 1e-4;

    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; init; } = 20_000;

    /// <summary>Residuals are measured (and rho adapted) every this many iterations.</summary>
    public int CheckInterval { get; init; } = 1;

    internal void Validate()
    {
        SolverChecks.Positive(Rho, nameof(Rho));
        SolverChecks.Positive(AbsoluteTolerance, nameof(AbsoluteTolerance));
        SolverChecks.Positive(RelativeTolerance, nameof(RelativeTolerance));
        SolverChecks.PositiveCount(MaxIterations, nameof(MaxIterations));
        SolverChecks.PositiveCount(CheckInterval, nameof(CheckInterval));
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
