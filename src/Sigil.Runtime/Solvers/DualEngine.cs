using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// Stopping: every pass yields cheap row statistics at the current prices (worst overload and the
/// Lagrangian gap <c>pi^T (c - A x)</c>). When they predict success, the next pass also stores the
/// agents' steps and utilities, and a full certificate is computed (dual objective, recovered
/// primal, exact gap); the solve stops when that certificate meets both tolerances.
/// </para>
/// </remarks>
internal sealed class DualEngine<TAgents>
    where TAgents : struct, IAgentStep
{
    private readonly NumProblem<TAgents> _problem;
    private readonly RowState[] _rows;
    private readonly double[] _previous;
    private readonly double[] _candidate;
    private readonly double[] _x;
    private readonly double[] _load;
    private readonly Certificate<TAgents> _certificate;
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
        _rows = new RowState[rows];
        _previous = new double[rows];
        _candidate = new double[rows];
        _load = new double[rows];
        _x = new double[problem.AgentCount];
        _certificate = new Certificate<TAgents>(problem);
        _scaled = scaled;
        _accelerate = accelerate && scaled;
        _step = step;
        _inverseMu = inverseMu;
    }

    public int Iterations { get; private set; }

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

    public double Price(int row) => _rows[row].Price;

    /// <summary>Starts from the given prices, or from the cold-start estimate when empty.</summary>
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
            if (senses[l] == RowSense.LessOrEqual && p < 0)
            {
                p = 0;
            }

            if (_problem.Coupling.RowLength(l) == 0)
            {
                p = 0;
            }

            _rows[l] = new RowState { Price = p, Capacity = c[l] };
            _previous[l] = p;
        }

        _momentum = 1;
        Iterations = 0;
        _statistics = default;
    }

    /// <summary>Runs <paramref name="count"/> plain iterations (no stopping checks, no allocation).</summary>
    public void Iterate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (_scaled)
            {
                AgentPass<ScaledPass>();
            }
            else
            {
                AgentPass<FixedPass>();
            }

            Iterations++;
            RowPass();
        }
    }

    /// <summary>One iteration; when <paramref name="store"/>, the pass also records x and objectives.</summary>
    /// <returns>For a storing pass, <c>(sum U(x), sum q x)</c>; else zeros.</returns>
    public (double Utility, double Payment) Pass(bool store)
    {
        Iterations++;
        (double, double) objectives = (0, 0);
        if (store)
        {
            objectives = _scaled ? AgentPass<ScaledStoringPass>() : AgentPass<FixedStoringPass>();
            for (int l = 0; l < _rows.Length; l++)
            {
                _load[l] = _rows[l].Load;
            }
        }
        else if (_scaled)
        {
            AgentPass<ScaledPass>();
        }
        else
        {
            AgentPass<FixedPass>();
        }

        return objectives;
    }

    /// <summary>The dual objective at the current prices from a storing pass's sums.</summary>
    public double DualObjective(double utility, double payment)
    {
        double sum = utility - payment;
        for (int l = 0; l < _rows.Length; l++)
        {
            sum += _rows[l].Capacity * _rows[l].Price;
        }

        return sum;
    }

    /// <summary>
    /// The fused agent pass at the current prices: for each agent, gather its path price, take the
    /// closed-form step and scatter its load (and curvature) into its rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Utility, double Payment) AgentPass<TMode>()
        where TMode : struct, IPassMode
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        int n = a.ColumnCount;
        ref int start = ref MemoryMarshal.GetArrayDataReference(a.ColumnStartArray);
        ref int row = ref MemoryMarshal.GetArrayDataReference(a.ColumnRowArray);
        ref double value = ref MemoryMarshal.GetArrayDataReference(a.ColumnValueArray);
        ref RowState rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref double xs = ref MemoryMarshal.GetArrayDataReference(_x);
        double utility = 0;
        double payment = 0;
        int k = 0;
        for (int s = 0; s < n; s++)
        {
            int end = Unsafe.Add(ref start, s + 1);
            double q = 0;
            double norm = 0;
            for (int j = k; j < end; j++)
            {
                double v = Unsafe.Add(ref value, j);
                q += v * Unsafe.Add(ref rows, Unsafe.Add(ref row, j)).Price;
                if (TMode.Curvature)
                {
                    norm += Math.Abs(v);
                }
            }

            double x;
            if (TMode.Curvature)
            {
                x = agents.Argmax(s, q, out double d);
                double weight = d * norm;
                for (int j = k; j < end; j++)
                {
                    double v = Unsafe.Add(ref value, j);
                    ref RowState r = ref Unsafe.Add(ref rows, Unsafe.Add(ref row, j));
                    r.Load += v * x;
                    r.Curvature += Math.Abs(v) * weight;
                }
            }
            else
            {
                x = agents.Argmax(s, q);
                for (int j = k; j < end; j++)
                {
                    Unsafe.Add(ref rows, Unsafe.Add(ref row, j)).Load += Unsafe.Add(ref value, j) * x;
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
            double c = r.Capacity;
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
                double fixedPoint = g / inverseMu;
                if (le && fixedPoint < 0)
                {
                    fixedPoint = 0;
                }

                st.FixedPointResidual = Math.Max(st.FixedPointResidual, Math.Abs(y - fixedPoint));
                st.LargestPrice = Math.Max(st.LargestPrice, Math.Abs(y));
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
                double p = r.Curvature + inverseMu;
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
            r.Curvature = 0;
        }

        _restart = restart;
        _statistics = st;
        return st;
    }

    /// <summary>Moves to the candidates, with momentum unless the step does not descend at y (gradient restart).</summary>
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

    private interface IPassMode
    {
        static abstract bool Store { get; }

        static abstract bool Curvature { get; }
    }

    private struct ScaledPass : IPassMode
    {
        public static bool Store => false;

        public static bool Curvature => true;
    }

    private struct ScaledStoringPass : IPassMode
    {
        public static bool Store => true;

        public static bool Curvature => true;
    }

    private struct FixedPass : IPassMode
    {
        public static bool Store => false;

        public static bool Curvature => false;
    }

    private struct FixedStoringPass : IPassMode
    {
        public static bool Store => true;

        public static bool Curvature => false;
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

    /// <summary>Penalty only: <c>max_l |pi_l - mu [a_l x - c_l]+|</c>.</summary>
    public double FixedPointResidual;

    /// <summary>Penalty only: <c>max_l |pi_l|</c>.</summary>
    public double LargestPrice;
}
