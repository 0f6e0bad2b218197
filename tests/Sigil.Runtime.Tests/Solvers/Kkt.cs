using System;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>Checks the KKT conditions of a NUM solution independently of the engines.</summary>
internal static class Kkt
{
    /// <summary>
    /// Asserts, within <paramref name="tolerance"/> (relative, with a floor of 1):
    /// primal feasibility of every row and bound; prices of &lt;= rows nonnegative; complementary
    /// slackness <c>pi_l (c_l - a_l x) = 0</c>; stationarity <c>U'(x_s) = q_s</c> where x_s is interior,
    /// <c>U'(x_s) &lt;= q_s</c> at the lower bound and <c>&gt;= q_s</c> at the upper bound.
    /// </summary>
    public static void AssertHolds(NumInstance instance, SolverResult result, double tolerance)
    {
        CouplingMatrix a = instance.Matrix();
        int n = instance.Agents;
        int m = instance.Resources;
        var load = new double[m];
        a.Multiply(result.X, load);
        var q = new double[n];
        a.MultiplyTransposed(result.Prices, q);
        var agents = new MixedAgents(instance.Kind, instance.Weight, instance.Offset, instance.Shape, instance.Lower, instance.Upper);
        for (int l = 0; l < m; l++)
        {
            double c = instance.Capacity[l];
            double scale = Math.Max(1, Math.Abs(c));
            double slack = c - load[l];
            double pi = result.Prices[l];
            if (instance.Senses[l] == RowSense.LessOrEqual)
            {
                Assert.True(slack >= -tolerance * scale, $"row {l}: load {load[l]} exceeds budget {c}");
                Assert.True(pi >= 0, $"row {l}: price {pi} of a <= row is negative");
            }
            else
            {
                Assert.True(Math.Abs(slack) <= tolerance * scale, $"row {l}: load {load[l]} misses equality budget {c}");
            }

            Assert.True(
                Math.Abs(pi * slack) <= tolerance * Math.Max(1, Math.Abs(pi) * scale),
                $"row {l}: complementary slackness pi (c - a x) = {pi * slack}");
        }

        for (int s = 0; s < n; s++)
        {
            double x = result.X[s];
            double lo = instance.Lower[s];
            double hi = instance.Upper[s];
            Assert.True(x >= lo && x <= hi, $"agent {s}: x = {x} outside [{lo}, {hi}]");
            double marginal = agents.Marginal(s, x);
            double scale = Math.Max(1, Math.Abs(q[s]));
            double band = tolerance * Math.Max(1, hi - lo);
            if (x <= lo + band)
            {
                Assert.True(marginal <= q[s] + tolerance * scale, $"agent {s} at lower bound: U' = {marginal} > q = {q[s]}");
            }
            else if (x >= hi - band)
            {
                Assert.True(marginal >= q[s] - tolerance * scale, $"agent {s} at upper bound: U' = {marginal} < q = {q[s]}");
            }
            else
            {
                Assert.True(Math.Abs(marginal - q[s]) <= tolerance * scale, $"agent {s}: U' = {marginal} but q = {q[s]}");
            }
        }
    }
}
