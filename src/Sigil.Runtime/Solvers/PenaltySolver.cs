using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The penalty method: prices are <c>pi = mu [A x - c]+</c> (<c>mu (A x - c)</c> on <c>==</c> rows) at the
/// agents' response <c>x = argmax U(x) - (A^T pi) x</c>.
/// </summary>
/// <remarks>
/// <para>
/// That fixed point is the optimum of the penalised problem
/// <c>max sum_s U_s(x_s) - (mu/2) ||[A x - c]+||^2</c>, whose dual is the Lagrange dual plus
/// <c>||pi||^2 / (2 mu)</c>: strongly convex, so the engine finds it with the same curvature-scaled,
/// accelerated iteration as <see cref="DualSolver{TAgents}"/> (the naive iteration
/// <c>pi &lt;- mu [A x(pi) - c]+</c> oscillates once mu exceeds the inverse curvature).
/// </para>
/// <para>
/// Stated accuracy: the result is exact for the budgets <c>c + pi / mu</c>; each row overloads by
/// exactly <c>pi_l / mu</c> (so the single-link log solution is <c>x_i = w_i (c + pi/mu) / sum w</c>).
/// Stopping rule: every row's overload is within <see cref="PenaltyOptions.Tolerance"/> of its fixed
/// point, <c>|pi_l / mu - [a_l x - c_l]+| &lt;= Tolerance * max(1, |c_l|)</c> (measured in the row's
/// units, so the test stays meaningful for large mu).
/// <see cref="SolverResult.X"/> is the penalised optimum itself (not recovered), so the reported
/// gap against the Lagrange dual may be negative by up to the penalty's overload value.
/// </para>
/// </remarks>
/// <typeparam name="TAgents">The agent type.</typeparam>
public sealed class PenaltySolver<TAgents>
    where TAgents : struct, IAgentStep
{
    private readonly DualEngine<TAgents> _engine;

    /// <summary>Builds the solver and its work buffers for <paramref name="problem"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public PenaltySolver(NumProblem<TAgents> problem, PenaltyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? new PenaltyOptions();
        Options.Validate();
        Problem = problem;
        _engine = new DualEngine<TAgents>(problem, scaled: true, accelerate: true, step: 1.0, inverseMu: 1 / Options.Mu);
        _engine.Reset(default);
    }

    /// <summary>The problem.</summary>
    public NumProblem<TAgents> Problem { get; }

    /// <summary>The options.</summary>
    public PenaltyOptions Options { get; }

    /// <summary>Solves from the cold-start price estimate.</summary>
    public SolverResult Solve() => Solve(default);

    /// <summary>Solves from the given prices (a warm start).</summary>
    /// <exception cref="ArgumentException">The prices have the wrong length or are not finite.</exception>
    public SolverResult Solve(ReadOnlySpan<double> initialPrices)
    {
        _engine.Reset(initialPrices);
        bool store = false;
        while (true)
        {
            bool last = _engine.Iterations + 1 >= Options.MaxIterations;
            store |= last;
            (double utility, double payment) = _engine.Pass(store);
            RowStatistics st = _engine.Measure();
            bool converged = st.FixedPointResidual <= Options.Tolerance;
            if (store && (converged || last))
            {
                return Result(utility, payment, st, converged);
            }

            _engine.Advance();
            store = converged;
        }
    }

    /// <summary>Resets the iteration to the given prices (cold start when empty), for <see cref="Iterate"/>.</summary>
    public void Reset(ReadOnlySpan<double> initialPrices = default) => _engine.Reset(initialPrices);

    /// <summary>Runs <paramref name="count"/> iterations without stopping checks; allocates nothing.</summary>
    public void Iterate(int count) => _engine.Iterate(count);

    private SolverResult Result(double utility, double payment, RowStatistics st, bool converged)
    {
        double[] prices = new double[Problem.ResourceCount];
        _engine.CopyPrices(prices);
        double[] load = (double[])_engine.Load.Clone();
        (double absolute, double relative) = Certificate<TAgents>.Violation(load, Problem.Capacity, Problem.Senses);
        return new SolverResult
        {
            Method = SolverKind.Penalty,
            X = (double[])_engine.X.Clone(),
            Prices = prices,
            Loads = load,
            Iterations = _engine.Iterations,
            Converged = converged,
            PrimalResidual = absolute,
            RelativePrimalResidual = relative,
            DualResidual = st.FixedPointResidual,
            PrimalObjective = utility,
            DualObjective = _engine.DualObjective(utility, payment),
            Recovered = false,
            IterateRelativeOverload = relative,
        };
    }
}
