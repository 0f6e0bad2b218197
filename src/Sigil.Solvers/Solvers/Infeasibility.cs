using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Certificates that a problem has no solution, which any caller can check: a price vector that
/// proves the rows and bounds cannot all hold (Farkas), or a direction along which the utility grows
/// without bound.
/// </summary>
public static class Infeasibility
{
    /// <summary>A certificate must beat rounding by this much, relative to the size of its terms.</summary>
    public const double Threshold = 1e-9;

    /// <summary>
    /// The relative Farkas margin of <paramref name="y"/>: with <c>w = A^T y</c>,
    /// <c>(min_{x in [m, M]} w^T x - c^T y) / (sum_s |w_s| max(|m_s|, |M_s|) + sum_l |c_l y_l|)</c>.
    /// Every feasible x has <c>y^T A x &lt;= c^T y</c> when <c>y_l &gt;= 0</c> on <c>&lt;=</c> rows, so a margin
    /// above <see cref="Threshold"/> proves the problem infeasible. Returns -infinity when y has the
    /// wrong sign on a <c>&lt;=</c> row, or when the minimum is unbounded below (A^T y pushes against an infinite bound).
    /// </summary>
    public static double Margin<TAgents>(NumProblem<TAgents> problem, ReadOnlySpan<double> y)
        where TAgents : struct, IAgentStep
    {
        ArgumentNullException.ThrowIfNull(problem);
        CouplingMatrix.CheckLength(y.Length, problem.ResourceCount, nameof(y));
        double[] c = problem.Capacity;
        double rhs = 0;
        double scale = 0;
        for (int l = 0; l < y.Length; l++)
        {
            if (!double.IsFinite(y[l]) || (problem.Senses[l] == RowSense.LessOrEqual && y[l] < 0))
            {
                return double.NegativeInfinity;
            }

            rhs += c[l] * y[l];
            scale += Math.Abs(c[l] * y[l]);
        }

        CouplingMatrix a = problem.Coupling;
        TAgents agents = problem.Agents;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        double least = 0;
        for (int s = 0; s < agents.Count; s++)
        {
            double w = 0;
            double size = 0;
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                w += value[k] * y[row[k]];
                size += Math.Abs(value[k] * y[row[k]]);
            }

            // Terms that cancel to rounding are zero: they must not lean on an infinite bound.
            if (Math.Abs(w) <= 1e-14 * size)
            {
                continue;
            }

            double bound = w > 0 ? agents.Lower(s) : agents.Upper(s);
            if (!double.IsFinite(bound))
            {
                return double.NegativeInfinity;
            }

            least += w * bound;
            scale += Math.Abs(w * bound);
        }

