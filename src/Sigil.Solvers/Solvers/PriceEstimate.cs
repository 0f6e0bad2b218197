using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>Initial prices for a solve without a warm start.</summary>
internal static class PriceEstimate
{
    /// <summary>
    /// Cold-start prices: give each (row, agent) entry the row's fair share
    /// <c>c_l / sum_s A_ls</c>, read the agent's marginal utility there, and set
    /// <c>pi_l = sum_s A_ls U_s'(share_l) / |a_s|_1 / sum_s A_ls</c>. For log utilities (without offsets or clamping) this is
    /// the price at which row <c>l</c> would be balanced if every row shared one price.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ColdStart<TAgents>(NumProblem<TAgents> problem, Span<double> prices)
        where TAgents : struct, IAgentStep
    {
        CouplingMatrix a = problem.Coupling;
        TAgents agents = problem.Agents;
        double[] c = problem.Capacity;
        ReadOnlySpan<double> rowSum = a.RowSum;
        ReadOnlySpan<double> norm = a.ColumnNorm;
        ReadOnlySpan<int> start = a.ColumnStart;
        ReadOnlySpan<int> row = a.ColumnRow;
        ReadOnlySpan<double> value = a.ColumnValue;

        // Agent by agent (the agents' parameters are read in order; rows are scattered into).
        prices.Clear();
        for (int s = 0; s < agents.Count; s++)
        {
            double lo = agents.Lower(s);
            double hi = agents.Upper(s);
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                int l = row[k];
                if (rowSum[l] > 0)
                {
                    double x = Math.Clamp(c[l] / rowSum[l], lo, hi);
                    prices[l] += value[k] * agents.Marginal(s, x) / norm[s];
                }
            }
        }

        for (int l = 0; l < prices.Length; l++)
        {
            double p = rowSum[l] > 0 ? prices[l] / rowSum[l] : 0;
            prices[l] = double.IsFinite(p) ? p : 0;
        }
    }
}
