using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Linear and quadratic utilities (<c>U_s(x) = w_s x - k_s x^2 / 2</c>, <c>k_s &gt;= 0</c>; <c>w = k = 0</c> for a
/// variable with no utility) with <c>&lt;=</c> and <c>==</c> rows: ADMM in OSQP's form (Stellato, Banjac,
/// Goulart, Bemporad and Boyd 2020), whose linear system is solved exactly by a sparse LDL^T of the
/// quasi-definite KKT matrix. This is the engine for linear programmes such as flux balance, which
/// the agent-step engines cannot solve to tolerance.
/// </summary>
/// <remarks>
/// <para>
/// The problem is <c>min x^T P x / 2 + q^T x</c> with <c>P = diag(k)</c>, <c>q = -w</c>, subject to
/// <c>A x</c> in its row sets and <c>x</c> in its box (box rows are an identity block, eliminated from the
/// KKT matrix, so the factorised system is <c>[P + sigma I + rho_b I, A^T; A, -diag(1/rho)]</c>, of order n + m).
/// Before solving, rows and variables are equilibrated by Ruiz's scaling (and the cost by one factor);
/// everything reported is unscaled. Equality rows get 1000 times the penalty of inequality rows.
/// </para>
/// <para>
/// Every <see cref="QpOptions.CheckInterval"/> iterations: OSQP's residuals (infinity norms, unscaled,
/// relative to the size of their terms), and the growth of the row duals tried as a Farkas certificate
/// and the growth of x as a direction of unbounded improvement. Every <see cref="QpOptions.RhoInterval"/>
/// iterations rho adapts by OSQP's residual balancing, the matrix refactorised when it moves by more than
/// 5x. Once the residuals hold to OSQP's default accuracy (1e-3, or the stated tolerances if looser), the
/// active set is polished (a reduced KKT system solved with proximal iterative refinement from the ADMM
/// point) and the better of the two points is assessed against <see cref="SolverLimits.Tolerances"/>;
/// only a point that passes is <see cref="SolveStatus.Solved"/>, else ADMM goes on and polishing is
/// tried again an eighth more iterations later.
/// </para>
/// </remarks>
/// <typeparam name="TAgents">The agent type; every agent must have a linear or quadratic utility.</typeparam>
public sealed class QpSolver<TAgents>
    where TAgents : struct, IAgentStep
{
    private const double Sigma = 1e-6;
    private const double Alpha = 1.6;
    private const double EqualityFactor = 1e3;
    private const double PolishDelta = 1e-6;
    private const double PolishFrom = 1e-3;
    private const int PolishRefinements = 25;
    private const double BoundSnap = 1e-14;
    private const int PolishRounds = 4;

    private readonly int _n;
    private readonly int _m;
    private readonly double[] _w;
    private readonly double[] _k;
    private readonly double[] _d;
    private readonly double[] _e;
    private readonly double _cost;

    // The scaled problem.
    private readonly CouplingMatrix _a;
    private readonly double[] _kh;
    private readonly double[] _qh;
    private readonly double[] _lowBox;
    private readonly double[] _highBox;
    private readonly double[] _lowRow;
    private readonly double[] _highRow;

    // The KKT pattern: n diagonal entries, then A's entries (row n + i, column j), then m diagonal entries.
    private readonly SparseLdl _ldl;
    private readonly double[] _values;
    private readonly double[] _rhoRow;
    private readonly double[] _rhs;
    private readonly double[] _x;
    private readonly double[] _zRow;
    private readonly double[] _zBox;
    private readonly double[] _yRow;
    private readonly double[] _yBox;
    private readonly double[] _ax;
    private readonly Certificate<TAgents> _certificate;
    private double _rho;
    private bool _hasState;

    /// <summary>Builds the solver: reads the utilities, equilibrates, orders and analyses the KKT matrix.</summary>
    /// <exception cref="ArgumentException">An agent's utility is not linear or quadratic, or the options are out of range.</exception>
    public QpSolver(NumProblem<TAgents> problem, QpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? new QpOptions();
        Options.Validate();
        Problem = problem;
        _n = problem.AgentCount;
        _m = problem.ResourceCount;
        (_w, _k) = Coefficients(problem);
        CouplingMatrix a = problem.Coupling;

        // Ruiz equilibration of [P A^T; A 0]: D (variables) and E (rows), then one cost factor.
        (_e, _d) = Equilibration.Ruiz(a, _k, Options.ScalingPasses);
        double qNorm = 0, pNorm = 0;
        for (int j = 0; j < _n; j++)
        {
            qNorm = Math.Max(qNorm, Math.Abs(_w[j] * _d[j]));
            pNorm += _k[j] * _d[j] * _d[j];
        }

        _cost = Math.Clamp(1 / Math.Max(Math.Max(pNorm / Math.Max(_n, 1), qNorm), 1e-4), 1e-4, 1e4);
        _a = Equilibration.Scale(a, _e, _d);
        int nnz = _a.NonZeroCount;
        _kh = new double[_n];
        _qh = new double[_n];
        _lowBox = new double[_n];
        _highBox = new double[_n];
        ScaleAgents();

        _lowRow = new double[_m];
        _highRow = new double[_m];

        // KKT pattern, in the order of _values.
        var kr = new List<int>(_n + nnz + _m);
        var kc = new List<int>(_n + nnz + _m);
        for (int j = 0; j < _n; j++)
        {
            kr.Add(j);
            kc.Add(j);
        }

        for (int j = 0; j < _n; j++)
        {
            for (int p = _a.ColumnStart[j]; p < _a.ColumnStart[j + 1]; p++)
            {
                kr.Add(_n + _a.ColumnRow[p]);
                kc.Add(j);
            }
        }

        for (int i = 0; i < _m; i++)
        {
            kr.Add(_n + i);
            kc.Add(_n + i);
        }

        _ldl = new SparseLdl(_n + _m, kr, kc);
        _values = new double[kr.Count];
        _rhoRow = new double[_m];
        _rhs = new double[_n + _m];
        _x = new double[_n];
        _zRow = new double[_m];
        _zBox = new double[_n];
        _yRow = new double[_m];
        _yBox = new double[_n];
        _ax = new double[_m];
        _certificate = new Certificate<TAgents>(problem);
    }

    /// <summary>The problem (its budgets are live; its matrix and utilities are read when the solver is built).</summary>
    public NumProblem<TAgents> Problem { get; }

    /// <summary>The options.</summary>
    public QpOptions Options { get; }

    /// <summary>Iterations of the last solve.</summary>
    public int Iterations { get; private set; }

    /// <summary>True when the last solve returned a polished point.</summary>
    public bool Polished { get; private set; }

    /// <summary>Nonzeros of the KKT factor (for the record).</summary>
    public int FactorNonZeros => _ldl.FactorNonZeros;

    /// <summary>True when every agent of <paramref name="problem"/> has a linear or quadratic utility (or none).</summary>
    public static bool Accepts(NumProblem<TAgents> problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        TAgents agents = problem.Agents;
        for (int s = 0; s < agents.Count; s++)
        {
            if (!IsQuadratic(agents, s, out _, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Solves from a cold start.</summary>
    public SolverResult Solve() => Solve(default);

    /// <summary>Solves, warm-started from the row prices <paramref name="initialPrices"/> (cold when empty).</summary>
    public SolverResult Solve(ReadOnlySpan<double> initialPrices) => Solve(initialPrices, warm: false);

    /// <summary>
    /// Re-solves after the data changed (the problem's budgets, or the agents' bounds and weights
    /// after <see cref="Update"/>), warm-started from the last solve's ADMM state (x, z, both duals and
    /// rho), as OSQP's warm start does; the matrix is the same, so nothing is re-analysed. Cold when there
    /// was no earlier solve.
    /// </summary>
    public SolverResult SolveWarm() => Solve(default, warm: _hasState);

    /// <summary>
    /// Re-reads the agents' utilities and bounds (the problem's budgets are read at every solve), for
    /// parameters changed at run time; the equilibration of the matrix is kept.
    /// </summary>
    /// <exception cref="ArgumentException">An agent's utility is no longer linear or quadratic.</exception>
    public void Update()
    {
        (double[] w, double[] k) = Coefficients(Problem);
        w.AsSpan().CopyTo(_w);
        k.AsSpan().CopyTo(_k);
        ScaleAgents();
    }

    private SolverResult Solve(ReadOnlySpan<double> initialPrices, bool warm)
    {
        long started = Stopwatch.GetTimestamp();
        Iterations = 0;
        if (!initialPrices.IsEmpty)
        {
            CouplingMatrix.CheckLength(initialPrices.Length, _m, nameof(initialPrices));
        }

        if (Outcome.Presolve(Problem, SolverKind.Qp, Options.Tolerances) is { } settled)
        {
            return settled;
        }

        double[] c = Problem.Capacity;
        for (int i = 0; i < _m; i++)
        {
            _highRow[i] = _e[i] * c[i];
            _lowRow[i] = Problem.Senses[i] == RowSense.Equal ? _highRow[i] : double.NegativeInfinity;
        }

        if (warm)
        {
            // The last state, its projections moved into the new sets.
            for (int j = 0; j < _n; j++)
            {
                _zBox[j] = Math.Clamp(_zBox[j], _lowBox[j], _highBox[j]);
            }

            for (int i = 0; i < _m; i++)
            {
                _zRow[i] = Math.Clamp(_zRow[i], _lowRow[i], _highRow[i]);
            }
        }
        else
        {
            Array.Clear(_x);
            Array.Clear(_zRow);
            Array.Clear(_yBox);
            for (int j = 0; j < _n; j++)
            {
                _x[j] = Math.Clamp(0, _lowBox[j], _highBox[j]);
                _zBox[j] = _x[j];
            }

            _a.Multiply(_x, _zRow);
            for (int i = 0; i < _m; i++)
            {
                _zRow[i] = Math.Clamp(_zRow[i], _lowRow[i], _highRow[i]);
                _yRow[i] = initialPrices.IsEmpty ? 0 : _cost * initialPrices[i] / _e[i];
            }

            _rho = Options.Rho;
        }

        _hasState = true;
        if (!Refactor())
        {
            return Outcome.Failed(Problem, SolverKind.Qp, Options.Tolerances, SolveStatus.NumericalFailure, 0, Stopwatch.GetElapsedTime(started), null);
        }

        var xBefore = new double[_n];
        var yBefore = new double[_m];
        var xTilde = new double[_n];
        bool timed = Options.TimeLimit is not null;
        int nextAssessment = 0;
        int nextRhoUpdate = Options.RhoInterval;
        Polished = false;
        Candidate? best = null;
        while (true)
        {
            bool outOfTime = timed && Stopwatch.GetElapsedTime(started) >= Options.TimeLimit!.Value;
            bool last = Iterations + 1 >= Options.MaxIterations || outOfTime;
            bool check = (Iterations + 1) % Options.CheckInterval == 0 || last;
            if (check)
            {
                _x.AsSpan().CopyTo(xBefore);
                _yRow.AsSpan().CopyTo(yBefore);
            }

            Step(xTilde);
            Iterations++;
            if (!check)
            {
                continue;
            }

            Residual residual = Residuals();

            // The point is assessed (and polished) when ADMM's residuals hold at the stated tolerances,
            // or earlier, from OSQP's default accuracy (1e-3) on: polishing turns a rough point with the
            // right active set into an exact one, which an LP's ADMM would take thousands of iterations to
            // reach. A failed attempt is retried after a quarter more iterations.
            bool ready = residual.Within(Options.AbsoluteTolerance, Options.FeasibilityTolerance, Options.RelativeTolerance)
                || (Options.Polish && residual.Within(Math.Max(Options.AbsoluteTolerance, PolishFrom), Math.Max(Options.FeasibilityTolerance, PolishFrom), Math.Max(Options.RelativeTolerance, PolishFrom)));
            if ((ready && Iterations >= nextAssessment) || last)
            {
                Candidate admm = Unscaled(_x, _yRow);
                Candidate answer = admm;
                if (Options.Polish && Polish() is { } polished && polished.Accuracy.Worst < admm.Accuracy.Worst)
                {
                    answer = polished;
                    Polished = true;
                }

                if (best is null || answer.Accuracy.Worst < best.Accuracy.Worst)
                {
                    best = answer;
                }

                if (answer.Accuracy.Holds)
                {
                    return Result(answer, SolveStatus.Solved, started);
                }

                if (last)
                {
                    return Result(best, best.Accuracy.Classify(outOfTime), started);
                }

                Polished = false;
                nextAssessment = Iterations + Math.Max(5 * Options.CheckInterval, Iterations / 8);
            }

            if (Certificates(xBefore, yBefore, started) is { } failed)
            {
                return failed;
            }

            // OSQP's residual balancing: rho by the square root of the residuals' ratio, looked at every
            // RhoInterval iterations and refactorised only when it moves by more than 5x (changing rho
            // more often restarts ADMM's progress every time).
            if (Options.AdaptiveRho && Iterations >= nextRhoUpdate)
            {
                nextRhoUpdate = Iterations + Options.RhoInterval;
                double proposed = Math.Clamp(_rho * Math.Sqrt(residual.Balance), 1e-6, 1e6);
                if (double.IsFinite(proposed) && (proposed > 5 * _rho || proposed < _rho / 5))
                {
                    _rho = proposed;
                    if (!Refactor())
                    {
                        return Outcome.Failed(Problem, SolverKind.Qp, Options.Tolerances, SolveStatus.NumericalFailure, Iterations, Stopwatch.GetElapsedTime(started), null);
                    }
                }
            }
        }
    }

    /// <summary>The utilities and bounds in the scaled variables.</summary>
    private void ScaleAgents()
    {
        TAgents agents = Problem.Agents;
        for (int j = 0; j < _n; j++)
        {
            _kh[j] = _cost * _k[j] * _d[j] * _d[j];
            _qh[j] = -_cost * _w[j] * _d[j];
            _lowBox[j] = agents.Lower(j) / _d[j];
            _highBox[j] = agents.Upper(j) / _d[j];
        }
    }

    /// <summary>Reads <c>w_s = U'(0)</c> and <c>k_s = U'(0) - U'(1)</c>, checking that U' is affine.</summary>
    private static (double[] W, double[] K) Coefficients(NumProblem<TAgents> problem)
    {
        TAgents agents = problem.Agents;
        var w = new double[agents.Count];
        var k = new double[agents.Count];
        for (int s = 0; s < agents.Count; s++)
        {
            if (!IsQuadratic(agents, s, out w[s], out k[s]))
            {
                throw new ArgumentException($"Agent {s}: the QP engine takes linear and quadratic utilities only (U' is not affine).", nameof(problem));
            }
        }

        return (w, k);
    }

    private static bool IsQuadratic(TAgents agents, int s, out double w, out double k)
    {
        w = agents.Marginal(s, 0);
        k = w - agents.Marginal(s, 1);
        double at3 = agents.Marginal(s, 3);
        return double.IsFinite(w) && double.IsFinite(k) && k >= 0
            && Math.Abs(at3 - (w - 3 * k)) <= 1e-12 * (Math.Abs(w) + 3 * Math.Abs(k) + 1e-300);
    }

    /// <summary>Fills the KKT values for the current rho and factorises.</summary>
    private bool Refactor()
    {
        for (int j = 0; j < _n; j++)
        {
            _values[j] = _kh[j] + Sigma + _rho;
        }

        int p = _n;
        for (int j = 0; j < _n; j++)
        {
            for (int q = _a.ColumnStart[j]; q < _a.ColumnStart[j + 1]; q++)
            {
                _values[p++] = _a.ColumnValue[q];
            }
        }

        for (int i = 0; i < _m; i++)
        {
            _rhoRow[i] = Problem.Senses[i] == RowSense.Equal ? EqualityFactor * _rho : _rho;
            _values[p++] = -1 / _rhoRow[i];
        }

        return _ldl.Factorize(_values);
    }

    /// <summary>One OSQP iteration (with relaxation alpha) on the scaled problem.</summary>
    private void Step(double[] xTilde)
    {
        for (int j = 0; j < _n; j++)
        {
            _rhs[j] = Sigma * _x[j] - _qh[j] + _rho * _zBox[j] - _yBox[j];
        }

        for (int i = 0; i < _m; i++)
        {
            _rhs[_n + i] = _zRow[i] - _yRow[i] / _rhoRow[i];
        }

        _ldl.Solve(_rhs);
        for (int j = 0; j < _n; j++)
        {
            xTilde[j] = _rhs[j];
            double relaxed = Alpha * xTilde[j] + (1 - Alpha) * _zBox[j];
            _x[j] = Alpha * xTilde[j] + (1 - Alpha) * _x[j];
            double z = Math.Clamp(relaxed + _yBox[j] / _rho, _lowBox[j], _highBox[j]);
            _yBox[j] += _rho * (relaxed - z);
            _zBox[j] = z;
        }

        for (int i = 0; i < _m; i++)
        {
            double zTilde = _zRow[i] + (_rhs[_n + i] - _yRow[i]) / _rhoRow[i];
            double relaxed = Alpha * zTilde + (1 - Alpha) * _zRow[i];
            double z = Math.Clamp(relaxed + _yRow[i] / _rhoRow[i], _lowRow[i], _highRow[i]);
            _yRow[i] += _rhoRow[i] * (relaxed - z);
            _zRow[i] = z;
        }
    }

    /// <summary>OSQP's unscaled residual test, and the ratio that steers rho.</summary>
    private Residual Residuals()
    {
        _a.Multiply(_x, _ax);
        double prim = 0, primScale = 0;
        for (int i = 0; i < _m; i++)
        {
            prim = Math.Max(prim, Math.Abs(_ax[i] - _zRow[i]) / _e[i]);
            primScale = Math.Max(primScale, Math.Max(Math.Abs(_ax[i]), Math.Abs(_zRow[i])) / _e[i]);
        }

        for (int j = 0; j < _n; j++)
        {
            prim = Math.Max(prim, Math.Abs(_x[j] - _zBox[j]) * _d[j]);
            primScale = Math.Max(primScale, Math.Abs(_x[j]) * _d[j]);
        }

        Span<double> aty = _rhs.AsSpan(0, _n);
        _a.MultiplyTransposed(_yRow, aty);
        double dual = 0, dualScale = 0;
        for (int j = 0; j < _n; j++)
        {
            double px = _kh[j] * _x[j];
            double g = px + _qh[j] + aty[j] + _yBox[j];
            dual = Math.Max(dual, Math.Abs(g) / _d[j]);
            dualScale = Math.Max(dualScale, Math.Max(Math.Abs(px), Math.Max(Math.Abs(aty[j] + _yBox[j]), Math.Abs(_qh[j]))) / _d[j]);
        }

        return new Residual(prim, primScale, dual / _cost, dualScale / _cost);
    }

    /// <summary>The growth of the row duals as a Farkas certificate, and of x as a direction of unbounded improvement (unscaled).</summary>
    private SolverResult? Certificates(double[] xBefore, double[] yBefore, long started)
    {
        var dy = new double[_m];
        bool grew = false;
        for (int i = 0; i < _m; i++)
        {
            dy[i] = _e[i] * (_yRow[i] - yBefore[i]) / _cost;
            if (Problem.Senses[i] == RowSense.LessOrEqual)
            {
                dy[i] = Math.Max(dy[i], 0);
            }

            grew |= dy[i] != 0;
        }

        if (grew && Infeasibility.Proves(Problem, dy))
        {
            return Outcome.Failed(Problem, SolverKind.Qp, Options.Tolerances, SolveStatus.PrimalInfeasible, Iterations, Stopwatch.GetElapsedTime(started), dy);
        }

        var dx = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            dx[j] = _d[j] * (_x[j] - xBefore[j]);
        }

        if (Infeasibility.ProvesUnbounded(Problem, dx))
        {
            return Outcome.Failed(Problem, SolverKind.Qp, Options.Tolerances, SolveStatus.DualInfeasible, Iterations, Stopwatch.GetElapsedTime(started), null, dx);
        }

        return null;
    }

    /// <summary>
    /// Polishing (OSQP's, Stellato et al. 2020 §5.2): the active set read from the ADMM iterate, the
    /// equality-constrained QP on it solved with the regularised KKT matrix
    /// <c>[P_F + delta I, A_AF^T; A_AF, -delta I]</c> and iterative refinement against the exact one.
    /// Two changes for degenerate LPs, whose optimal face is not a point: the refinement starts from
    /// the ADMM point (so it is a proximal-point iteration that converges to the solution of the reduced
    /// system nearest that point, inside the box, not to the least-norm one, which may leave it), and a
    /// second active set also fixes every variable the ADMM point holds at a bound with a dual of either
    /// sign. The better of the two is returned; null when neither reduced system can be factorised.
    /// </summary>
    private Candidate? Polish()
    {
        Candidate? osqp = Polish(strictBounds: false);
        Candidate? atBounds = Polish(strictBounds: true);
        if (osqp is null || (atBounds is not null && atBounds.Accuracy.Worst < osqp.Accuracy.Worst))
        {
            return atBounds;
        }

        return osqp;
    }

    private Candidate? Polish(bool strictBounds)
    {
        // Active bounds fix variables (OSQP's test: the bound is nearer than the dual pushing on it);
        // active rows become equalities.
        var fixedAt = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            fixedAt[j] = double.NaN;
            if (_zBox[j] - _lowBox[j] < -_yBox[j] || (strictBounds && _zBox[j] <= _lowBox[j]))
            {
                fixedAt[j] = _lowBox[j];
            }
            else if (_highBox[j] - _zBox[j] < _yBox[j] || (strictBounds && _zBox[j] >= _highBox[j]))
            {
                fixedAt[j] = _highBox[j];
            }
        }

        var active = new List<int>();
        var rowPosition = new int[_m];
        for (int i = 0; i < _m; i++)
        {
            bool on = Problem.Senses[i] == RowSense.Equal || _highRow[i] - _zRow[i] < _yRow[i];
            rowPosition[i] = on ? active.Count : -1;
            if (on)
            {
                active.Add(i);
            }
        }

        // A fixed variable whose bound dual comes out with the wrong sign (the objective would gain by
        // leaving the bound) was guessed wrong: it is freed and the reduced system solved again, from
        // the last solution, up to PolishRounds times. The best point of the rounds is kept.
        Candidate? best = null;
        var aty = new double[_n];
        for (int round = 0; round < PolishRounds; round++)
        {
            if (SolveReduced(fixedAt, active, rowPosition) is not var (xh, yh))
            {
                break;
            }

            Candidate candidate = Unscaled(xh, yh);
            if (best is null || candidate.Accuracy.Worst < best.Accuracy.Worst)
            {
                best = candidate;
            }

            if (candidate.Accuracy.Holds)
            {
                break;
            }

            _a.MultiplyTransposed(yh, aty);
            bool freed = false;
            for (int j = 0; j < _n; j++)
            {
                if (double.IsNaN(fixedAt[j]))
                {
                    continue;
                }

                double boundDual = -(_kh[j] * xh[j] + _qh[j] + aty[j]);
                if ((fixedAt[j] == _lowBox[j] && boundDual > 0) || (fixedAt[j] == _highBox[j] && boundDual < 0))
                {
                    fixedAt[j] = double.NaN;
                    freed = true;
                }
            }

            if (!freed)
            {
                break;
            }
        }

        return best;
    }

    /// <summary>The reduced KKT system for the variables not in <paramref name="fixedAt"/> and the active rows; null when it cannot be factorised.</summary>
    private (double[] X, double[] Y)? SolveReduced(double[] fixedAt, List<int> active, int[] rowPosition)
    {
        var free = new List<int>();
        for (int j = 0; j < _n; j++)
        {
            if (double.IsNaN(fixedAt[j]))
            {
                free.Add(j);
            }
        }

        int nf = free.Count, na = active.Count, size = nf + na;
        var kr = new List<int>();
        var kc = new List<int>();
        var kv = new List<double>();
        for (int f = 0; f < nf; f++)
        {
            kr.Add(f);
            kc.Add(f);
            kv.Add(_kh[free[f]]);
        }

        for (int f = 0; f < nf; f++)
        {
            int j = free[f];
            for (int p = _a.ColumnStart[j]; p < _a.ColumnStart[j + 1]; p++)
            {
                int r = rowPosition[_a.ColumnRow[p]];
                if (r >= 0)
                {
                    kr.Add(nf + r);
                    kc.Add(f);
                    kv.Add(_a.ColumnValue[p]);
                }
            }
        }

        for (int r = 0; r < na; r++)
        {
            kr.Add(nf + r);
            kc.Add(nf + r);
            kv.Add(0);
        }

        // Right-hand side: -q on the free variables, the active rows' bounds less the fixed variables' load.
        var b = new double[size];
        for (int f = 0; f < nf; f++)
        {
            b[f] = -_qh[free[f]];
        }

        var xh = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            xh[j] = double.IsNaN(fixedAt[j]) ? 0 : fixedAt[j];
        }

        var fixedLoad = new double[_m];
        _a.Multiply(xh, fixedLoad);
        for (int r = 0; r < na; r++)
        {
            b[nf + r] = _highRow[active[r]] - fixedLoad[active[r]];
        }

        // Regularised matrix K + diag(+delta, -delta), factorised once; refinement against K.
        var regularised = kv.ToArray();
        for (int f = 0; f < nf; f++)
        {
            regularised[f] += PolishDelta;
        }

        for (int r = 0; r < na; r++)
        {
            regularised[kv.Count - na + r] -= PolishDelta;
        }

        var ldl = new SparseLdl(size, kr, kc);
        if (!ldl.Factorize(regularised))
        {
            return null;
        }

        // Proximal refinement from the ADMM point: s += K_delta^-1 (b - K s).
        var solution = new double[size];
        for (int f = 0; f < nf; f++)
        {
            solution[f] = _x[free[f]];
        }

        for (int r = 0; r < na; r++)
        {
            solution[nf + r] = _yRow[active[r]];
        }

        var residual = new double[size];
        for (int refine = 0; refine < PolishRefinements; refine++)
        {
            b.AsSpan().CopyTo(residual);
            for (int e = 0; e < kv.Count; e++)
            {
                residual[kr[e]] -= kv[e] * solution[kc[e]];
                if (kr[e] != kc[e])
                {
                    residual[kc[e]] -= kv[e] * solution[kr[e]];
                }
            }

            double worst = 0;
            foreach (double v in residual)
            {
                worst = Math.Max(worst, Math.Abs(v));
            }

            if (worst <= 1e-13)
            {
                break;
            }

            ldl.Solve(residual);
            for (int t = 0; t < size; t++)
            {
                solution[t] += residual[t];
            }
        }

        var yh = new double[_m];
        for (int f = 0; f < nf; f++)
        {
            xh[free[f]] = solution[f];
        }

        for (int r = 0; r < na; r++)
        {
            yh[active[r]] = solution[nf + r];
        }

        return (xh, yh);
    }

    /// <summary>A scaled (x, y) unscaled, projected onto the box and the prices' signs, with its objectives and accuracy.</summary>
    private Candidate Unscaled(double[] xh, double[] yh)
    {
        TAgents agents = Problem.Agents;
        var x = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            // A bound divided by d and multiplied back may land an ulp inside it, where a linear
            // agent's stationarity would be judged as if it were free: such a value is the bound.
            // An infinite bound is never snapped to (|inf - v| <= BoundSnap * inf would hold for every v).
            double lower = agents.Lower(j), upper = agents.Upper(j);
            double v = Math.Clamp(_d[j] * xh[j], lower, upper);
            x[j] = double.IsFinite(lower) && Math.Abs(v - lower) <= BoundSnap * Math.Abs(lower) ? lower
                : double.IsFinite(upper) && Math.Abs(upper - v) <= BoundSnap * Math.Abs(upper) ? upper
                : v;
        }

        var prices = new double[_m];
        for (int i = 0; i < _m; i++)
        {
            double y = _e[i] * yh[i] / _cost;
            prices[i] = Problem.Senses[i] == RowSense.LessOrEqual ? Math.Max(y, 0) : y;
        }

        var load = new double[_m];
        Problem.Coupling.Multiply(x, load);
        double primal = _certificate.PrimalObjective(x);
        double dual = _certificate.DualObjective(prices, x);
        Accuracy accuracy = _certificate.Assess(x, load, prices, primal, dual, Options.Tolerances);
        return new Candidate(x, prices, load, primal, dual, accuracy);
    }

    private SolverResult Result(Candidate e, SolveStatus status, long started) =>
        Outcome.Answer(Problem, SolverKind.Qp, Options.Tolerances, status, Iterations, Stopwatch.GetElapsedTime(started), (e.X, e.Prices, e.Load), (e.Primal, e.Dual), e.Accuracy, false, iterateViolation: null);

    /// <summary>OSQP's unscaled residuals and the size of their terms.</summary>
    private readonly record struct Residual(double Primal, double PrimalScale, double Dual, double DualScale)
    {
        /// <summary>The ratio of the relative residuals, which residual balancing drives to 1.</summary>
        public double Balance => (Primal / Math.Max(PrimalScale, 1e-30)) / Math.Max(Dual / Math.Max(DualScale, 1e-30), 1e-30);

        public bool Within(double absolute, double feasibility, double relative) =>
            Primal <= absolute + feasibility * PrimalScale && Dual <= absolute + relative * DualScale;
    }

    private sealed record Candidate(double[] X, double[] Prices, double[] Load, double Primal, double Dual, Accuracy Accuracy);
}
