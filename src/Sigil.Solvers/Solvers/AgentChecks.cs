using System;

namespace Sigil.Runtime.Solvers;

/// <summary>Parameter validation shared by the agent structs: a clear error, never a bad solve.</summary>
internal static class AgentChecks
{
    public static void SameLength(params double[][] arrays)
    {
        foreach (double[] a in arrays)
        {
            ArgumentNullException.ThrowIfNull(a);
            if (a.Length != arrays[0].Length)
            {
                throw new ArgumentException($"Agent parameter arrays differ in length ({arrays[0].Length} and {a.Length}).");
            }
        }
    }

    public static void Positive(double value, int s, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"Agent {s}: {name} must be finite and > 0, got {value}.");
        }
    }

    public static void Finite(double value, int s, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Agent {s}: {name} must be finite, got {value}.");
        }
    }

    public static void Bounds(double lower, double upper, int s, bool finiteUpper = true)
    {
        if (!double.IsFinite(lower) || double.IsNaN(upper) || upper == double.NegativeInfinity || lower > upper)
        {
            throw new ArgumentException($"Agent {s}: bounds [{lower}, {upper}] need a finite lower bound <= upper bound.");
        }

        if (finiteUpper && !double.IsFinite(upper))
        {
            throw new ArgumentException(
                $"Agent {s}: this utility needs a finite upper bound (its step is unbounded at price 0), got {upper}.");
        }
    }
}
