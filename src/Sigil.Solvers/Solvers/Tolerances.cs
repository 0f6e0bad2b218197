using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The accuracy a solve must reach before it may say <see cref="SolveStatus.Solved"/>, relative to
/// the scale of the data (OSQP's <c>eps_abs + eps_rel * scale</c>, row by row and agent by agent).
/// </summary>
/// <param name="Absolute"><c>eps_abs</c>: the floor of every test, in the data's own units.</param>
/// <param name="Relative"><c>eps_rel</c>: stationarity and the duality gap, relative to their terms' magnitude.</param>
/// <param name="Feasibility"><c>eps_feas</c>: each row's violation, relative to <c>max(sum_s |A_ls x_s|, |c_l|)</c>.</param>
public readonly record struct Tolerances(double Absolute, double Relative, double Feasibility)
{
    /// <summary>A solve stopped at a limit is <see cref="SolveStatus.SolvedInaccurate"/> within this many tolerances.</summary>
    public const double InaccurateFactor = 10;

    /// <summary>The language's defaults: <c>eps_abs = 1e-6</c>, <c>eps_rel = eps_feas = 1e-4</c>.</summary>
    public static Tolerances Default => new(1e-6, 1e-4, 1e-4);

    internal void Validate()
    {
        SolverChecks.Positive(Absolute, "AbsoluteTolerance");
        SolverChecks.Positive(Relative, "RelativeTolerance");
        SolverChecks.Positive(Feasibility, "FeasibilityTolerance");
    }
}

/// <summary>
/// How far a returned point is from meeting each test of <see cref="Tolerances"/>: each field is the
/// worst residual divided by its allowance, so 1 or less passes.
/// </summary>
/// <param name="Primal">Worst row violation over its allowance.</param>
/// <param name="Dual">Worst agent stationarity residual over its allowance.</param>
/// <param name="Gap">Duality gap over its allowance.</param>
/// <param name="WorstStationarity">Worst agent stationarity residual, in utility units per unit of x.</param>
public readonly record struct Accuracy(double Primal, double Dual, double Gap, double WorstStationarity)
{
    /// <summary>The largest of the three ratios (NaN counts as failing).</summary>
    public double Worst
    {
        get
        {
            double worst = Math.Max(Primal, Math.Max(Dual, Gap));
            return double.IsNaN(worst) ? double.PositiveInfinity : worst;
        }
    }

    /// <summary>True when every test holds.</summary>
    public bool Holds => Worst <= 1;

    /// <summary>The status of a solve that stopped here: solved when every test holds, else the limit's status.</summary>
    public SolveStatus Classify(bool timedOut) =>
        Holds ? SolveStatus.Solved
        : Worst <= Tolerances.InaccurateFactor ? SolveStatus.SolvedInaccurate
        : timedOut ? SolveStatus.TimeLimit
        : SolveStatus.IterationLimit;
}
