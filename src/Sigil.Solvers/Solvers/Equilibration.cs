using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Scaling of the data before an engine iterates, undone on everything it returns (hand-written:
/// no package served here offers Ruiz equilibration of a sparse matrix).
/// </summary>
/// <remarks>
/// <para>
/// Ruiz (2001): rows and columns of <c>[P A^T; A 0]</c> are divided by the square roots of their
/// infinity norms, pass after pass, so that every row and column of the scaled matrix has norm
/// near 1 whatever units the fibre wrote its rows and variables in.
/// </para>
/// <para>
/// The dual, penalty and sharing-ADMM engines see the problem only through <c>A x</c> (an agent
/// answers a path price with its closed form, or a proximal step whose weight is
/// <c>rho |a_s|^2</c>): rescaling a variable <c>x_s = d_s x'_s</c> changes neither the loads nor the
/// iterates, so only the rows are scaled there (<see cref="Rows"/>): <c>A' = E A</c>,
/// <c>c' = E c</c>, prices <c>pi = E pi'</c>. A row's factor is the inverse of its budget when the
/// budget is not zero (a load and its budget then share one unit, so one rho, one step or one
/// Gershgorin bound fits every row), and its Ruiz factor, put on the same footing, when it is.
/// </para>
/// </remarks>
internal static class Equilibration
{
    /// <summary>
    /// Ruiz factors <c>(E, D)</c> of <c>[diag(p) A^T; A 0]</c> after <paramref name="passes"/> passes:
    /// <c>E A D</c> and <c>D diag(p) D</c> have rows and columns of infinity norm near 1.
    /// </summary>
    /// <param name="a">The matrix.</param>
    /// <param name="diagonal">The diagonal <c>p</c> of the cost's Hessian, or empty when there is none.</param>
    /// <param name="passes">Passes (0: identity).</param>
    public static (double[] Row, double[] Column) Ruiz(CouplingMatrix a, ReadOnlySpan<double> diagonal, int passes)
    {
        int n = a.ColumnCount;
        int m = a.RowCount;
        var d = new double[n];
        var e = new double[m];
        Array.Fill(d, 1.0);
        Array.Fill(e, 1.0);
        var columnNorm = new double[n];
        var rowNorm = new double[m];
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int j = 0; j < n; j++)
            {
                columnNorm[j] = diagonal.IsEmpty ? 0 : diagonal[j] * d[j] * d[j];
            }

            Array.Clear(rowNorm);
            for (int j = 0; j < n; j++)
            {
                for (int p = start[j]; p < start[j + 1]; p++)
                {
                    int i = row[p];
                    double v = Math.Abs(e[i] * value[p] * d[j]);
                    columnNorm[j] = Math.Max(columnNorm[j], v);
                    rowNorm[i] = Math.Max(rowNorm[i], v);
                }
            }

            for (int j = 0; j < n; j++)
            {
                d[j] *= Factor(columnNorm[j]);
            }

            for (int i = 0; i < m; i++)
            {
                e[i] *= Factor(rowNorm[i]);
            }
        }

        return (e, d);
    }

    /// <summary>
    /// Row factors for the engines that need only rows (see the remarks): proportional to
    /// <c>1 / |c_l|</c> on rows with a budget; on rows whose budget is zero (or that load nothing), to
    /// the Ruiz factor times the median over budgeted rows of <c>1 / (|c_l| ruiz_l)</c>, so that both
    /// kinds of row land in one unit; then all multiplied by one factor that makes their geometric
    /// mean 1. All ones when <paramref name="passes"/> is 0.
    /// </summary>
    public static double[] Rows(CouplingMatrix a, ReadOnlySpan<double> capacity, int passes, ReadOnlySpan<double> prices = default)
    {
        int m = a.RowCount;
        var e = new double[m];
        Array.Fill(e, 1.0);
        if (passes == 0 || m == 0)
        {
            return e;
        }

        (double[] ruiz, _) = Ruiz(a, default, passes);
        var ratios = new System.Collections.Generic.List<double>(m);
        for (int l = 0; l < m; l++)
        {
            if (capacity[l] != 0 && a.RowLength(l) > 0)
            {
                ratios.Add(1 / (Math.Abs(capacity[l]) * ruiz[l]));
            }
        }

        ratios.Sort();
        double unit = ratios.Count > 0 ? ratios[ratios.Count / 2] : 1;
        double logSum = 0;
        for (int l = 0; l < m; l++)
        {
            e[l] = capacity[l] != 0 && a.RowLength(l) > 0 ? 1 / Math.Abs(capacity[l]) : ruiz[l] * unit;
            logSum += Math.Log(e[l]);
        }

        // One common factor sigma: with prices given, the one that makes the median row's price and
        // budget equal in the scaled units (pi'_l / c'_l = pi_l / (sigma^2 e_l^2 c_l) = 1), so that
        // ADMM's rho = 1 weighs them alike; else the one that keeps the data's overall magnitude
        // (the geometric mean of the factors is 1). The dual and penalty iterations do not depend on it.
        double common = Math.Exp(-logSum / m);
        if (!prices.IsEmpty)
        {
            var ratios2 = new System.Collections.Generic.List<double>(m);
            for (int l = 0; l < m; l++)
            {
                double ratio = prices[l] / (e[l] * e[l] * Math.Abs(capacity[l]));
                if (ratio > 0 && double.IsFinite(ratio))
                {
                    ratios2.Add(ratio);
                }
            }

            if (ratios2.Count > 0)
            {
                ratios2.Sort();
                common = Math.Sqrt(ratios2[ratios2.Count / 2]);
            }
        }

        for (int l = 0; l < m; l++)
        {
            e[l] *= common;
        }

        return e;
    }

    /// <summary><c>E A D</c> (<paramref name="column"/> null: <c>E A</c>), entry by entry in <paramref name="a"/>'s order.</summary>
    public static CouplingMatrix Scale(CouplingMatrix a, ReadOnlySpan<double> row, ReadOnlySpan<double> column)
    {
        int n = a.ColumnCount;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> rows = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;
        var scaled = new double[a.NonZeroCount];
        for (int j = 0; j < n; j++)
        {
            double dj = column.IsEmpty ? 1 : column[j];
            for (int p = start[j]; p < start[j + 1]; p++)
            {
                scaled[p] = row[rows[p]] * value[p] * dj;
            }
        }

        return CouplingMatrix.FromColumns(a.RowCount, start, rows, scaled);
    }

    /// <summary>A Ruiz factor: <c>1 / sqrt(norm)</c>, bounded to [1e-4, 1e4] as OSQP bounds it.</summary>
    private static double Factor(double norm) => norm > 0 ? Math.Clamp(1 / Math.Sqrt(norm), 1e-4, 1e4) : 1;
}
