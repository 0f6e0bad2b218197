using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// A network utility maximisation problem:
/// <c>maximise sum_s U_s(x_s)</c> subject to <c>A x (&lt;= | ==) c</c> row by row and
/// <c>x_s in [m_s, M_s]</c>. The utilities and bounds live in <typeparamref name="TAgents"/>.
/// </summary>
/// <remarks>
/// The problem keeps references to <see cref="Capacity"/> and to the agents' parameter arrays:
/// a caller may change budgets, weights or bounds between solves (not during one), and the next
/// solve sees the new values, which is how a daemon re-solves each tick without allocating.
/// </remarks>
/// <typeparam name="TAgents">The agent type; a struct, so that engines are specialised per agent type.</typeparam>
public sealed class NumProblem<TAgents>
    where TAgents : struct, IAgentStep
{
    /// <summary>Creates a problem and checks that its parts fit together.</summary>
    /// <param name="coupling">The coupling matrix <c>A</c> (rows = resources, columns = agents).</param>
    /// <param name="capacity">The budgets <c>c</c>, one per row.</param>
    /// <param name="senses">The sense of each row.</param>
    /// <param name="agents">The agents, one per column.</param>
    /// <exception cref="ArgumentException">Sizes disagree, a budget is not finite, or an empty row is infeasible.</exception>
    public NumProblem(CouplingMatrix coupling, double[] capacity, RowSense[] senses, TAgents agents)
    {
        ArgumentNullException.ThrowIfNull(coupling);
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(senses);
        if (capacity.Length != coupling.RowCount || senses.Length != coupling.RowCount)
        {
            throw new ArgumentException(
                $"The coupling matrix has {coupling.RowCount} rows but {capacity.Length} budgets and {senses.Length} senses were given.");
        }

        if (agents.Count != coupling.ColumnCount)
        {
            throw new ArgumentException(
                $"The coupling matrix has {coupling.ColumnCount} columns but there are {agents.Count} agents.");
        }

        for (int l = 0; l < capacity.Length; l++)
        {
            if (senses[l] is not (RowSense.LessOrEqual or RowSense.Equal))
            {
                throw new ArgumentException($"Row {l}: unknown sense {(int)senses[l]}.", nameof(senses));
            }

            if (BudgetError(coupling.RowLength(l), senses[l], capacity[l]) is { } error)
            {
                throw new ArgumentException($"Row {l}: {error}", nameof(capacity));
            }
        }

        Coupling = coupling;
        Capacity = capacity;
        Senses = senses;
        Agents = agents;
    }

    /// <summary>The coupling matrix <c>A</c>.</summary>
    public CouplingMatrix Coupling { get; }

    /// <summary>The budgets <c>c</c> (live: edits apply to the next solve).</summary>
    public double[] Capacity { get; }

    /// <summary>The row senses.</summary>
    public RowSense[] Senses { get; }

    /// <summary>The agents.</summary>
    public TAgents Agents { get; }

    /// <summary>Number of resources (rows).</summary>
    public int ResourceCount => Coupling.RowCount;

    /// <summary>Number of agents (columns).</summary>
    public int AgentCount => Coupling.ColumnCount;

    /// <summary>
    /// Why <paramref name="capacity"/> cannot be the budget of a row with <paramref name="rowLength"/>
    /// entries and sense <paramref name="sense"/>, or null when it can: a budget is finite, and a
    /// row that loads no agent must hold at x = 0.
    /// </summary>
    internal static string? BudgetError(int rowLength, RowSense sense, double capacity)
    {
        if (!double.IsFinite(capacity))
        {
            return "budget " + capacity.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + " is not finite.";
        }

        return rowLength == 0 && (sense == RowSense.LessOrEqual ? capacity < 0 : capacity != 0)
            ? "the row loads no agent, so its constraint 0 " + (sense == RowSense.Equal ? "==" : "<=") + " " + capacity.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + " cannot hold."
            : null;
    }

    /// <summary>True when the problem has at least one equality row.</summary>
    public bool HasEqualityRows => Array.IndexOf(Senses, RowSense.Equal) >= 0;
}
