using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// ADMM in resource-allocation (sharing) form (Boyd, Parikh, Chu, Peleato and Eckstein 2011,
/// §7.3): a proximal step per agent, a projection of each row's total onto its budget, and a
/// scaled dual update; the price is <c>rho u</c>.
/// </summary>
/// <remarks>
/// <para>
/// Splitting: each entry <c>(l, s)</c> of <c>A</c> gets a copy <c>z_ls</c> of <c>A_ls x_s</c>, with
/// <c>sum_s z_ls</c> in the row's set (<c>&lt;= c_l</c> or <c>== c_l</c>). As in Boyd's sharing
/// problem the scaled duals of one row stay equal, so the state per row is one <c>u_l</c> plus the
/// offset <c>o_l = z_ls - A_ls x_s</c> (also common to the row), and with <c>n_l</c> entries in row
/// <c>l</c> one iteration is:
/// </para>
/// <code>
/// x_s   = argmax_{x in [m_s, M_s]} U_s(x) - (rho |a_s|^2 / 2) (x - x_s + sum_l A_ls (u_l - o_l) / |a_s|^2)^2
/// S_l   = a_l x + n_l u_l
/// u_l'  = (S_l - Proj_l(S_l)) / n_l        (Proj_l: min(., c_l) on &lt;= rows, c_l on == rows)
/// o_l'  = u_l - u_l'
/// </code>
/// <para>
/// Stopping rule (Boyd §3.3.1): <c>||r|| &lt;= sqrt(nnz) eps_abs + eps_rel max(||A x||, ||z||)</c> and
/// <c>||s|| &lt;= sqrt(N) eps_abs + eps_rel ||rho A^T u||</c>, with the primal residual
/// <c>r_ls = A_ls x_s - z_ls</c> and the dual residual <c>s = rho A^T (z' - z)</c> over entries.
/// Residual balancing (§3.4.1) doubles or halves rho, rescaling <c>u</c>, at most 50 times.
/// The returned primal is recovered onto the feasible set when <c>A &gt;= 0</c>, as for the dual engine;
/// Boyd's test only triggers an assessment of that returned point against
/// <see cref="SolverLimits.Tolerances"/>, and only a point that passes is <see cref="SolveStatus.Solved"/>.
/// The growth of the prices between geometrically spaced iterations is tried as a Farkas certificate.
/// </para>
/// </remarks>
/// <typeparam name="TAgents">The agent type.</typeparam>
public sealed class AdmmSolver<TAgents>
    where TAgents : struct, IAgentStep
{
    private const int MaxRhoChanges = 50;

    private readonly double[] _u;
    private readonly double[] _offset;
    private readonly double[] _offsetBefore;
    private readonly double[] _gather;
    private readonly double[] _load;
    private readonly double[] _count;
    private readonly Certificate<TAgents> _certificate;
    private readonly double[] _pricesBefore;
    private readonly double[] _pricesNow;

    // Equilibration: the splitting runs on E A and E c, with u in those rows' units (price e_l rho u_l).
    private readonly CouplingMatrix _a;
    private readonly double[] _rowScale;
    private readonly double[] _capacity;

    // The iterates do not depend on the variables' units, but Boyd's dual residual does (it is
    // summed over columns): it is measured on columns of E A scaled to unit infinity norm.
    private readonly double[] _columnScale;
    private double[] _x;
    private double[] _xBefore;
    private double _rho;
    private int _rhoChanges;
    private double _edgeNormSquared;

    /// <summary>Builds the solver and its work buffers for <paramref name="problem"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public AdmmSolver(NumProblem<TAgents> problem, AdmmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? new AdmmOptions();
        Options.Validate();
        Problem = problem;
        int rows = problem.ResourceCount;
        _u = new double[rows];
        _offset = new double[rows];
        _offsetBefore = new double[rows];
        _gather = new double[rows];
        _load = new double[rows];
        _count = new double[rows];
        for (int l = 0; l < rows; l++)
        {
            _count[l] = problem.Coupling.RowLength(l);
        }

        _x = new double[problem.AgentCount];
        _xBefore = new double[problem.AgentCount];
        _certificate = new Certificate<TAgents>(problem);
        _pricesBefore = new double[rows];
        _pricesNow = new double[rows];
        PriceEstimate.ColdStart(problem, _gather);
        _rowScale = Equilibration.Rows(problem.Coupling, problem.Capacity, Options.ScalingPasses, _gather);
        _a = Options.ScalingPasses > 0 ? Equilibration.Scale(problem.Coupling, _rowScale, default) : problem.Coupling;
        _capacity = new double[rows];
        _columnScale = new double[problem.AgentCount];
        for (int s = 0; s < _columnScale.Length; s++)
        {
            double norm = 0;
            for (int k = _a.ColumnStart[s]; k < _a.ColumnStart[s + 1]; k++)
            {
                norm = Math.Max(norm, Math.Abs(_a.ColumnValue[k]));
            }

            _columnScale[s] = norm > 0 && Options.ScalingPasses > 0 ? 1 / norm : 1;
        }

        Reset();
    }

    /// <summary>The problem.</summary>
    public NumProblem<TAgents> Problem { get; }

    /// <summary>The options.</summary>
    public AdmmOptions Options { get; }

    /// <summary>The current rho (changes under residual balancing).</summary>
    public double Rho => _rho;

    /// <summary>Iterations since the last reset.</summary>
    public int Iterations { get; private set; }

    /// <summary>Solves from the cold-start price estimate.</summary>
    public SolverResult Solve() => Solve(default);

    /// <summary>Solves from the given prices (a warm start).</summary>
    /// <exception cref="ArgumentException">The prices have the wrong length or are not finite.</exception>
    public SolverResult Solve(ReadOnlySpan<double> initialPrices)
    {
        long started = Stopwatch.GetTimestamp();
        Reset(initialPrices);
        if (Outcome.Presolve(Problem, SolverKind.Admm, Options.Tolerances) is { } settled)
        {
            return settled;
        }

        bool timed = Options.TimeLimit is not null;
        int nextAssessment = 0;
        int nextFarkas = 16;
        CopyPrices(_pricesBefore);
        while (true)
        {
            bool outOfTime = timed && Stopwatch.GetElapsedTime(started) >= Options.TimeLimit!.Value;
            bool last = Iterations + 1 >= Options.MaxIterations || outOfTime;
            bool check = (Iterations + 1) % Options.CheckInterval == 0 || last;
            Step(check);
            if (!check)
            {
                continue;
            }

            (double primal, double primalTolerance, double dual, double dualTolerance) = Residuals();
            bool boyd = primal <= primalTolerance && dual <= dualTolerance;
            if ((boyd && Iterations >= nextAssessment) || last)
            {
                // Boyd's test is on the splitting; the claim is on the point returned.
                Assessment e = Assess();
                if (e.Accuracy.Holds)
                {
                    return Result(e, SolveStatus.Solved, started);
                }

                if (last)
                {
                    return Result(e, e.Accuracy.Classify(outOfTime), started);
                }

                nextAssessment = Iterations + Math.Max(10, Iterations / 4);
            }

            // The growth of the prices between checks (ADMM's delta-y) is tried as a Farkas
            // certificate at geometrically spaced iterations.
            if (Iterations >= nextFarkas)
            {
                nextFarkas = 2 * Iterations;
                CopyPrices(_pricesNow);
                if (Outcome.FarkasCandidate(Problem, _pricesNow, _pricesBefore, out double[]? certificate) is { } status)
                {
                    return Outcome.Failed(Problem, SolverKind.Admm, Options.Tolerances, status, Iterations, Stopwatch.GetElapsedTime(started), certificate);
                }

                _pricesNow.AsSpan().CopyTo(_pricesBefore);
            }

            if (Options.AdaptiveRho && _rhoChanges < MaxRhoChanges)
            {
                if (primal > 10 * dual)
                {
                    Rescale(2);
                }
                else if (dual > 10 * primal)
                {
                    Rescale(0.5);
                }
            }
        }
    }

    /// <summary>Resets to the given prices (cold start when empty) and the agents' response to them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset(ReadOnlySpan<double> initialPrices = default)
    {
        _rho = Options.Rho;
        _rhoChanges = 0;
        Iterations = 0;
        int rows = Problem.ResourceCount;
        Span<double> prices = _gather;
        if (initialPrices.IsEmpty)
        {
            PriceEstimate.ColdStart(Problem, prices);
        }
        else
        {
            CouplingMatrix.CheckLength(initialPrices.Length, rows, nameof(initialPrices));
            initialPrices.CopyTo(prices);
        }

        for (int l = 0; l < rows; l++)
        {
            double p = prices[l];
            if (!double.IsFinite(p))
            {
                throw new ArgumentException($"Initial price {l} is not finite.", nameof(initialPrices));
            }

            if (Problem.Senses[l] == RowSense.LessOrEqual && p < 0)
            {
                p = 0;
            }

            _u[l] = p / (_rowScale[l] * _rho);
            _offset[l] = 0;
            _capacity[l] = _rowScale[l] * Problem.Capacity[l];
        }

        CouplingMatrix a = Problem.Coupling;
        TAgents agents = Problem.Agents;
        for (int s = 0; s < agents.Count; s++)
        {
            _x[s] = agents.Argmax(s, a.PathPrice(s, prices));
        }
    }

    /// <summary>Runs <paramref name="count"/> iterations without stopping checks; allocates nothing.</summary>
    public void Iterate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Step(check: false);
        }
    }

    /// <summary>Copies the current prices <c>rho u</c> into <paramref name="destination"/>.</summary>
    public void CopyPrices(Span<double> destination)
    {
        CouplingMatrix.CheckLength(destination.Length, Problem.ResourceCount, nameof(destination));
        for (int l = 0; l < _u.Length; l++)
        {
            destination[l] = _rowScale[l] * _rho * _u[l];
        }
    }

    /// <summary>One ADMM iteration; on a check iteration the previous x and offsets are kept for the residuals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Step(bool check)
    {
        Iterations++;
        (_x, _xBefore) = (_xBefore, _x);
        if (check)
        {
            _offset.AsSpan().CopyTo(_offsetBefore);
        }

        for (int l = 0; l < _u.Length; l++)
        {
            _gather[l] = _u[l] - _offset[l];
            _load[l] = 0;
        }

        _edgeNormSquared = AgentPass();

        double[] c = _capacity;
        RowSense[] senses = Problem.Senses;
        for (int l = 0; l < _u.Length; l++)
        {
            double n = _count[l];
            if (n == 0)
            {
                continue;
            }

            double total = _load[l] + n * _u[l];
            double excess = total - c[l];
            if (senses[l] == RowSense.LessOrEqual && excess < 0)
            {
                excess = 0;
            }

            double u = excess / n;
            _offset[l] = _u[l] - u;
            _u[l] = u;
        }
    }

    /// <summary>
    /// The agents' proximal steps from the previous x (in <c>_xBefore</c>) into <c>_x</c>, scattering
    /// loads; returns <c>sum_s |a_s|^2 x_s^2 = ||A x||^2</c> over entries.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double AgentPass()
    {
        CouplingMatrix a = _a;
        TAgents agents = Problem.Agents;
        ref int start = ref MemoryMarshal.GetArrayDataReference(a.ColumnStartArray);
        ref int row = ref MemoryMarshal.GetArrayDataReference(a.ColumnRowArray);
        ref double value = ref MemoryMarshal.GetArrayDataReference(a.ColumnValueArray);
        ref double gather = ref MemoryMarshal.GetArrayDataReference(_gather);
        ref double load = ref MemoryMarshal.GetArrayDataReference(_load);
        double[] x = _x;
        double[] before = _xBefore;
        double rho = _rho;
        double norm = 0;
        int k = 0;
        for (int s = 0; s < agents.Count; s++)
        {
            int end = Unsafe.Add(ref start, s + 1);
            double dot = 0;
            double squared = 0;
            for (int j = k; j < end; j++)
            {
                double v = Unsafe.Add(ref value, j);
                dot += v * Unsafe.Add(ref gather, Unsafe.Add(ref row, j));
                squared += v * v;
            }

            double xs = squared > 0
                ? agents.Prox(s, before[s] - dot / squared, 1 / (rho * squared))
                : agents.Argmax(s, 0);
            x[s] = xs;
            norm += squared * xs * xs;
            for (int j = k; j < end; j++)
            {
                Unsafe.Add(ref load, Unsafe.Add(ref row, j)) += Unsafe.Add(ref value, j) * xs;
            }

            k = end;
        }

        return norm;
    }

    /// <summary>Boyd's residuals and tolerances for the iteration just made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Primal, double PrimalTolerance, double Dual, double DualTolerance) Residuals()
    {
        // Primal: r_ls = A_ls x_s - z_ls = -o_l, so ||r||^2 = sum_l n_l o_l^2.
        // ||z||^2 = sum_ls (A_ls x_s + o_l)^2 = ||A x||^2 + 2 sum_l o_l (a_l x) + sum_l n_l o_l^2.
        double r2 = 0;
        double cross = 0;
        for (int l = 0; l < _u.Length; l++)
        {
            double o = _offset[l];
            r2 += _count[l] * o * o;
            cross += o * _load[l];
            _gather[l] = o - _offsetBefore[l];
        }

        double z2 = Math.Max(0, _edgeNormSquared + 2 * cross + r2);

        // Dual: s_s = rho sum_l A_ls (z'_ls - z_ls) = rho (|a_s|^2 (x_s' - x_s) + sum_l A_ls (o_l' - o_l)).
        CouplingMatrix a = _a;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        double s2 = 0;
        double y2 = 0;
        for (int s = 0; s < _x.Length; s++)
        {
            double squared = 0;
            double shift = 0;
            double price = 0;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                double v = value[k];
                squared += v * v;
                shift += v * _gather[row[k]];
                price += v * _u[row[k]];
            }

            double ds = _columnScale[s] * (squared * (_x[s] - _xBefore[s]) + shift);
            price *= _columnScale[s];
            s2 += ds * ds;
            y2 += price * price;
        }

        double primalTolerance = Math.Sqrt(a.NonZeroCount) * Options.AbsoluteTolerance
            + Options.RelativeTolerance * Math.Sqrt(Math.Max(_edgeNormSquared, z2));
        double dualTolerance = Math.Sqrt(_x.Length) * Options.AbsoluteTolerance
            + Options.RelativeTolerance * _rho * Math.Sqrt(y2);
        return (Math.Sqrt(r2), primalTolerance, _rho * Math.Sqrt(s2), dualTolerance);
    }

    private void Rescale(double factor)
    {
        _rho *= factor;
        _rhoChanges++;
        for (int l = 0; l < _u.Length; l++)
        {
            _u[l] /= factor;
        }
    }

    /// <summary>The point the solve would return now: recovered when <c>A &gt;= 0</c>, with its objectives and accuracy.</summary>
    private Assessment Assess()
    {
        double[] prices = new double[Problem.ResourceCount];
        CopyPrices(prices);
        double[] load = new double[Problem.ResourceCount];
        Problem.Coupling.Multiply(_x, load);
        (_, double iterateViolation) = Certificate<TAgents>.Violation(load, Problem.Capacity, Problem.Senses);
        bool recover = Problem.Coupling.IsNonnegative;
        double[] x = (double[])_x.Clone();
        _certificate.Prepare();
        double primalObjective;
        if (recover)
        {
            primalObjective = _certificate.Recover(_x, load);
            x = (double[])_certificate.RecoveredX.Clone();
            load = (double[])_certificate.RecoveredLoad.Clone();
        }
        else
        {
            primalObjective = _certificate.PrimalObjective(_x);
        }

        double dualObjective = _certificate.DualObjective(prices);
        Accuracy accuracy = _certificate.Assess(x, load, prices, primalObjective, dualObjective, Options.Tolerances);
        return new Assessment(x, prices, load, primalObjective, dualObjective, recover, iterateViolation, accuracy);
    }

    private SolverResult Result(Assessment e, SolveStatus status, long started) =>
        Outcome.Answer(Problem, SolverKind.Admm, Options.Tolerances, status, Iterations, Stopwatch.GetElapsedTime(started), (e.X, e.Prices, e.Load), (e.Primal, e.Dual), e.Accuracy, e.Recovered, e.IterateViolation);

    private sealed record Assessment(
        double[] X, double[] Prices, double[] Load, double Primal, double Dual, bool Recovered, double IterateViolation, Accuracy Accuracy);
}