        return (least - rhs) / Math.Max(scale, 1e-300);
    }

    /// <summary>True when <paramref name="y"/> proves the problem infeasible (<see cref="Margin{TAgents}"/> above <see cref="Threshold"/>).</summary>
    public static bool Proves<TAgents>(NumProblem<TAgents> problem, ReadOnlySpan<double> y)
        where TAgents : struct, IAgentStep => Margin(problem, y) > Threshold;

    /// <summary>
    /// Looks for a single row that its bounds alone make impossible (the lightest load the box allows
    /// exceeds a <c>&lt;=</c> budget, or an equality budget lies outside the loads the box allows) and
    /// returns its certificate (<c>e_l</c> or <c>-e_l</c>), or null. O(nnz).
    /// </summary>
    public static double[]? RowCertificate<TAgents>(NumProblem<TAgents> problem)
        where TAgents : struct, IAgentStep
    {
        ArgumentNullException.ThrowIfNull(problem);

        // Every row's Margin at e_l and at -e_l in one pass over the columns (Margin itself is
        // O(N + nnz), and a call per row made the presolve O(L (N + nnz)), the bulk of a warm
        // re-solve): the same sums, in the same order, per row.
        int rowCount = problem.ResourceCount;
        double[] c = problem.Capacity;
        var least = new double[2 * rowCount];
        var scale = new double[2 * rowCount];
        var unbounded = new bool[2 * rowCount];
        for (int l = 0; l < rowCount; l++)
        {
            scale[2 * l] = Math.Abs(c[l]);
            scale[(2 * l) + 1] = Math.Abs(c[l]);
        }

        CouplingMatrix a = problem.Coupling;
        TAgents agents = problem.Agents;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        for (int s = 0; s < agents.Count; s++)
        {
            double lower = agents.Lower(s);
            double upper = agents.Upper(s);
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                double v = value[k];
                if (v == 0)
                {
                    continue;
                }

                int l = row[k];
                Add(least, scale, unbounded, 2 * l, v, v > 0 ? lower : upper);
                Add(least, scale, unbounded, (2 * l) + 1, -v, v < 0 ? lower : upper);
            }
        }

        for (int l = 0; l < rowCount; l++)
        {
            for (int side = 0; side < (problem.Senses[l] == RowSense.Equal ? 2 : 1); side++)
            {
                int i = (2 * l) + side;
                double sign = side == 0 ? 1 : -1;
                if (!unbounded[i] && (least[i] - (sign * c[l])) / Math.Max(scale[i], 1e-300) > Threshold)
                {
                    var y = new double[rowCount];
                    y[l] = sign;
                    if (Proves(problem, y))
                    {
                        return y;
                    }
                }
            }
        }

        return null;
    }

    private static void Add(double[] least, double[] scale, bool[] unbounded, int i, double w, double bound)
    {
        if (!double.IsFinite(bound))
        {
            unbounded[i] = true;
            return;
        }

        least[i] += w * bound;
        scale[i] += Math.Abs(w * bound);
    }

    /// <summary>
    /// Looks for one agent whose utility grows without bound on its own: a linear utility
    /// (constant marginal <c>w != 0</c>) with an infinite bound in the direction of <c>w</c>, on rows
    /// that its growth only relieves (no equality row; every <c>&lt;=</c> coefficient of the sign that
    /// lowers the load). Returns the direction <c>e_s</c> (or <c>-e_s</c>), or null.
    /// </summary>
    public static double[]? UnboundedDirection<TAgents>(NumProblem<TAgents> problem)
        where TAgents : struct, IAgentStep
    {
        ArgumentNullException.ThrowIfNull(problem);
        CouplingMatrix a = problem.Coupling;
        TAgents agents = problem.Agents;
        for (int s = 0; s < agents.Count; s++)
        {
            // Most agents have a finite box; it bounds their utility whatever its shape.
            if (double.IsFinite(agents.Upper(s)) && double.IsFinite(agents.Lower(s)))
            {
                continue;
            }

            double w = agents.Marginal(s, 0);
            double sign = w > 0 ? 1 : w < 0 ? -1 : 0;
            if (sign == 0 || agents.Marginal(s, sign * 1e6) != w || double.IsFinite(sign > 0 ? agents.Upper(s) : agents.Lower(s)))
            {
                continue;
            }

            bool relieves = true;
            for (int k = a.ColumnStart[s]; k < a.ColumnStart[s + 1] && relieves; k++)
            {
                relieves = problem.Senses[a.ColumnRow[k]] == RowSense.LessOrEqual && sign * a.ColumnValue[k] <= 0;
            }

            if (relieves)
            {
                var d = new double[agents.Count];
                d[s] = sign;
                return d;
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="d"/> proves the utility unbounded above: every agent with curvature
    /// (U' not constant) has <c>d_s = 0</c>, <c>d</c> stays in the box's recession cone (<c>d_s &lt;= 0</c> where the
    /// upper bound is finite, <c>&gt;= 0</c> where the lower is), <c>A d &lt;= 0</c> (<c>== 0</c> on equality rows), and
    /// the linear utilities grow along it, <c>sum_s U'_s d_s &gt; 0</c>; each test relative to the size of its terms.
    /// </summary>
    public static bool ProvesUnbounded<TAgents>(NumProblem<TAgents> problem, ReadOnlySpan<double> d)
        where TAgents : struct, IAgentStep
    {
        ArgumentNullException.ThrowIfNull(problem);
        CouplingMatrix.CheckLength(d.Length, problem.AgentCount, nameof(d));
        TAgents agents = problem.Agents;
        double norm = 0;
        for (int s = 0; s < d.Length; s++)
        {
            norm = Math.Max(norm, Math.Abs(d[s]));
        }

        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return false;
        }

        double tolerance = 1e-6 * norm;
        double gain = 0, gainSize = 0;
        for (int s = 0; s < d.Length; s++)
        {
            double w = agents.Marginal(s, 0);
            bool linear = agents.Marginal(s, 1) == w;
            if ((!linear && Math.Abs(d[s]) > tolerance)
                || (double.IsFinite(agents.Upper(s)) && d[s] > tolerance)
                || (double.IsFinite(agents.Lower(s)) && d[s] < -tolerance))
            {
                return false;
            }

            if (linear)
            {
                gain += w * d[s];
                gainSize += Math.Abs(w * d[s]);
            }
        }

        if (!(gain > 1e-6 * gainSize) || gain <= 0)
        {
            return false;
        }

        CouplingMatrix a = problem.Coupling;
        var load = new double[problem.ResourceCount];
        var size = new double[problem.ResourceCount];
        for (int s = 0; s < d.Length; s++)
        {
            for (int k = a.ColumnStart[s]; k < a.ColumnStart[s + 1]; k++)
            {
                load[a.ColumnRow[k]] += a.ColumnValue[k] * d[s];
                size[a.ColumnRow[k]] += Math.Abs(a.ColumnValue[k] * d[s]);
            }
        }

        for (int l = 0; l < load.Length; l++)
        {
            double allowed = 1e-6 * Math.Max(size[l], tolerance);
            if (load[l] > allowed || (problem.Senses[l] == RowSense.Equal && load[l] < -allowed))
            {
                return false;
            }
        }

        return true;
    }
}
