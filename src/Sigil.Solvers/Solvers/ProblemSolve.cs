using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Solves <paramref name="problem"/> with one method and its settings, from
/// <paramref name="initialPrices"/> (a warm start; cold when empty): a fibre's generated <c>Solve</c>.
/// </summary>
/// <typeparam name="TAgents">The agent type.</typeparam>
public delegate SolverResult ProblemSolve<TAgents>(NumProblem<TAgents> problem, ReadOnlySpan<double> initialPrices)
    where TAgents : struct, IAgentStep;
