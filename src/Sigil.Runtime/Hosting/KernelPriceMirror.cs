using System;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The solver stage when the kernel keeps the prices (it updates them in fixed point at every
/// close, with no userspace round trip): the daemon copies the kernel's prices into its table and
/// records the loads, so that metrics, actions and checkpoints see what the kernel decided.
/// </summary>
public sealed class KernelPriceMirror : ISolverStep
{
    private readonly DaemonFibre _fibre;

    /// <summary>The mirror for <paramref name="fibre"/>; the kernel keeps the price of its first row.</summary>
    public KernelPriceMirror(DaemonFibre fibre) => _fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));

    /// <inheritdoc/>
    public string Name => "dual (online, in the kernel)";

    /// <inheritdoc/>
    public SolverStepResult Step(SensorFrame frame, AgentTable agents, long tick)
    {
        long iterations = 0;
        double primal = 0, dual = 0;
        var row = _fibre.Rows[0];
        foreach (var observation in frame.Agents)
        {
            var state = agents.Get(observation.Agent, observation.StartTime, observation.Name);
            if (state is null)
            {
                continue;
            }

            state.LastSeenTick = tick;
            if (observation.KernelPrice is { } price)
            {
                dual = Math.Max(dual, Math.Abs(price - state.Prices[0]));
                state.Prices[0] = price;
            }

            foreach (var sample in observation.Completed)
            {
                var load = Math.Clamp(row.Coefficient * sample, 0, _fibre.LoadMax);
                state.Loads[0] = load;
                primal = Math.Max(primal, load - row.Budget);
                iterations++;
            }

            if (observation.Completed.Count > 0)
            {
                state.LastSample = observation.Completed[^1];
                state.LastActiveTick = tick;
            }
        }

        return new SolverStepResult(iterations, Math.Max(0, primal), dual);
    }
}
