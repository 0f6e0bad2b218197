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

    /// <summary>
    /// Checks an agent's box. Linear and quadratic agents may take <c>lower = -infinity</c>
    /// (<paramref name="finiteLower"/> false): only the QP engine solves them (see <see cref="FiniteLower{TAgents}"/>).
    /// </summary>
    public static void Bounds(double lower, double upper, int s, bool finiteUpper = true, bool finiteLower = true)
    {
        bool lowerAllowed = double.IsFinite(lower) || (!finiteLower && lower == double.NegativeInfinity);
        if (!lowerAllowed || double.IsNaN(upper) || upper == double.NegativeInfinity || lower > upper)
        {
            throw new ArgumentException(finiteLower
                ? $"Agent {s}: bounds [{lower}, {upper}] need a finite lower bound <= upper bound."
                : $"Agent {s}: bounds [{lower}, {upper}] need a lower bound (finite or -infinity) <= upper bound.");
        }

        if (finiteUpper && !double.IsFinite(upper))
        {
            throw new ArgumentException(
                $"Agent {s}: this utility needs a finite upper bound (its step is unbounded at price 0), got {upper}.");
        }
    }

    /// <summary>
    /// The dual, penalty and sharing-ADMM engines step each agent to a bound of its box at some
    /// prices, so they need every lower bound finite; a clear refusal (naming the QP engine, which
    /// takes <c>-infinity</c>) rather than infinite loads. O(N), read at each solve since the bounds are live.
    /// </summary>
    /// <exception cref="ArgumentException">An agent's lower bound is not finite.</exception>
    public static void FiniteLower<TAgents>(NumProblem<TAgents> problem, SolverKind method)
        where TAgents : struct, IAgentStep
    {
        TAgents agents = problem.Agents;
        for (int s = 0; s < agents.Count; s++)
        {
            if (!double.IsFinite(agents.Lower(s)))
            {
                throw new ArgumentException(
                    $"Agent {s}: its lower bound is {agents.Lower(s)}; the {method} engine needs finite lower bounds "
                    + "(only the QP engine, for linear and quadratic utilities, takes -infinity).");
            }
        }
    }
}
