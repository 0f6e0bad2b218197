namespace Sigil.Runtime.Solvers;

/// <summary>
/// Agents whose weights and bounds a program may change between solves: the arrays the closed
/// forms read, exposed live, and each agent's utility family so that a change can be checked
/// before it reaches a solver (see <see cref="TunableProblem{TAgents}"/>).
/// </summary>
public interface ITunableAgents : IAgentStep
{
    /// <summary>The weights <c>w_s</c> (live: a change applies to the next solve).</summary>
    double[] Weight { get; }

    /// <summary>The offsets <c>eps_s</c> of the log and alpha-fair utilities (0 for the others).</summary>
    double[] Shift { get; }

    /// <summary>The lower bounds <c>m_s</c> (live).</summary>
    double[] LowerBounds { get; }

    /// <summary>The upper bounds <c>M_s</c> (live).</summary>
    double[] UpperBounds { get; }

    /// <summary>Agent <paramref name="s"/>'s utility family; an observed variable (no utility) is <see cref="UtilityKind.Linear"/> with weight 0.</summary>
    UtilityKind Kind(int s);
}
