using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>Small hand-made problems used by several test classes.</summary>
internal static class Instances
{
    public static readonly double[] SingleLinkWeights = [1.0, 2.0, 3.5, 0.25, 7.0, 1.5];

    public const double SingleLinkBudget = 10.0;

    /// <summary>
    /// One link of capacity 10 shared by six log-utility agents <c>w_i log(x_i)</c> (no offset; the
    /// lower bound 1e-9 keeps the logarithm finite): the optimum is <c>x_i = w_i c / sum w</c>.
    /// </summary>
    public static NumProblem<LogAgents> SingleLink()
    {
        int n = SingleLinkWeights.Length;
        var a = CouplingMatrix.FromTriplets(1, n, new int[n], Iota(n), Filled(n, 1.0));
        return new NumProblem<LogAgents>(
            a,
            [SingleLinkBudget],
            [RowSense.LessOrEqual],
            new LogAgents((double[])SingleLinkWeights.Clone(), Filled(n, 0.0), Filled(n, 1e-9), Filled(n, 1e6)));
    }

    public static double SingleLinkOptimum(int i, double budget = SingleLinkBudget)
    {
        double sum = 0;
        foreach (double w in SingleLinkWeights)
        {
            sum += w;
        }

        return SingleLinkWeights[i] * budget / sum;
    }

    public static int[] Iota(int n)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = i;
        }

        return a;
    }

    public static double[] Filled(int n, double value)
    {
        var a = new double[n];
        Array.Fill(a, value);
        return a;
    }

    public static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} > {tolerance:E0})");
    }

    public static bool BitwiseEqual(double[] a, double[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
