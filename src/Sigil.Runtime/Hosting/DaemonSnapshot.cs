using System.Collections.Generic;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting;

/// <summary>One agent as the live table shows it.</summary>
/// <param name="Agent">The agent id.</param>
/// <param name="Name">Its command name.</param>
/// <param name="Load">Its latest load on the first row.</param>
/// <param name="Price">Its price on the first row.</param>
/// <param name="Level">Enforcement level.</param>
/// <param name="LastAction">The latest action, described.</param>
public sealed record AgentView(int Agent, string Name, double Load, double Price, EnforcementLevel Level, string LastAction);

/// <summary>The daemon's state after a tick, for the live table and tests.</summary>
/// <param name="Tick">The tick number.</param>
/// <param name="Armed">Whether enforcement is armed.</param>
/// <param name="Agents">The agents with the highest prices, highest first.</param>
/// <param name="AgentCount">Agents tracked.</param>
/// <param name="Counters">The sensor's totals.</param>
/// <param name="Step">The solver step of this tick.</param>
/// <param name="FibreMetrics">The fibre's metrics by name.</param>
/// <param name="Actions">Outcomes of this tick's actions.</param>
public sealed record DaemonSnapshot(
    long Tick,
    bool Armed,
    IReadOnlyList<AgentView> Agents,
    int AgentCount,
    SensorCounters Counters,
    SolverStepResult Step,
    IReadOnlyDictionary<string, double> FibreMetrics,
    IReadOnlyList<ActionResult> Actions);
