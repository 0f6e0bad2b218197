using System;

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
    public static void ColdStart<TAgents>(NumProblem<TAgents> problem, Span<double> prices)
        where TAgents : struct, IAgentStep
    {
        CouplingMatrix a = problem.Coupling;
        TAgents agents = problem.Agents;
        double[] c = problem.Capacity;
        ReadOnlySpan<int> rowStart = a.RowStart;
        ReadOnlySpan<int> rowColumn = a.RowColumn;
        ReadOnlySpan<double> rowValue = a.RowValue;
        ReadOnlySpan<int> columnStart = a.ColumnStart;
        ReadOnlySpan<double> columnValue = a.ColumnValue;
        for (int l = 0; l < prices.Length; l++)
        {
            double sum = 0;
            for (int k = rowStart[l]; k < rowStart[l + 1]; k++)
            {
                sum += rowValue[k];
            }

            if (!(sum > 0))
            {
                prices[l] = 0;
                continue;
            }

            double share = c[l] / sum;
            double weighted = 0;
            for (int k = rowStart[l]; k < rowStart[l + 1]; k++)
            {
                int s = rowColumn[k];
                double norm = 0;
                for (int j = columnStart[s]; j < columnStart[s + 1]; j++)
                {
                    norm += Math.Abs(columnValue[j]);
                }

                double x = Math.Clamp(share, agents.Lower(s), agents.Upper(s));
                weighted += rowValue[k] * agents.Marginal(s, x) / norm;
            }

            double p = weighted / sum;
            prices[l] = double.IsFinite(p) ? p : 0;
        }
    }
}
