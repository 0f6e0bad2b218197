namespace Sigil.Runtime.Hosting;

/// <summary>What one solver step did.</summary>
/// <param name="Iterations">Price updates made.</param>
/// <param name="PrimalResidual">The largest row violation [load - budget]+ among the updates.</param>
/// <param name="DualResidual">The largest price change among the updates.</param>
public readonly record struct SolverStepResult(long Iterations, double PrimalResidual, double DualResidual);

/// <summary>The solver stage of a tick: turns the sensed frame into prices in the agent table.</summary>
public interface ISolverStep
{
    /// <summary>Short name for logs.</summary>
    string Name { get; }

    /// <summary>Updates the prices of the agents in <paramref name="frame"/>.</summary>
    SolverStepResult Step(SensorFrame frame, AgentTable agents, long tick);
}
