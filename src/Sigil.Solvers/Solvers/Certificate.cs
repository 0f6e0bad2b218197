using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Measures a primal-dual pair: recovers a feasible primal from an iterate, evaluates both
/// objectives and the row violations. Holds its own work buffers, so it allocates only when built.
/// </summary>
/// <remarks>
/// Primal recovery (for <c>A &gt;= 0</c>): each overloaded <c>&lt;=</c> row <c>l</c> gets the factor
/// <c>theta_l = (c_l - a_l m) / (a_l x - a_l m)</c>, with <c>m</c> the lower bounds; each agent
/// moves towards its lower bound by the smallest factor of its rows,
/// <c>x_s &lt;- m_s + theta_s (x_s - m_s)</c>. Every <c>&lt;=</c> row then holds exactly (its load
/// is at most <c>a_l m + theta_l (a_l x - a_l m) = c_l</c>), bounds still hold, and because the
/// iterate is close to optimal the objective moves by about <c>pi^T (A x - c)+</c>. Equality rows
/// are not repaired (their violation is measured and reported).
/// </remarks>
internal sealed class Certificate<TAgents>
    where TAgents : struct, IAgentStep
{
    private readonly NumProblem<TAgents> _problem;
    private readonly double[] _theta;
    private readonly double[] _baseLoad;
    private readonly double[] _size;

    public Certificate(NumProblem<TAgents> problem)
    {
        _problem = problem;
        int rows = problem.ResourceCount;
        _theta = new double[rows];
        _baseLoad = new double[rows];
        _size = new double[rows];
        RecoveredX = new double[problem.AgentCount];
        RecoveredLoad = new double[rows];
    }

    public double[] RecoveredX { get; }

    public double[] RecoveredLoad { get; }

    /// <summary>Recovery is exact only for a nonnegative coupling matrix.</summary>
    public bool CanRecover => _problem.Coupling.IsNonnegative;

    /// <summary>Worst violation (absolute and relative) of the given loads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Absolute, double Relative) Violation(ReadOnlySpan<double> load, double[] capacity, RowSense[] senses)
    {
        double worst = 0;
        double worstRelative = 0;
        for (int l = 0; l < load.Length; l++)
        {
            double g = load[l] - capacity[l];
            double v = senses[l] == RowSense.Equal ? Math.Abs(g) : Math.Max(g, 0);
            worst = Math.Max(worst, v);
            worstRelative = Math.Max(worstRelative, v / RowScale(capacity[l]));
        }

        return (worst, worstRelative);
    }

    /// <summary>
    /// True when the loads of a point in the box violate no row by more than
    /// <see cref="Infeasibility.Threshold"/> times its budget (rows with a zero budget not at all).
    /// Then no price vector can prove the problem infeasible: for any admissible <c>y</c>,
    /// <c>y^T A x - c^T y &lt;= sum_l |y_l| v_l &lt;= Threshold sum_l |c_l y_l|</c>, so its
    /// <see cref="Infeasibility.Margin{TAgents}"/> is at most the threshold. O(L).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool ProvesFeasible(ReadOnlySpan<double> load, double[] capacity, RowSense[] senses)
    {
        for (int l = 0; l < load.Length; l++)
        {
            double g = load[l] - capacity[l];
            double v = senses[l] == RowSense.Equal ? Math.Abs(g) : Math.Max(g, 0);
            if (!(v <= Infeasibility.Threshold * Math.Abs(capacity[l])))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double RowScale(double capacity) => capacity != 0 ? Math.Abs(capacity) : 1.0;

    /// <summary>The dual function <c>D(pi) = sum_s max_x [U_s(x) - q_s x] + c^T pi</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double DualObjective(ReadOnlySpan<double> prices) => DualObjective(prices, default);

    /// <summary>
    /// The dual function as <see cref="DualObjective(ReadOnlySpan{double})"/>, except that an agent whose
    /// step runs to an infinite bound (a free linear variable whose price is not exactly its weight)
    /// contributes its Lagrangian term at <paramref name="x"/> instead of +infinity: its mismatch is
    /// what the stationarity test measures, and the gap then compares the remaining terms.
    /// </summary>
    public double DualObjective(ReadOnlySpan<double> prices, ReadOnlySpan<double> x)
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        double sum = 0;
        for (int s = 0; s < agents.Count; s++)
        {
            double q = 0;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                q += value[k] * prices[row[k]];
            }

            double step = agents.Argmax(s, q);
            if (double.IsInfinity(step) && !x.IsEmpty)
            {
                step = x[s];
            }

            sum += agents.Utility(s, step) - q * step;
        }

        double[] c = _problem.Capacity;
        for (int l = 0; l < c.Length; l++)
        {
            sum += c[l] * prices[l];
        }

        return sum;
    }

    /// <summary><c>sum_s U_s(x_s)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double PrimalObjective(ReadOnlySpan<double> x)
    {
        TAgents agents = _problem.Agents;
        if (typeof(TAgents) == typeof(LogAgents))
        {
            return Unsafe.As<TAgents, LogAgents>(ref agents).UtilitySum(x);
        }

        double sum = 0;
        for (int s = 0; s < x.Length; s++)
        {
            sum += agents.Utility(s, x[s]);
        }

        return sum;
    }

    /// <summary>
    /// Computes the base loads <c>a_l m</c> of the lower bounds; call at the start of each solve
    /// (the bounds may have changed since the last one).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Prepare()
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        Array.Clear(_baseLoad);
        for (int s = 0; s < agents.Count; s++)
        {
            double lo = agents.Lower(s);
            if (lo != 0)
            {
                for (int k = start[s]; k < start[s + 1]; k++)
                {
                    _baseLoad[row[k]] += value[k] * lo;
                }
            }
        }
    }

    /// <summary>
    /// Recovers <see cref="RecoveredX"/> from <paramref name="x"/> with loads <paramref name="load"/>,
    /// fills <see cref="RecoveredLoad"/>, and returns <c>sum_s U_s</c> at the recovered point.
    /// Needs <see cref="Prepare"/> first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Recover(ReadOnlySpan<double> x, ReadOnlySpan<double> load)
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        double[] c = _problem.Capacity;
        RowSense[] senses = _problem.Senses;
        int[] start = a.ColumnStartArray;
        ref int row = ref MemoryMarshal.GetArrayDataReference(a.ColumnRowArray);
        ref double value = ref MemoryMarshal.GetArrayDataReference(a.ColumnValueArray);

        for (int l = 0; l < c.Length; l++)
        {
            double theta = 1;
            if (senses[l] == RowSense.LessOrEqual && load[l] > c[l])
            {
                theta = load[l] > _baseLoad[l] ? Math.Clamp((c[l] - _baseLoad[l]) / (load[l] - _baseLoad[l]), 0, 1) : 0;
            }

            _theta[l] = theta;
        }

        Array.Clear(RecoveredLoad);
        for (int s = 0; s < agents.Count; s++)
        {
            double theta = 1;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                theta = Math.Min(theta, _theta[Unsafe.Add(ref row, k)]);
            }

            double lo = agents.Lower(s);
            double xs = theta < 1 ? lo + theta * (x[s] - lo) : x[s];
            RecoveredX[s] = xs;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                RecoveredLoad[Unsafe.Add(ref row, k)] += Unsafe.Add(ref value, k) * xs;
            }
        }

        return PrimalObjective(RecoveredX);
    }

    /// <summary>
    /// Measures the point a solve returns against <paramref name="tolerances"/> (see
    /// <see cref="SolveStatus.Solved"/>): rows on <paramref name="x"/> with loads <paramref name="load"/>,
    /// each agent's stationarity <c>U'_s(x_s) - q_s</c> projected on its box's normal cone, and the gap
    /// between <paramref name="dual"/> and <paramref name="primal"/>. O(nnz); allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Accuracy Assess(
        ReadOnlySpan<double> x, ReadOnlySpan<double> load, ReadOnlySpan<double> prices, double primal, double dual, Tolerances tolerances)
    {
        CouplingMatrix a = _problem.Coupling;
        TAgents agents = _problem.Agents;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        double[] c = _problem.Capacity;
        RowSense[] senses = _problem.Senses;
        Array.Clear(_size);
        double dualRatio = 0;
        double worstStationarity = 0;
        for (int s = 0; s < agents.Count; s++)
        {
            double xs = x[s];
            double q = 0;
            double qSize = 0;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                int l = row[k];
                double v = value[k];
                q += v * prices[l];
                qSize += Math.Abs(v * prices[l]);
                _size[l] += Math.Abs(v * xs);
            }

            double marginal = agents.Marginal(s, xs);
            double g = marginal - q;
            double residual = xs <= agents.Lower(s) ? Math.Max(g, 0)
                : xs >= agents.Upper(s) ? Math.Max(-g, 0)
                : Math.Abs(g);
            if (double.IsNaN(residual) || double.IsNaN(xs))
            {
                residual = double.PositiveInfinity;
            }

            worstStationarity = Math.Max(worstStationarity, residual);
            double allowance = tolerances.Absolute + tolerances.Relative * Math.Max(Math.Abs(marginal), qSize);
            dualRatio = Math.Max(dualRatio, residual / allowance);
        }

        double primalRatio = 0;
        for (int l = 0; l < load.Length; l++)
        {
            double g = load[l] - c[l];
            double violation = senses[l] == RowSense.Equal ? Math.Abs(g) : Math.Max(g, 0);
            if (senses[l] == RowSense.LessOrEqual && prices[l] < 0)
            {
                dualRatio = double.PositiveInfinity;
            }

            double allowance = tolerances.Absolute + tolerances.Feasibility * Math.Max(_size[l], Math.Abs(c[l]));
            primalRatio = Math.Max(primalRatio, double.IsNaN(violation) ? double.PositiveInfinity : violation / allowance);
        }

        double gap = Math.Abs(dual - primal);
        double gapRatio = gap / (tolerances.Absolute + tolerances.Relative * Math.Max(Math.Abs(primal), Math.Abs(dual)));
        return new Accuracy(primalRatio, dualRatio, double.IsNaN(gapRatio) ? double.PositiveInfinity : gapRatio, worstStationarity);
    }
}
