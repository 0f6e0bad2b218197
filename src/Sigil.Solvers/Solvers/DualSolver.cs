using System;
using System.Diagnostics;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Dual decomposition, offline: each iteration the agents answer the path prices with their
/// closed-form steps <c>x_s = argmax U_s(x) - q_s x</c>, the loads <c>A x</c> are summed, and the
/// prices move against the overload, <c>pi &lt;- [pi + step (A x - c)]+</c> (free on <c>==</c> rows).
/// </summary>
/// <remarks>
/// <para>
/// The default rule scales each row's step by the dual's curvature and adds Nesterov momentum with
/// restart (see <see cref="DualStepRule.Scaled"/>); <see cref="DualStepRule.Fixed"/> is the
/// textbook update with a fixed gamma.
/// </para>
/// <para>
/// Stopping rule: the returned pair meets every test of <see cref="SolverLimits.Tolerances"/> (rows,
/// stationarity and gap; see <see cref="SolveStatus.Solved"/>), measured on the point returned. When
/// <c>A &gt;= 0</c> the returned primal is recovered from the iterate onto the feasible set (every
/// <c>&lt;=</c> row holds exactly; see <see cref="SolverResult.Recovered"/>). Prices that grow between
/// certificates are tried as a Farkas certificate (<see cref="SolveStatus.PrimalInfeasible"/>).
/// </para>
/// <para>
/// Deterministic (same input, same bits) and single-threaded; the iteration allocates nothing.
/// An instance is not thread-safe; build one per problem and reuse it across solves.
/// </para>
/// </remarks>
/// <typeparam name="TAgents">The agent type.</typeparam>
public sealed class DualSolver<TAgents>
    where TAgents : struct, IAgentStep
{
    private readonly DualEngine<TAgents> _engine;
    private readonly bool _recover;
    private readonly int _longestColumn;
    private readonly double[] _prices;
    private readonly double[] _lastPrices;
    private double[]? _farkas;

    /// <summary>Builds the solver and its work buffers for <paramref name="problem"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public DualSolver(NumProblem<TAgents> problem, DualOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? new DualOptions();
        Options.Validate();
        Problem = problem;
        _engine = new DualEngine<TAgents>(
            problem, Options.Rule == DualStepRule.Scaled, Options.Accelerate, Options.Step, inverseMu: 0, Options.ScalingPasses);
        _recover = Options.Recover && problem.Coupling.IsNonnegative;
        _prices = new double[problem.ResourceCount];
        _lastPrices = new double[problem.ResourceCount];
        for (int s = 0; s < problem.AgentCount; s++)
        {
            _longestColumn = Math.Max(_longestColumn, problem.Coupling.ColumnLength(s));
        }

        _engine.Reset(default);
    }

    /// <summary>The problem.</summary>
    public NumProblem<TAgents> Problem { get; }

    /// <summary>The options.</summary>
    public DualOptions Options { get; }

    /// <summary>Iterations since the last reset.</summary>
    public int Iterations => _engine.Iterations;

    internal int StoringPasses => _engine.StoringPasses;

    /// <summary>Solves from the cold-start price estimate.</summary>
    public SolverResult Solve() => Solve(default);

    /// <summary>Solves from the given prices (a warm start, e.g. the previous tick's prices).</summary>
    /// <exception cref="ArgumentException">The prices have the wrong length or are not finite.</exception>
    public SolverResult Solve(ReadOnlySpan<double> initialPrices)
    {
        long started = Stopwatch.GetTimestamp();
        _engine.Reset(initialPrices);
        if (Outcome.Presolve(Problem, SolverKind.Dual, Options.Tolerances) is { } settled)
        {
            return settled;
        }

        bool store = false;
        double scale = 0;
        bool timed = Options.TimeLimit is not null;

        // Until a certificate calibrates it, assume the estimate is low by half: a certificate that
        // comes one pass late costs one pass, one that comes early costs two and fails.
        double ratio = 1.5;

        // How the certified stationarity relates to the iterate's worst relative overload (learnt at
        // each certificate; 0 until then). After a primal recovery that scales agents down by
        // theta, an agent's stationarity residual is about (1 - theta) times its price, so this
        // test, not the gap, is often the last to pass, and it follows the overload.
        double stationarityPerOverload = 0;
        int lastCertified = 16;
        _engine.CopyPrices(_lastPrices);
        Evaluation evaluation;
        RowStatistics st;
        SolveStatus? ended = null;
        while (true)
        {
            bool outOfTime = timed && Stopwatch.GetElapsedTime(started) >= Options.TimeLimit!.Value;
            bool last = _engine.Iterations + 1 >= Options.MaxIterations || outOfTime;
            store |= last;
            (double utility, double payment) = _engine.Pass(store);
            st = _engine.Measure();
            if (store)
            {
                evaluation = Evaluate(utility, payment, st);
                if (evaluation.Accuracy.Holds)
                {
                    ended = SolveStatus.Solved;
                    break;
                }

                // Diverging prices: their growth since the last certificate is a Farkas candidate,
                // unless the point just measured already shows the rows can hold.
                _engine.CopyPrices(_prices);
                if (!evaluation.ProvesFeasible
                    && Outcome.FarkasCandidate(Problem, _prices, _lastPrices, out _farkas) is { } status)
                {
                    ended = status;
                    break;
                }

                if (last)
                {
                    ended = evaluation.Accuracy.Classify(outOfTime);
                    break;
                }

                // The cheap estimate predicts the certified gap up to a factor learnt here.
                lastCertified = _engine.Iterations;
                _prices.AsSpan().CopyTo(_lastPrices);
                scale = evaluation.Scale;
                ratio = Math.Max(1, evaluation.Gap / Math.Max(Estimate(st), 1e-300));
                stationarityPerOverload = _recover ? evaluation.Accuracy.Dual / Math.Max(st.WorstRelativeViolation, 1e-300) : 0;
            }

            _engine.Advance();

            // A certificate costs about two passes, so the next pass certifies only when the cheap
            // statistics predict success (each certificate recalibrates the objective's scale and
            // how the estimate relates to the certified gap). Certificates also come at
            // geometrically spaced passes, so a poor prediction cannot stall the solve.
            int pass = _engine.Iterations;
            bool due = pass >= 2 * lastCertified;
            bool near = st.WorstRelativeViolation <= (_recover ? 10 : 1) * Options.FeasibilityTolerance;
            bool stationary = !double.IsFinite(stationarityPerOverload) || stationarityPerOverload * st.WorstRelativeViolation <= 1;
            store = due
                || (near && stationary && ratio * Estimate(st) <= Options.RelativeTolerance * (scale > 0 ? scale : EstimateScale()));
        }

        return Result(evaluation, ended.Value, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Resets the iteration to the given prices (cold start when empty), for <see cref="Iterate"/>.</summary>
    public void Reset(ReadOnlySpan<double> initialPrices = default) => _engine.Reset(initialPrices);

    /// <summary>Runs <paramref name="count"/> iterations without stopping checks; allocates nothing.</summary>
    public void Iterate(int count) => _engine.Iterate(count);

    /// <summary>Copies the current prices into <paramref name="destination"/>.</summary>
    public void CopyPrices(Span<double> destination)
    {
        CouplingMatrix.CheckLength(destination.Length, Problem.ResourceCount, nameof(destination));
        _engine.CopyPrices(destination);
    }

    /// <summary>
    /// The objective's magnitude before any certificate, from the utilities of a fixed sample of
    /// about 256 agents at the current prices (it only steers when to certify).
    /// </summary>
    private double EstimateScale()
    {
        _engine.CopyPrices(_prices);
        TAgents agents = Problem.Agents;
        int n = agents.Count;
        int stride = Math.Max(1, n / 256);
        double sum = 0;
        int count = 0;
        for (int s = 0; s < n; s += stride)
        {
            double x = agents.Argmax(s, Problem.Coupling.PathPrice(s, _prices));
            sum += agents.Utility(s, x);
            count++;
        }

        double scale = count > 0 ? Math.Abs(sum) * n / count : 0;
        return double.IsFinite(scale) ? Math.Max(1, scale) : 1;
    }

    /// <summary>
    /// A cheap predictor of the certified gap: the Lagrangian gap <c>pi^T (c - A x)</c> plus, when
    /// recovering, what scaling off the overload roughly costs (each agent is scaled by the worst of
    /// its up to <c>k</c> rows, hence the factor).
    /// </summary>
    private double Estimate(RowStatistics st) =>
        Math.Abs(st.LagrangianGap) + (_recover ? _longestColumn * st.OverloadValue : 0);

    private Evaluation Evaluate(double utility, double payment, RowStatistics st)
    {
        double dual = _engine.DualObjective(utility, payment);
        Certificate<TAgents> certificate = _engine.Certificate;
        double primal = _recover ? certificate.Recover(_engine.X, _engine.Load) : utility;
        double[] x = _recover ? certificate.RecoveredX : _engine.X;
        double[] load = _recover ? certificate.RecoveredLoad : _engine.Load;
        (double absolute, double relative) = Certificate<TAgents>.Violation(load, Problem.Capacity, Problem.Senses);
        double scale = Math.Max(1, Math.Max(Math.Abs(primal), Math.Abs(dual)));
        double gap = dual - primal;
        _engine.CopyPrices(_prices);
        Accuracy accuracy = certificate.Assess(x, load, _prices, primal, dual, Options.Tolerances);
        bool feasible = Certificate<TAgents>.ProvesFeasible(load, Problem.Capacity, Problem.Senses);
        return new Evaluation(primal, dual, gap, scale, absolute, relative, st.WorstRelativeViolation, accuracy, feasible);
    }

    private SolverResult Result(Evaluation e, SolveStatus status, TimeSpan elapsed)
    {
        if (status is SolveStatus.PrimalInfeasible or SolveStatus.NumericalFailure)
        {
            return Outcome.Failed(Problem, SolverKind.Dual, Options.Tolerances, status, _engine.Iterations, elapsed, _farkas);
        }

        double[] prices = new double[Problem.ResourceCount];
        _engine.CopyPrices(prices);
        double[] x = (double[])(_recover ? _engine.Certificate.RecoveredX : _engine.X).Clone();
        double[] load = (double[])(_recover ? _engine.Certificate.RecoveredLoad : _engine.Load).Clone();
        return Outcome.Answer(Problem, SolverKind.Dual, Options.Tolerances, status, _engine.Iterations, elapsed, (x, prices, load), (e.Primal, e.Dual), e.Accuracy, _recover, e.IterateViolation);
    }

    private readonly record struct Evaluation(
        double Primal,
        double Dual,
        double Gap,
        double Scale,
        double Violation,
        double RelativeViolation,
        double IterateViolation,
        Accuracy Accuracy,
        bool ProvesFeasible);
}
