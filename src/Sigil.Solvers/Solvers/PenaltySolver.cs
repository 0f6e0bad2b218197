using System;
using System.Diagnostics;

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
/// A fixed point is exact for the budgets <c>c + pi / mu</c>: each row overloads by <c>pi_l / mu</c>
/// (so the single-link log solution is <c>x_i = w_i (c + pi/mu) / sum w</c>). Stopping rule
/// (continuation): at each fixed point (every row's overload within a tenth of the feasibility tolerance of
/// <c>pi_l / mu</c>) the returned point is assessed (recovered onto the feasible set when <c>A &gt;= 0</c> and mu may grow);
/// it is <see cref="SolveStatus.Solved"/> when it meets <see cref="SolverLimits.Tolerances"/>, else mu grows by
/// <see cref="PenaltyOptions.MuGrowth"/> and the iteration goes on from the current prices.
/// </para>
/// </remarks>
/// <typeparam name="TAgents">The agent type.</typeparam>
public sealed class PenaltySolver<TAgents>
    where TAgents : struct, IAgentStep
{
    private readonly DualEngine<TAgents> _engine;
    private readonly bool _recover;
    private readonly double[] _prices;
    private readonly double[] _before;

    /// <summary>Builds the solver and its work buffers for <paramref name="problem"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public PenaltySolver(NumProblem<TAgents> problem, PenaltyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? new PenaltyOptions();
        Options.Validate();
        Problem = problem;
        _engine = new DualEngine<TAgents>(problem, scaled: true, accelerate: true, step: 1.0, inverseMu: 1 / Options.Mu, Options.ScalingPasses);
        _recover = problem.Coupling.IsNonnegative && Options.MuGrowth > 1;
        _prices = new double[problem.ResourceCount];
        _before = new double[problem.ResourceCount];
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
        long started = Stopwatch.GetTimestamp();
        _engine.Reset(initialPrices);

        // With mu fixed the answer is the penalised optimum, which every instance has (an
        // infeasible one overloads its rows by pi / mu): no infeasibility test applies.
        bool fixedMu = Options.MuGrowth == 1;
        if (!fixedMu && Outcome.Presolve(Problem, SolverKind.Penalty, Options.Tolerances) is { } settled)
        {
            return settled;
        }

        double mu = Options.Mu;
        _engine.SetInverseMu(1 / mu);
        _engine.CopyPrices(_before);
        bool store = false;
        bool timed = Options.TimeLimit is not null;

        // The fixed point is found to a tenth of the feasibility tolerance (in row units), so that
        // the overload measured there is the penalty's and not the iteration's.
        double fixedPointTolerance = 0.1 * Options.FeasibilityTolerance;
        while (true)
        {
            bool outOfTime = timed && Stopwatch.GetElapsedTime(started) >= Options.TimeLimit!.Value;
            bool last = _engine.Iterations + 1 >= Options.MaxIterations || outOfTime;
            store |= last;
            (double utility, double payment) = _engine.Pass(store);
            RowStatistics st = _engine.Measure();
            bool fixedPoint = st.FixedPointResidual <= fixedPointTolerance;
            if (store && (fixedPoint || last))
            {
                Evaluation e = Evaluate(utility, payment);
                if (e.Accuracy.Holds)
                {
                    return Result(e, SolveStatus.Solved, mu, started);
                }

                if (fixedMu && fixedPoint)
                {
                    return Result(e, e.Accuracy.Classify(outOfTime), mu, started);
                }

                _engine.CopyPrices(_prices);
                if (Outcome.FarkasCandidate(Problem, _prices, _before, out double[]? certificate) is { } status)
                {
                    return Outcome.Failed(Problem, SolverKind.Penalty, Options.Tolerances, status, _engine.Iterations, Stopwatch.GetElapsedTime(started), certificate);
                }

                if (last || Options.MuGrowth == 1)
                {
                    return Result(e, e.Accuracy.Classify(outOfTime), mu, started);
                }

                // Not yet feasible (or not yet optimal) to tolerance: a stiffer penalty, from here.
                _prices.AsSpan().CopyTo(_before);
                mu *= Options.MuGrowth;
                _engine.SetInverseMu(1 / mu);
                store = false;
                _engine.Advance();
                continue;
            }

            _engine.Advance();
            store = fixedPoint;
        }
    }

    /// <summary>Resets the iteration to the given prices (cold start when empty), for <see cref="Iterate"/>.</summary>
    public void Reset(ReadOnlySpan<double> initialPrices = default) => _engine.Reset(initialPrices);

    /// <summary>Runs <paramref name="count"/> iterations without stopping checks; allocates nothing.</summary>
    public void Iterate(int count) => _engine.Iterate(count);

    /// <summary>The penalty weight the last solve ended with.</summary>
    public double FinalMu { get; private set; }

    private Evaluation Evaluate(double utility, double payment)
    {
        double dual = _engine.DualObjective(utility, payment);
        Certificate<TAgents> certificate = _engine.Certificate;
        double primal = _recover ? certificate.Recover(_engine.X, _engine.Load) : utility;
        double[] x = _recover ? certificate.RecoveredX : _engine.X;
        double[] load = _recover ? certificate.RecoveredLoad : _engine.Load;
        _engine.CopyPrices(_prices);
        Accuracy accuracy = certificate.Assess(x, load, _prices, primal, dual, Options.Tolerances);
        return new Evaluation(primal, dual, x, load, accuracy);
    }

    private SolverResult Result(Evaluation e, SolveStatus status, double mu, long started)
    {
        FinalMu = mu;
        double[] prices = new double[Problem.ResourceCount];
        _engine.CopyPrices(prices);
        (_, double iterate) = Certificate<TAgents>.Violation(_engine.Load, Problem.Capacity, Problem.Senses);
        return Outcome.Answer(Problem, SolverKind.Penalty, Options.Tolerances, status, _engine.Iterations, Stopwatch.GetElapsedTime(started), ((double[])e.X.Clone(), prices, (double[])e.Load.Clone()), (e.Primal, e.Dual), e.Accuracy, _recover, iterate);
    }

    private readonly record struct Evaluation(double Primal, double Dual, double[] X, double[] Load, Accuracy Accuracy);
}
