using System;

namespace Sigil.Runtime.Solvers;

/// <summary>The endings the engines share: certificates found before or during a solve, and their results.</summary>
internal static class Outcome
{
    /// <summary>
    /// Before iterating: a row its bounds alone make impossible, or an agent whose utility grows
    /// without bound, settles the solve (O(nnz)); null otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">A lower bound is infinite and the method is not the QP engine.</exception>
    public static SolverResult? Presolve<TAgents>(NumProblem<TAgents> problem, SolverKind method, Tolerances tolerances)
        where TAgents : struct, IAgentStep
    {
        if (method != SolverKind.Qp)
        {
            AgentChecks.FiniteLower(problem, method);
        }

        if (Infeasibility.RowCertificate(problem) is { } y)
        {
            return Failed(problem, method, tolerances, SolveStatus.PrimalInfeasible, 0, TimeSpan.Zero, y);
        }

        if (Infeasibility.UnboundedDirection(problem) is { } d)
        {
            return Failed(problem, method, tolerances, SolveStatus.DualInfeasible, 0, TimeSpan.Zero, null, d);
        }

        return null;
    }

    /// <summary>
    /// During a solve: prices that left the finite numbers end it (<see cref="SolveStatus.NumericalFailure"/>
    /// unless their last finite growth proves infeasibility); prices that grew since <paramref name="before"/>
    /// are tried as a Farkas certificate, as is their growth (for ADMM, the <c>delta y</c> certificate).
    /// </summary>
    public static SolveStatus? FarkasCandidate<TAgents>(
        NumProblem<TAgents> problem, ReadOnlySpan<double> prices, ReadOnlySpan<double> before, out double[]? certificate)
        where TAgents : struct, IAgentStep
    {
        certificate = null;
        double now = 0, then = 0;
        bool finite = true;
        for (int l = 0; l < prices.Length; l++)
        {
            finite &= double.IsFinite(prices[l]);
            now = Math.Max(now, Math.Abs(prices[l]));
            then = Math.Max(then, Math.Abs(before[l]));
        }

        if (!finite)
        {
            if (Infeasibility.Proves(problem, before))
            {
                certificate = before.ToArray();
                return SolveStatus.PrimalInfeasible;
            }

            return SolveStatus.NumericalFailure;
        }

        if (!(now > then))
        {
            return null;
        }

        var growth = new double[prices.Length];
        for (int l = 0; l < prices.Length; l++)
        {
            double d = prices[l] - before[l];
            growth[l] = problem.Senses[l] == RowSense.LessOrEqual ? Math.Max(d, 0) : d;
        }

        if (Infeasibility.Proves(problem, growth))
        {
            certificate = growth;
            return SolveStatus.PrimalInfeasible;
        }

        if (Infeasibility.Proves(problem, prices))
        {
            certificate = prices.ToArray();
            return SolveStatus.PrimalInfeasible;
        }

        return null;
    }

    /// <summary>A result that carries an answer: the returned point, its prices and loads, and how it was judged.</summary>
    public static SolverResult Answer<TAgents>(
        NumProblem<TAgents> problem,
        SolverKind method,
        Tolerances tolerances,
        SolveStatus status,
        int iterations,
        TimeSpan elapsed,
        (double[] X, double[] Prices, double[] Load) point,
        (double Primal, double Dual) objectives,
        Accuracy accuracy,
        bool recovered,
        double? iterateViolation,
        (double[]? Certificate, double[]? Direction) evidence = default)
        where TAgents : struct, IAgentStep
    {
        (double absolute, double relative) = Certificate<TAgents>.Violation(point.Load, problem.Capacity, problem.Senses);
        return new SolverResult
        {
            Method = method,
            X = point.X,
            Prices = point.Prices,
            Loads = point.Load,
            Iterations = iterations,
            Status = status,
            Accuracy = accuracy,
            Tolerances = tolerances,
            Elapsed = elapsed,
            PrimalResidual = absolute,
            RelativePrimalResidual = relative,
            DualResidual = accuracy.WorstStationarity,
            PrimalObjective = objectives.Primal,
            DualObjective = objectives.Dual,
            Recovered = recovered,
            IterateRelativeOverload = iterateViolation ?? relative,
            InfeasibilityCertificate = evidence.Certificate,
            UnboundedDirection = evidence.Direction,
        };
    }

    /// <summary>A result that carries a certificate or a failure instead of an answer: x at the box point nearest 0, zero prices.</summary>
    public static SolverResult Failed<TAgents>(
        NumProblem<TAgents> problem,
        SolverKind method,
        Tolerances tolerances,
        SolveStatus status,
        int iterations,
        TimeSpan elapsed,
        double[]? certificate,
        double[]? direction = null)
        where TAgents : struct, IAgentStep
    {
        TAgents agents = problem.Agents;
        var x = new double[problem.AgentCount];
        for (int s = 0; s < x.Length; s++)
        {
            x[s] = Math.Min(Math.Max(0, agents.Lower(s)), agents.Upper(s));
        }

        var load = new double[problem.ResourceCount];
        problem.Coupling.Multiply(x, load);
        var unknown = new Accuracy(double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        return Answer(
            problem,
            method,
            tolerances,
            status,
            iterations,
            elapsed,
            (x, new double[problem.ResourceCount], load),
            (double.NaN, double.NaN),
            unknown,
            recovered: false,
            iterateViolation: null,
            (certificate, direction));
    }
}
