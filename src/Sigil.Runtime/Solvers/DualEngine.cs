using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// bytes, so a 100,000-row problem's row state stays in L2) and skip the sensitivity arithmetic.
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

    /// <summary>How many agents ahead the vector pass prefetches row state...</summary>
    private const int VectorRowPrefetch = 32;

    /// <summary>
    /// ... and its streams, with the non-temporal hint: the streams are read once per pass, and
    /// keeping them out of the caches' way leaves more room for the row state they would evict.
    /// </summary>
    private const int VectorStreamPrefetch = 64;

    private readonly NumProblem<TAgents> _problem;
    private readonly RowState[] _rows;
    private readonly double[] _curvature;
    private readonly double[] _capacity;
    private readonly double[] _previous;
    private readonly double[] _candidate;
    private readonly double[] _x;
    private readonly double[] _load;
    private readonly Certificate<TAgents> _certificate;
    private readonly int _uniformLength;
    private readonly bool _vectorLog;
    private readonly int[]? _slotRow;
    private readonly double[]? _slotValue;
    private readonly bool _scaled;
    private readonly bool _accelerate;
    private readonly double _step;
    private readonly double _inverseMu;
    private double _momentum;
    private double _restart;
    private RowStatistics _statistics;

    public DualEngine(NumProblem<TAgents> problem, bool scaled, bool accelerate, double step, double inverseMu)
    {
        _problem = problem;
        int rows = problem.ResourceCount;
        _rows = GC.AllocateArray<RowState>(rows, pinned: true);
        _curvature = new double[rows];
        _capacity = new double[rows];
        _previous = new double[rows];
        _candidate = new double[rows];
        _load = new double[rows];
        _x = new double[problem.AgentCount];
        _certificate = new Certificate<TAgents>(problem);
        _uniformLength = UniformColumnLength(problem.Coupling);
        _vectorLog = typeof(TAgents) == typeof(LogAgents) && Avx512F.IsSupported && Avx2.IsSupported && _uniformLength > 0;
        if (_vectorLog)
        {
            // The slot-major copy of the entries the vector pass reads.
            CouplingMatrix a = problem.Coupling;
            int n = a.ColumnCount;
            _slotRow = new int[a.NonZeroCount];
            _slotValue = new double[a.NonZeroCount];
            for (int s = 0; s < n; s++)
            {
                for (int j = 0; j < _uniformLength; j++)
                {
                    _slotRow[j * n + s] = a.ColumnRow[s * _uniformLength + j];
                    _slotValue[j * n + s] = a.ColumnValue[s * _uniformLength + j];
                }
            }
        }
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

    /// <summary>The loads of the last storing pass.</summary>
    public double[] Load => _load;

    /// <summary>Copies the current prices (the point the next pass evaluates).</summary>
    public void CopyPrices(Span<double> destination)
    {
        for (int l = 0; l < _rows.Length; l++)
        {
            destination[l] = _rows[l].Price;
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
            double p = _candidate[l];
            if ((senses[l] == RowSense.LessOrEqual && p < 0) || _problem.Coupling.RowLength(l) == 0)
            {
                p = 0;
            }

            _rows[l] = new RowState { Price = p };
            _capacity[l] = c[l];
            _curvature[l] = 0;
            _previous[l] = p;
        }

        _certificate.Prepare();
        _momentum = 1;
        Iterations = 0;
        StoringPasses = 0;
        _statistics = default;
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
    /// <returns>For a storing pass, <c>(sum U(x), sum q x)</c>; else zeros.</returns>
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
            for (int l = 0; l < _rows.Length; l++)
            {
                _load[l] = _rows[l].Load;
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
        where TMode : struct, IPassMode
    {
        if (_vectorLog && !TMode.Store)
        {
            int done = _uniformLength switch
            {
                1 => VectorLogPass<TMode, Length1>(),
                2 => VectorLogPass<TMode, Length2>(),
                3 => VectorLogPass<TMode, Length3>(),
                _ => VectorLogPass<TMode, Length4>(),
            };
            return Scalar<TMode>(done);
        }

        return Scalar<TMode>(0);
    }

    private (double, double) Scalar<TMode>(int from)
        where TMode : struct, IPassMode => _uniformLength switch
        {
            1 => AgentPass<TMode, Length1>(from),
            2 => AgentPass<TMode, Length2>(from),
            3 => AgentPass<TMode, Length3>(from),
            4 => AgentPass<TMode, Length4>(from),
            _ => AgentPass<TMode, AnyLength>(from),
        };

    /// <summary>
    /// The agent pass for <see cref="LogAgents"/> with AVX-512, eight agents at a time: the path
    /// prices are gathered and the closed-form steps computed in vectors; the loads are then
    /// scattered one entry at a time in the scalar pass's order, with the scalar pass's arithmetic,
    /// so both paths give the same bits. Reads the column entries from a slot-major copy (entry
    /// <c>j</c> of agent <c>s</c> at <c>j n + s</c>). Returns how many agents it handled (a
    /// multiple of eight); the scalar pass finishes the rest.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int VectorLogPass<TMode, TLength>()
        where TMode : struct, IPassMode
        where TLength : struct, IColumnLength
    {
        TAgents agents = _problem.Agents;
        ref LogAgents log = ref Unsafe.As<TAgents, LogAgents>(ref agents);
        int n = _x.Length;
        int blocks = n & ~7;
        double* lanes = stackalloc double[16];
        fixed (double* w = log.WeightArray, eps = log.OffsetArray, lo = log.LowerArray, hi = log.UpperArray)
        fixed (int* slotRow = _slotRow)
        fixed (double* slotValue = _slotValue, curvature = _curvature)
        fixed (RowState* rows = _rows)
        {
            double* price = &rows->Price;
            for (int s = 0; s < blocks; s += 8)
            {
                // Row state a few blocks ahead (its rows are random), and the streams further ahead.
                if (s + VectorRowPrefetch < blocks)
                {
                    for (int j = 0; j < TLength.Value; j++)
                    {
                        int* ahead = slotRow + j * n + s + VectorRowPrefetch;
                        for (int i = 0; i < 8; i++)
                        {
                            Sse.Prefetch0(rows + ahead[i]);
                        }
                    }
                }

                if (s + VectorStreamPrefetch < blocks)
                {
                    int t = s + VectorStreamPrefetch;
                    Sse.PrefetchNonTemporal(w + t);
                    Sse.PrefetchNonTemporal(eps + t);
                    Sse.PrefetchNonTemporal(lo + t);
                    Sse.PrefetchNonTemporal(hi + t);
                    for (int j = 0; j < TLength.Value; j++)
                    {
                        Sse.PrefetchNonTemporal(slotValue + j * n + t);
                        Sse.PrefetchNonTemporal(slotRow + j * n + t);
                    }
                }

                // q = sum_j v_j pi[row_j], in the scalar pass's order (multiply, then add).
                Vector256<int> i0 = Vector256.Load(slotRow + s);
                Vector512<double> v0 = Vector512.Load(slotValue + s);
                Vector512<double> q = v0 * Gather(price, i0 + i0);
                Vector512<double> norm = Vector512.Abs(v0);
                if (TLength.Value >= 2)
                {
                    Vector256<int> i1 = Vector256.Load(slotRow + n + s);
                    Vector512<double> v1 = Vector512.Load(slotValue + n + s);
                    q += v1 * Gather(price, i1 + i1);
                    norm += Vector512.Abs(v1);
                }

                if (TLength.Value >= 3)
                {
                    Vector256<int> i2 = Vector256.Load(slotRow + 2 * n + s);
                    Vector512<double> v2 = Vector512.Load(slotValue + 2 * n + s);
                    q += v2 * Gather(price, i2 + i2);
                    norm += Vector512.Abs(v2);
                }

                if (TLength.Value >= 4)
                {
                    Vector256<int> i3 = Vector256.Load(slotRow + 3 * n + s);
                    Vector512<double> v3 = Vector512.Load(slotValue + 3 * n + s);
                    q += v3 * Gather(price, i3 + i3);
                    norm += Vector512.Abs(v3);
                }

                // x = clamp(w / q - eps, lo, hi), and hi where q <= 0 (as UtilityMath.LogArgmax).
                Vector512<double> wv = Vector512.Load(w + s);
                Vector512<double> ev = Vector512.Load(eps + s);
                Vector512<double> lov = Vector512.Load(lo + s);
                Vector512<double> hiv = Vector512.Load(hi + s);
                Vector512<double> positive = Vector512.GreaterThan(q, Vector512<double>.Zero);
                Vector512<double> r = Vector512<double>.One / q;
                Vector512<double> y = wv * r;
                Vector512<double> x = y - ev;
                Vector512<double> below = Vector512.LessThan(x, lov);
                Vector512<double> inside = Vector512.AndNot(Vector512.LessThanOrEqual(x, hiv), below);
                Vector512<double> clamped = Vector512.ConditionalSelect(below, lov, hiv);
                x = Vector512.ConditionalSelect(positive & inside, x, Vector512.ConditionalSelect(positive, clamped, hiv));
                x.Store(lanes);
                if (TMode.Curvature)
                {
                    Vector512<double> z = x + ev;
                    Vector512<double> sensitivity = Vector512.ConditionalSelect(positive & inside, y * r, z * z / wv);
                    (sensitivity * norm).Store(lanes + 8);
                }

                // Scatter, agent by agent and entry by entry, as the scalar pass does.
                for (int i = 0; i < 8; i++)
                {
                    double xi = lanes[i];
                    double weight = TMode.Curvature ? lanes[8 + i] : 0;
                    for (int j = 0; j < TLength.Value; j++)
                    {
                        int e = j * n + s + i;
                        int l = slotRow[e];
                        double v = slotValue[e];
                        rows[l].Load += v * xi;
                        if (TMode.Curvature)
                        {
                            curvature[l] += Math.Abs(v) * weight;
                        }
                    }
                }
            }
        }

        return blocks;
    }

    /// <summary>
    /// The fused agent pass at the current prices: for each agent, gather its path price, take the
    /// closed-form step and scatter its load (and, on curvature passes, its curvature) into its rows.
    /// When every column has the same small length the entry loops are unrolled and the column
    /// pointers are not read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Utility, double Payment) AgentPass<TMode, TLength>(int from)
        where TMode : struct, IPassMode
        where TLength : struct, IColumnLength
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        int n = a.ColumnCount;
        ref int start = ref MemoryMarshal.GetArrayDataReference(a.ColumnStartArray);
        ref int row = ref MemoryMarshal.GetArrayDataReference(a.ColumnRowArray);
        ref double value = ref MemoryMarshal.GetArrayDataReference(a.ColumnValueArray);
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref double curvature = ref MemoryMarshal.GetArrayDataReference(_curvature);
        ref double xs = ref MemoryMarshal.GetArrayDataReference(_x);
        double utility = 0;
        double payment = 0;
        int k = TLength.Value > 0 ? from * TLength.Value : Unsafe.Add(ref start, from);
        for (int s = from; s < n; s++)
        {
            int end = TLength.Value > 0 ? k + TLength.Value : Unsafe.Add(ref start, s + 1);

            // Ask for the row state of an agent a little ahead: its rows are random, and the
            // pass would otherwise wait on each miss in turn.
            if (Sse.IsSupported && TLength.Value > 0 && s + PrefetchDistance < n)
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
                utility += agents.Utility(s, x);
                payment += q * x;
            }

            k = end;
        }

        return (utility, payment);
    }

    /// <summary>Eight doubles at <c>base[index]</c> (two AVX2 gathers; .NET has no 512-bit gather).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<double> Gather(double* basePointer, Vector256<int> index) =>
        Vector512.Create(Avx2.GatherVector256(basePointer, index.GetLower(), 8), Avx2.GatherVector256(basePointer, index.GetUpper(), 8));

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
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
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

            double violation = le ? Math.Max(g, 0) : Math.Abs(g);
            st.WorstRelativeViolation = Math.Max(st.WorstRelativeViolation, violation / Certificate<TAgents>.RowScale(c));
            st.LagrangianGap -= y * g;
            if (le && g > 0)
            {
                st.OverloadValue += y * g;
            }

            if (inverseMu > 0)
            {
                // Penalty: the overload's distance from its fixed point pi / mu, in row units.
                double overload = le ? Math.Max(g, 0) : g;
                st.FixedPointResidual = Math.Max(
                    st.FixedPointResidual, Math.Abs(y * inverseMu - overload) / Math.Max(1, Math.Abs(c)));
            }

            // Descent direction of f at y: -grad f = A x - c - y / mu.
            double direction = g - inverseMu * y;
            double candidate;
            if (!_scaled)
            {
                candidate = y + step * direction;
            }
            else
            {
                double p = _curvature[l] + inverseMu;
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
