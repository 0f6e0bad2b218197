using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The iteration shared by the dual and penalty engines: minimise
/// <c>f(pi) = D(pi) + ||pi||^2 / (2 mu)</c> over prices (<c>pi_l &gt;= 0</c> on <c>&lt;=</c> rows), where
/// <c>D(pi) = sum_s max_x [U_s(x) - q_s x] + c^T pi</c> is the Lagrange dual (<c>1/mu = 0</c> for the
/// dual engine). Its gradient is <c>c - A x(pi) + pi / mu</c>, so one iteration is one agent pass
/// (path prices, closed-form steps, loads) and one row pass (price update).
/// </summary>
/// <remarks>
/// <para>
/// Why not plain subgradient ascent: the dual's curvature varies by orders of magnitude across
/// rows (for log utilities a row's curvature is <c>sum_s A_ls^2 (x_s + eps)^2 / w_s</c>), so one step
/// size is either unstable on the flat rows or crawls on the steep ones; the instances this runs
/// on need thousands of such steps for a 1e-4 gap.
/// </para>
/// <para>
/// What it does instead (the scaled rule): a diagonally scaled step in the spirit of Athuraliya and
/// Low's Newton-like flow control (2000), <c>pi_l &lt;- [y_l + (a_l x - c_l - y_l/mu) / P_l]+</c>, where
/// <c>P_l = sum_s |A_ls| d_s sum_k |A_ks| + 1/mu</c> and <c>d_s = 1/(-U_s''(x_s))</c>. <c>P_l</c> is the
/// Gershgorin bound of row <c>l</c> of the dual Hessian <c>A diag(d) A^T</c>, so <c>diag(P)</c> majorises
/// the local Hessian and the unit step is a majorise-minimise step that needs no tuning (the
/// curvature is re-measured at every iterate, so the step follows the utilities). On top of it,
/// Nesterov momentum <c>y = pi + (t_k - 1)/t_{k+1} (pi - pi_prev)</c> with O'Donoghue and Candès'
/// gradient restart (2015): momentum is dropped whenever the step points uphill. With one agent per
/// row this is a diagonal Newton step; on the random 3-resource instances of the benchmark it reaches a
/// 1e-4 gap in about 25-35 iterations where the fixed-step update needs thousands.
/// </para>
/// <para>
/// Curvature is measured on the first passes and then every fourth pass, and held in between: near a
/// solution it changes slowly, and the passes without it touch only each row's price and load (16
/// bytes per row, half of what the curvature passes touch) and skip the sensitivity arithmetic.
/// On the benchmark instances this costs no extra iterations.
/// </para>
/// <para>
/// Stopping: every pass yields cheap row statistics at the current prices (worst overload and the
/// Lagrangian gap <c>pi^T (c - A x)</c>). When they predict success, the next pass also stores the
/// agents' steps and utilities, and a full certificate is computed (dual objective, recovered
/// primal, exact gap); the solve stops when that certificate meets both tolerances.
/// </para>
/// </remarks>
internal sealed class DualEngine<TAgents>
    where TAgents : struct, IAgentStep
{
    /// <summary>Curvature is measured on this many first passes...</summary>
    private const int WarmCurvaturePasses = 5;

    /// <summary>... and then on every pass whose index is a multiple of this.</summary>
    private const int CurvatureInterval = 4;

    /// <summary>How many agents ahead the pass prefetches row state.</summary>
    private const int PrefetchDistance = 16;

    /// <summary>
    /// Prefetching pays once the row state outgrows the near caches (measured: it costs a quarter
    /// at 1,000 rows, in L1, and saves a tenth to a fifth at 100,000 rows).
    /// </summary>
    private const int PrefetchRows = 32_768;

    private readonly NumProblem<TAgents> _problem;
    private readonly CouplingMatrix _a;
    private readonly double[] _rowScale;
    private readonly RowState[] _rows;
    private readonly double[] _curvature;
    private readonly double[] _capacity;
    private readonly double[] _previous;
    private readonly double[] _candidate;
    private readonly double[] _x;
    private readonly double[] _load;
    private readonly Certificate<TAgents> _certificate;
    private readonly int _uniformLength;
    private readonly bool _scaled;
    private readonly bool _accelerate;
    private readonly double _step;
    private double _inverseMu;
    private double _momentum;
    private double _restart;
    private RowStatistics _statistics;

    /// <summary>Builds the engine; with the scaled rule, rows are equilibrated by <paramref name="scalingPasses"/> passes (see <see cref="Equilibration.Rows"/>).</summary>
    public DualEngine(NumProblem<TAgents> problem, bool scaled, bool accelerate, double step, double inverseMu, int scalingPasses)
    {
        _problem = problem;

        // The iteration runs on E A, E c and prices E^-1 pi; the fixed rule keeps the textbook
        // update in the fibre's units (its step bound is what certify step proves).
        _rowScale = Equilibration.Rows(problem.Coupling, problem.Capacity, scaled ? scalingPasses : 0);
        _a = scaled && scalingPasses > 0 ? Equilibration.Scale(problem.Coupling, _rowScale, default) : problem.Coupling;
        int rows = problem.ResourceCount;
        _rows = GC.AllocateArray<RowState>(rows, pinned: true);
        _curvature = new double[rows];
        _capacity = new double[rows];
        _previous = new double[rows];
        _candidate = new double[rows];
        _load = new double[rows];
        _x = new double[problem.AgentCount];
        _certificate = new Certificate<TAgents>(problem);
        _uniformLength = UniformColumnLength(_a);
        _scaled = scaled;
        _accelerate = accelerate && scaled;
        _step = step;
        _inverseMu = inverseMu;
    }

    public int Iterations { get; private set; }

    /// <summary>Passes since the last reset that also stored x and objectives (for diagnostics).</summary>
    public int StoringPasses { get; private set; }

    public RowStatistics Statistics => _statistics;

    public Certificate<TAgents> Certificate => _certificate;

    /// <summary>The stored agent steps of the last storing pass.</summary>
    public double[] X => _x;

    /// <summary>The loads of the last storing pass, in the fibre's units.</summary>
    public double[] Load => _load;

    /// <summary>Copies the current prices (the point the next pass evaluates), in the fibre's units.</summary>
    public void CopyPrices(Span<double> destination)
    {
        for (int l = 0; l < _rows.Length; l++)
        {
            destination[l] = _rowScale[l] * _rows[l].Price;
        }
    }

    /// <summary>Starts from the given prices, or from the cold-start estimate when empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset(ReadOnlySpan<double> initialPrices)
    {
        double[] c = _problem.Capacity;
        RowSense[] senses = _problem.Senses;
        if (initialPrices.IsEmpty)
        {
            PriceEstimate.ColdStart(_problem, _candidate);
        }
        else
        {
            CouplingMatrix.CheckLength(initialPrices.Length, _rows.Length, nameof(initialPrices));
            for (int l = 0; l < _rows.Length; l++)
            {
                if (!double.IsFinite(initialPrices[l]))
                {
                    throw new ArgumentException($"Initial price {l} is not finite.", nameof(initialPrices));
                }
            }

            initialPrices.CopyTo(_candidate);
        }

        for (int l = 0; l < _rows.Length; l++)
        {
            double p = _candidate[l] / _rowScale[l];
            if ((senses[l] == RowSense.LessOrEqual && p < 0) || _problem.Coupling.RowLength(l) == 0)
            {
                p = 0;
            }

            _rows[l] = new RowState { Price = p };
            _capacity[l] = _rowScale[l] * c[l];
            _curvature[l] = 0;
            _previous[l] = p;
        }

        _certificate.Prepare();
        _momentum = 1;
        Iterations = 0;
        StoringPasses = 0;
        _statistics = default;
    }

    /// <summary>Changes the penalty's <c>1 / mu</c> (continuation); momentum restarts.</summary>
    public void SetInverseMu(double inverseMu)
    {
        _inverseMu = inverseMu;
        _momentum = 1;
    }

    /// <summary>Runs <paramref name="count"/> plain iterations (no stopping checks, no allocation).</summary>
    public void Iterate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Pass(store: false);
            RowPass();
        }
    }

    /// <summary>One agent pass; when <paramref name="store"/>, it also records x, the loads and the objectives.</summary>
    /// <returns>For a storing pass, <c>(sum U(x), sum q x)</c> (the utilities summed after the pass, see <see cref="Certificate{TAgents}.PrimalObjective"/>); else zeros.</returns>
    public (double Utility, double Payment) Pass(bool store)
    {
        bool curvature = _scaled && (Iterations < WarmCurvaturePasses || Iterations % CurvatureInterval == 0);
        Iterations++;
        if (curvature)
        {
            Array.Clear(_curvature);
        }

        (double, double) objectives;
        if (store)
        {
            StoringPasses++;
            objectives = curvature ? Dispatch<CurvatureStoringPass>() : Dispatch<StoringPass>();
            objectives.Item1 = _certificate.PrimalObjective(_x);
            for (int l = 0; l < _rows.Length; l++)
            {
                _load[l] = _rows[l].Load / _rowScale[l];
            }
        }
        else
        {
            objectives = curvature ? Dispatch<CurvaturePass>() : Dispatch<PlainPass>();
        }

        return objectives;
    }

    /// <summary>The dual objective at the current prices from a storing pass's sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double DualObjective(double utility, double payment)
    {
        double sum = utility - payment;
        for (int l = 0; l < _rows.Length; l++)
        {
            sum += _capacity[l] * _rows[l].Price;
        }

        return sum;
    }

    private (double, double) Dispatch<TMode>()
        where TMode : struct, IPassMode => _uniformLength switch
        {
            1 => AgentPass<TMode, Length1>(),
            2 => AgentPass<TMode, Length2>(),
            3 => AgentPass<TMode, Length3>(),
            4 => AgentPass<TMode, Length4>(),
            _ => AgentPass<TMode, AnyLength>(),
        };

    /// <summary>
    /// The fused agent pass at the current prices: for each agent, gather its path price, take the
    /// closed-form step and scatter its load (and, on curvature passes, its curvature) into its rows.
    /// When every column has the same small length the entry loops are unrolled and the column
    /// pointers are not read. A storing pass returns <c>(0, sum q x)</c>; <see cref="Pass"/> then sums
    /// the utilities of the stored steps in one vectorisable loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Utility, double Payment) AgentPass<TMode, TLength>()
        where TMode : struct, IPassMode
        where TLength : struct, IColumnLength
    {
        CouplingMatrix a = _a;
        TAgents agents = _problem.Agents;
        int n = a.ColumnCount;
        ref int start = ref MemoryMarshal.GetArrayDataReference(a.ColumnStartArray);
        ref int row = ref MemoryMarshal.GetArrayDataReference(a.ColumnRowArray);
        ref double value = ref MemoryMarshal.GetArrayDataReference(a.ColumnValueArray);
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref double curvature = ref MemoryMarshal.GetArrayDataReference(_curvature);
        ref double xs = ref MemoryMarshal.GetArrayDataReference(_x);
        bool prefetch = Sse.IsSupported && TLength.Value > 0 && _rows.Length >= PrefetchRows;
        double payment = 0;
        int k = 0;
        for (int s = 0; s < n; s++)
        {
            int end = TLength.Value > 0 ? k + TLength.Value : Unsafe.Add(ref start, s + 1);

            // Ask for the row state of an agent a little ahead: its rows are random, and the
            // pass would otherwise wait on each miss in turn.
            if (prefetch && s + PrefetchDistance < n)
            {
                int ahead = k + PrefetchDistance * TLength.Value;
                Prefetch(ref rows, Unsafe.Add(ref row, ahead));
                if (TLength.Value >= 2)
                {
                    Prefetch(ref rows, Unsafe.Add(ref row, ahead + 1));
                }

                if (TLength.Value >= 3)
                {
                    Prefetch(ref rows, Unsafe.Add(ref row, ahead + 2));
                }

                if (TLength.Value >= 4)
                {
                    Prefetch(ref rows, Unsafe.Add(ref row, ahead + 3));
                }
            }

            // Gather the path price q_s = sum_l A_ls pi_l (and |a_s|_1 for the curvature bound).
            double q;
            double norm = 0;
            if (TLength.Value > 0)
            {
                double v0 = Unsafe.Add(ref value, k);
                q = v0 * Unsafe.Add(ref rows, Unsafe.Add(ref row, k)).Price;
                if (TMode.Curvature)
                {
                    norm = Math.Abs(v0);
                }

                if (TLength.Value >= 2)
                {
                    double v1 = Unsafe.Add(ref value, k + 1);
                    q += v1 * Unsafe.Add(ref rows, Unsafe.Add(ref row, k + 1)).Price;
                    if (TMode.Curvature)
                    {
                        norm += Math.Abs(v1);
                    }
                }

                if (TLength.Value >= 3)
                {
                    double v2 = Unsafe.Add(ref value, k + 2);
                    q += v2 * Unsafe.Add(ref rows, Unsafe.Add(ref row, k + 2)).Price;
                    if (TMode.Curvature)
                    {
                        norm += Math.Abs(v2);
                    }
                }

                if (TLength.Value >= 4)
                {
                    double v3 = Unsafe.Add(ref value, k + 3);
                    q += v3 * Unsafe.Add(ref rows, Unsafe.Add(ref row, k + 3)).Price;
                    if (TMode.Curvature)
                    {
                        norm += Math.Abs(v3);
                    }
                }
            }
            else
            {
                q = 0;
                for (int j = k; j < end; j++)
                {
                    double v = Unsafe.Add(ref value, j);
                    q += v * Unsafe.Add(ref rows, Unsafe.Add(ref row, j)).Price;
                    if (TMode.Curvature)
                    {
                        norm += Math.Abs(v);
                    }
                }
            }

            // The agent's closed-form step, then scatter its load (and curvature).
            double x;
            double weight = 0;
            if (TMode.Curvature)
            {
                x = agents.Argmax(s, q, out double d);
                weight = d * norm;
            }
            else
            {
                x = agents.Argmax(s, q);
            }

            if (TLength.Value > 0)
            {
                Scatter<TMode>(ref rows, ref curvature, Unsafe.Add(ref row, k), Unsafe.Add(ref value, k), x, weight);
                if (TLength.Value >= 2)
                {
                    Scatter<TMode>(ref rows, ref curvature, Unsafe.Add(ref row, k + 1), Unsafe.Add(ref value, k + 1), x, weight);
                }

                if (TLength.Value >= 3)
                {
                    Scatter<TMode>(ref rows, ref curvature, Unsafe.Add(ref row, k + 2), Unsafe.Add(ref value, k + 2), x, weight);
                }

                if (TLength.Value >= 4)
                {
                    Scatter<TMode>(ref rows, ref curvature, Unsafe.Add(ref row, k + 3), Unsafe.Add(ref value, k + 3), x, weight);
                }
            }
            else
            {
                for (int j = k; j < end; j++)
                {
                    Scatter<TMode>(ref rows, ref curvature, Unsafe.Add(ref row, j), Unsafe.Add(ref value, j), x, weight);
                }
            }

            if (TMode.Store)
            {
                Unsafe.Add(ref xs, s) = x;
                payment += q * x;
            }

            k = end;
        }

        return (0, payment);
    }

    /// <summary>A prefetch hint for one row's state (the row state array is pinned, and a hint never faults).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref RowState rows, int l) => Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref rows, l)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<TMode>(ref RowState rows, ref double curvature, int l, double v, double x, double weight)
        where TMode : struct, IPassMode
    {
        Unsafe.Add(ref rows, l).Load += v * x;
        if (TMode.Curvature)
        {
            Unsafe.Add(ref curvature, l) += Math.Abs(v) * weight;
        }
    }

    private static int UniformColumnLength(CouplingMatrix a)
    {
        ReadOnlySpan<int> start = a.ColumnStart;
        if (a.ColumnCount == 0)
        {
            return 0;
        }

        int length = start[1] - start[0];
        for (int s = 1; s < a.ColumnCount; s++)
        {
            if (start[s + 1] - start[s] != length)
            {
                return 0;
            }
        }

        return length is >= 1 and <= 4 ? length : 0;
    }

    /// <summary>One full iteration's row work: measure, then move the prices.</summary>
    public void RowPass()
    {
        Measure();
        Advance();
    }

    /// <summary>
    /// Reads the pass just made at the current prices: its statistics and each row's candidate
    /// price (the scaled or fixed projected step). Clears the accumulators for the next pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RowStatistics Measure()
    {
        RowSense[] senses = _problem.Senses;
        double[] budget = _problem.Capacity;
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref double scale = ref MemoryMarshal.GetArrayDataReference(_rowScale);
        ref double candidates = ref MemoryMarshal.GetArrayDataReference(_candidate);
        ref double previous = ref MemoryMarshal.GetArrayDataReference(_previous);
        double inverseMu = _inverseMu;
        double step = _step;
        double restart = 0;
        var st = default(RowStatistics);
        for (int l = 0; l < _rows.Length; l++)
        {
            ref RowState r = ref Unsafe.Add(ref rows, l);
            double y = r.Price;
            double c = _capacity[l];
            double g = r.Load - c;
            bool le = senses[l] == RowSense.LessOrEqual;

            // Statistics in the fibre's units (row l's load and budget are e_l times them here,
            // its price 1 / e_l times; the products y g are the same in both).
            double e = Unsafe.Add(ref scale, l);
            double violation = le ? Math.Max(g, 0) : Math.Abs(g);
            st.WorstRelativeViolation = Math.Max(st.WorstRelativeViolation, violation / (e * Certificate<TAgents>.RowScale(budget[l])));
            st.LagrangianGap -= y * g;
            if (le && g > 0)
            {
                st.OverloadValue += y * g;
            }

            // The penalty mu is the fibre's (pi = mu [a x - c]+ in its units), so here 1 / mu_l = e_l^2 / mu.
            double rowInverseMu = inverseMu * e * e;
            if (inverseMu > 0)
            {
                // Penalty: the overload's distance from its fixed point pi / mu, in row units.
                double overload = le ? Math.Max(g, 0) : g;
                st.FixedPointResidual = Math.Max(
                    st.FixedPointResidual, Math.Abs(y * rowInverseMu - overload) / (e * Math.Max(1, Math.Abs(budget[l]))));
            }

            // Descent direction of f at y: -grad f = A x - c - y / mu.
            double direction = g - rowInverseMu * y;
            double candidate;
            if (!_scaled)
            {
                candidate = y + step * direction;
            }
            else
            {
                double p = _curvature[l] + rowInverseMu;
                candidate = p > 0 ? y + step * direction / p : (le && g <= 0 ? 0 : y);
            }

            if (le && candidate < 0)
            {
                candidate = 0;
            }

            Unsafe.Add(ref candidates, l) = candidate;
            restart += direction * (candidate - Unsafe.Add(ref previous, l));
            st.StepLength = Math.Max(st.StepLength, Math.Abs(candidate - y));
            r.Load = 0;
        }

        _restart = restart;
        _statistics = st;
        return st;
    }

    /// <summary>Moves to the candidates, with momentum unless the step does not descend at y (gradient restart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Advance()
    {
        RowSense[] senses = _problem.Senses;
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        double beta = 0;
        if (_accelerate)
        {
            if (_restart < 0)
            {
                _momentum = 1;
            }
            else
            {
                double next = 0.5 * (1 + Math.Sqrt(1 + 4 * _momentum * _momentum));
                beta = (_momentum - 1) / next;
                _momentum = next;
            }
        }

        for (int l = 0; l < _rows.Length; l++)
        {
            double candidate = _candidate[l];
            double y = candidate + beta * (candidate - _previous[l]);
            if (y < 0 && senses[l] == RowSense.LessOrEqual)
            {
                y = 0;
            }

            Unsafe.Add(ref rows, l).Price = y;
            _previous[l] = candidate;
        }
    }

    // Pass shapes as types, so that the JIT compiles one loop per combination with the flags folded.
    private interface IPassMode
    {
        static abstract bool Store { get; }

        static abstract bool Curvature { get; }
    }

    private interface IColumnLength
    {
        /// <summary>Entries per column, or 0 when columns differ.</summary>
        static abstract int Value { get; }
    }

    private struct PlainPass : IPassMode
    {
        public static bool Store => false;

        public static bool Curvature => false;
    }

    private struct CurvaturePass : IPassMode
    {
        public static bool Store => false;

        public static bool Curvature => true;
    }

    private struct StoringPass : IPassMode
    {
        public static bool Store => true;

        public static bool Curvature => false;
    }

    private struct CurvatureStoringPass : IPassMode
    {
        public static bool Store => true;

        public static bool Curvature => true;
    }

    private struct AnyLength : IColumnLength
    {
        public static int Value => 0;
    }

    private struct Length1 : IColumnLength
    {
        public static int Value => 1;
    }

    private struct Length2 : IColumnLength
    {
        public static int Value => 2;
    }

    private struct Length3 : IColumnLength
    {
        public static int Value => 3;
    }

    private struct Length4 : IColumnLength
    {
        public static int Value => 4;
    }
}

/// <summary>Cheap statistics of one agent pass, gathered during the row pass.</summary>
internal struct RowStatistics
{
    /// <summary>Worst relative row violation of the iterate.</summary>
    public double WorstRelativeViolation;

    /// <summary><c>pi^T (c - A x)</c> = <c>D(pi) - sum U(x)</c> at the iterate.</summary>
    public double LagrangianGap;

    /// <summary><c>sum_l pi_l (a_l x - c_l)+</c>: what recovering feasibility roughly costs.</summary>
    public double OverloadValue;

    /// <summary><c>max_l |candidate_l - pi_l|</c>.</summary>
    public double StepLength;

    /// <summary>Penalty only: <c>max_l |pi_l / mu - [a_l x - c_l]+| / max(1, |c_l|)</c>.</summary>
    public double FixedPointResidual;
}
