using System.Collections.Generic;
using System.Globalization;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting;

/// <summary>One planned action and the level it brings the agent to.</summary>
/// <param name="Request">The request for the actuator.</param>
/// <param name="Agent">The agent.</param>
/// <param name="Level">The enforcement level once it is done.</param>
public sealed record PlannedAction(ActionRequest Request, AgentState Agent, EnforcementLevel Level);

/// <summary>
/// Turns prices into actions. For each agent the desired level is the strongest rule whose price
/// threshold is met (kill over throttle over none); an action is planned only on a change of
/// level, so a throttled process is throttled once, and released once its price falls back below
/// every throttle threshold.
/// </summary>
public sealed class ActionPlanner
{
    private readonly DaemonFibre _fibre;
    private readonly int[] _ruleRows;

    /// <summary>A planner for <paramref name="fibre"/>.</summary>
    public ActionPlanner(DaemonFibre fibre)
    {
        _fibre = fibre;
        _ruleRows = new int[fibre.Rules.Count];
        for (var i = 0; i < fibre.Rules.Count; i++)
        {
            // Affinity follows a solved placement (PlacementStep plans it), not a price threshold.
            _ruleRows[i] = fibre.Rules[i].Kind == ActionKind.Affinity ? -1 : IndexOfRow(fibre, fibre.Rules[i].Resource);
        }
    }

    /// <summary>When true, kill rules are left to the kernel (it kills in-kernel while armed).</summary>
    public bool KernelKills { get; set; }

    /// <summary>The actions the agents' prices call for.</summary>
    public List<PlannedAction> Plan(AgentTable agents)
    {
        var plan = new List<PlannedAction>();
        foreach (var agent in agents)
        {
            var desired = EnforcementLevel.None;
            ActuatorRule? fired = null;
            for (var i = 0; i < _fibre.Rules.Count; i++)
            {
                var rule = _fibre.Rules[i];
                var level = rule.Kind switch
                {
                    ActionKind.Kill => EnforcementLevel.Killed,
                    ActionKind.Throttle => EnforcementLevel.Throttled,
                    _ => EnforcementLevel.None,
                };
                if (level > desired && agent.Prices[_ruleRows[i]] >= rule.Threshold)
                {
                    desired = level;
                    fired = rule;
                }
            }

            if (agent.Blocked is { } blocked && blocked == desired)
            {
                continue;
            }

            agent.Blocked = null;
            if (desired == agent.Level || agent.Level == EnforcementLevel.Killed)
            {
                continue;
            }

            if (desired == EnforcementLevel.Killed)
            {
                if (KernelKills)
                {
                    continue;
                }

                plan.Add(new PlannedAction(new ActionRequest(ActionKind.Kill, agent.Agent, Reason(agent, fired!)), agent, EnforcementLevel.Killed));
            }
            else if (desired == EnforcementLevel.Throttled && agent.Level == EnforcementLevel.None)
            {
                plan.Add(new PlannedAction(new ActionRequest(ActionKind.Throttle, agent.Agent, Reason(agent, fired!)), agent, EnforcementLevel.Throttled));
            }
            else if (desired == EnforcementLevel.None && agent.Level == EnforcementLevel.Throttled)
            {
                var prices = string.Join(", ", Prices(agent));
                plan.Add(new PlannedAction(new ActionRequest(ActionKind.Release, agent.Agent, $"{prices} below every throttle threshold"), agent, EnforcementLevel.None));
            }
        }

        return plan;
    }

    private IEnumerable<string> Prices(AgentState agent)
    {
        for (var r = 0; r < _fibre.Rows.Count; r++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"^{_fibre.Rows[r].Resource} = {agent.Prices[r]:0.###}");
        }
    }

    private string Reason(AgentState agent, ActuatorRule rule) =>
        string.Create(CultureInfo.InvariantCulture, $"^{rule.Resource} = {agent.Prices[IndexOfRow(_fibre, rule.Resource)]:0.###} >= {rule.Threshold:0.###} ({rule.Statement})");

    private static int IndexOfRow(DaemonFibre fibre, string resource)
    {
        for (var r = 0; r < fibre.Rows.Count; r++)
        {
            if (fibre.Rows[r].Resource == resource)
            {
                return r;
            }
        }

        throw new System.ArgumentException($"no row for resource '{resource}'", nameof(resource));
    }
}
