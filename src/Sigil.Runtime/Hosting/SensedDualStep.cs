using System;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The online (sensed) dual update the daemon runs when the kernel does not keep the prices:
/// for every load sample l of agent t on row r,
/// <c>price[r, t] &lt;- min(PriceMax, [price[r, t] + step * (clamp(a_r l, 0, LoadMax) - c_r)]+)</c>.
/// This is the kernel's fixed-point rule in floating point, applied per sample, in sample order.
/// </summary>
public sealed class SensedDualStep : ISolverStep
{
    private readonly DaemonFibre _fibre;

    /// <summary>The update for <paramref name="fibre"/>.</summary>
    public SensedDualStep(DaemonFibre fibre) => _fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));

    /// <inheritdoc/>
    public string Name => "dual (online, userspace)";

    /// <inheritdoc/>
    public SolverStepResult Step(SensorFrame frame, AgentTable agents, long tick)
    {
        long iterations = 0;
        double primal = 0, dual = 0;
        foreach (var observation in frame.Agents)
        {
            if (observation.Completed.Count == 0)
            {
                continue;
            }

            var state = agents.Get(observation.Agent, observation.StartTime, observation.Name);
            if (state is null)
            {
                continue;
            }

            state.LastSeenTick = tick;
            for (var r = 0; r < _fibre.Rows.Count; r++)
            {
                var row = _fibre.Rows[r];
                if (!string.Equals(row.Variable, frame.Variable, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var sample in observation.Completed)
                {
                    var load = Math.Clamp(row.Coefficient * sample, 0, _fibre.LoadMax);
                    var before = state.Prices[r];
                    var after = Math.Min(_fibre.PriceMax, Math.Max(0, before + (_fibre.Step * (load - row.Budget))));
                    state.Prices[r] = after;
                    state.Loads[r] = load;
                    iterations++;
                    primal = Math.Max(primal, load - row.Budget);
                    dual = Math.Max(dual, Math.Abs(after - before));
                }
            }

            state.LastSample = observation.Completed[^1];
            state.LastActiveTick = tick;
        }

        return new SolverStepResult(iterations, Math.Max(0, primal), dual);
    }
}
