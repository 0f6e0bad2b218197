using System;
using System.Globalization;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// A problem whose budgets, weights and bounds a program changes at run time, re-solved
/// warm-started from the last solve's prices (cvxpygen's parameters): each change is checked
/// before it is written, so a bad value is refused with a message naming it and the problem keeps
/// its last good values; the coupling matrix and whatever did not change are kept as built.
/// </summary>
/// <remarks>
/// A fibre's generated <c>Instance</c> wraps one with typed setters by index member names; the
/// daemon's placement stage sets its capacities through one. Changes between solves only, never
/// during one.
/// </remarks>
/// <typeparam name="TAgents">The agent type.</typeparam>
public sealed class TunableProblem<TAgents>
    where TAgents : struct, ITunableAgents
{
    private readonly ProblemSolve<TAgents> _solve;
    private double[]? _prices;

    /// <summary>Wraps <paramref name="problem"/>, solved by <paramref name="solve"/>.</summary>
    /// <exception cref="ArgumentException">The agents' parameter arrays do not have one entry per agent.</exception>
    public TunableProblem(NumProblem<TAgents> problem, ProblemSolve<TAgents> solve)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solve);
        var agents = problem.Agents;
        if (agents.Weight.Length != agents.Count || agents.Shift.Length != agents.Count
            || agents.LowerBounds.Length != agents.Count || agents.UpperBounds.Length != agents.Count)
        {
            throw new ArgumentException($"The agents' weights, offsets and bounds need {agents.Count} entries each.", nameof(problem));
        }

        Problem = problem;
        _solve = solve;
    }

    /// <summary>The problem (its budgets, weights and bounds are the current values).</summary>
    public NumProblem<TAgents> Problem { get; }

    /// <summary>The last solve's result, or null before the first.</summary>
    public SolverResult? LastResult { get; private set; }

    /// <summary>Changes made since the last solve.</summary>
    public int PendingChanges { get; private set; }

    /// <summary>The budget (right-hand side) of row <paramref name="row"/>.</summary>
    public double Capacity(int row)
    {
        CheckIndex(row, Problem.ResourceCount, "row");
        return Problem.Capacity[row];
    }

    /// <summary>Sets the budget of row <paramref name="row"/>.</summary>
    /// <param name="row">The row.</param>
    /// <param name="value">The new budget.</param>
    /// <param name="name">What the row is called in messages (e.g. <c>@atp</c>); the row number when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such row.</exception>
    /// <exception cref="ArgumentException">The value is not finite, or a row that loads no agent could not hold.</exception>
    public void SetCapacity(int row, double value, string? name = null)
    {
        CheckIndex(row, Problem.ResourceCount, "row");
        if (NumProblem<TAgents>.BudgetError(Problem.Coupling.RowLength(row), Problem.Senses[row], value) is { } error)
        {
            throw new ArgumentException((name ?? "Row " + row) + ": " + error, nameof(value));
        }

        Problem.Capacity[row] = value;
        PendingChanges++;
    }

    /// <summary>Sets the weight of agent <paramref name="agent"/>.</summary>
    /// <param name="agent">The agent (column).</param>
    /// <param name="value">The new weight: finite, and &gt; 0 for log and alpha-fair utilities (the rule <see cref="MixedAgents"/> builds by).</param>
    /// <param name="name">What the agent is called in messages (e.g. <c>$flux[pgi]</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException">No such agent.</exception>
    /// <exception cref="ArgumentException">The value is refused; the message says why.</exception>
    public void SetWeight(int agent, double value, string? name = null)
    {
        var agents = Problem.Agents;
        CheckIndex(agent, agents.Count, nameof(agent));
        var kind = agents.Kind(agent);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(Name(agent, name) + ": weight " + N(value) + " is not finite.", nameof(value));
        }

        if (!(value > 0) && kind is UtilityKind.Log or UtilityKind.AlphaFair)
        {
            throw new ArgumentException(Name(agent, name) + ": weight " + N(value) + " is not > 0; a " + Family(kind) + " utility needs a positive weight.", nameof(value));
        }

        agents.Weight[agent] = value;
        PendingChanges++;
    }

    /// <summary>Sets the bounds of agent <paramref name="agent"/>.</summary>
    /// <param name="agent">The agent (column).</param>
    /// <param name="lower">The new lower bound.</param>
    /// <param name="upper">The new upper bound, at least <paramref name="lower"/>; infinite only where the utility allows.</param>
    /// <param name="name">What the agent is called in messages.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such agent.</exception>
    /// <exception cref="ArgumentException">The bounds are refused; the message says why.</exception>
    public void SetBounds(int agent, double lower, double upper, string? name = null)
    {
        var agents = Problem.Agents;
        CheckIndex(agent, agents.Count, nameof(agent));
        if (BoundsError(agents.Kind(agent), agents.Shift[agent], lower, upper) is { } error)
        {
            throw new ArgumentException(Name(agent, name) + ": bounds [" + N(lower) + ", " + N(upper) + "]: " + error, nameof(lower));
        }

        agents.LowerBounds[agent] = lower;
        agents.UpperBounds[agent] = upper;
        PendingChanges++;
    }

    /// <summary>
    /// Solves with the current values, warm-started from the last solve's prices when that solve
    /// ended with finite prices (cold otherwise).
    /// </summary>
    public SolverResult Solve() => Finish(_solve(Problem, _prices));

    /// <summary>Solves with the current values from <paramref name="initialPrices"/> (a caller's own warm start; cold when empty).</summary>
    /// <exception cref="ArgumentException">The prices have the wrong length or are not finite.</exception>
    public SolverResult Solve(ReadOnlySpan<double> initialPrices) => Finish(_solve(Problem, initialPrices));

    /// <summary>Solves with the current values from the cold-start estimate, whatever came before.</summary>
    public SolverResult SolveCold() => Finish(_solve(Problem, default));

    private SolverResult Finish(SolverResult result)
    {
        LastResult = result;
        PendingChanges = 0;
        _prices = result.Prices.Length == Problem.ResourceCount && Array.TrueForAll(result.Prices, double.IsFinite)
            && result.Status is not (SolveStatus.PrimalInfeasible or SolveStatus.DualInfeasible or SolveStatus.NumericalFailure)
            ? result.Prices
            : null;
        return result;
    }

    // The box each family's closed form needs, as MixedAgents checks it: the log and alpha-fair
    // steps need finite bounds with x + eps > 0; the others take any ordered pair, an infinite
    // bound included (a linear utility may then be unbounded, and a status says so).
    private static string? BoundsError(UtilityKind kind, double shift, double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper))
        {
            return "a bound is NaN.";
        }

        if (lower > upper)
        {
            return "the lower bound is above the upper bound.";
        }

        if (lower == double.PositiveInfinity || upper == double.NegativeInfinity)
        {
            return "the box is empty.";
        }

        if (kind is UtilityKind.Log or UtilityKind.AlphaFair)
        {
            if (!double.IsFinite(lower) || !double.IsFinite(upper))
            {
                return "a " + Family(kind) + " utility needs finite bounds (its step is unbounded at price 0).";
            }

            if (!(lower + shift > 0))
            {
                return "a " + Family(kind) + " utility needs x + " + N(shift) + " > 0 over the box.";
            }
        }

        return null;
    }

    private static string Family(UtilityKind kind) => kind == UtilityKind.AlphaFair ? "alpha-fair" : kind.ToString().ToLowerInvariant();

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Name(int agent, string? name) => name ?? "Agent " + agent;

    private static void CheckIndex(int index, int count, string what)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(what, index, $"There are {count} of them; {index} is not one.");
        }
    }
}
