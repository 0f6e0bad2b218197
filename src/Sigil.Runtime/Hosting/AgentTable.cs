using System;
using System.Collections;
using System.Collections.Generic;

namespace Sigil.Runtime.Hosting;

/// <summary>How far enforcement has gone for an agent.</summary>
public enum EnforcementLevel
{
    /// <summary>Untouched.</summary>
    None,

    /// <summary>Throttled (or, unarmed, would be).</summary>
    Throttled,

    /// <summary>Killed (or, unarmed, would be).</summary>
    Killed,

    /// <summary>Frozen in a cgroup of its own until an operator thaws it (<c>sigil thaw</c>).</summary>
    Frozen,
}

/// <summary>What the daemon knows of one agent. Owned by the tick loop; not thread-safe.</summary>
public sealed class AgentState
{
    internal AgentState(int agent, ulong startTime, string name, int rows)
    {
        Agent = agent;
        StartTime = startTime;
        Name = name;
        Prices = new double[rows];
        Loads = new double[rows];
    }

    /// <summary>The agent id (tgid or tid).</summary>
    public int Agent { get; }

    /// <summary>Start time in clock ticks after boot.</summary>
    public ulong StartTime { get; }

    /// <summary>The command name.</summary>
    public string Name { get; internal set; }

    /// <summary>The price per row, in the fibre's row order.</summary>
    public double[] Prices { get; }

    /// <summary>The latest load per row.</summary>
    public double[] Loads { get; }

    /// <summary>The latest sample of the sensed variable.</summary>
    public double LastSample { get; internal set; }

    /// <summary>The tick of the latest sample, or -1.</summary>
    public long LastActiveTick { get; internal set; } = -1;

    /// <summary>The tick the agent was last observed or checked alive.</summary>
    public long LastSeenTick { get; internal set; }

    /// <summary>How far enforcement has gone.</summary>
    public EnforcementLevel Level { get; internal set; }

    /// <summary>The level whose action was refused or failed, so it is not retried every tick.</summary>
    public EnforcementLevel? Blocked { get; internal set; }

    /// <summary>The latest action's short description, for the live table.</summary>
    public string LastAction { get; internal set; } = string.Empty;

    /// <summary>The largest price over rows.</summary>
    public double MaxPrice
    {
        get
        {
            var max = 0.0;
            foreach (var p in Prices)
            {
                max = Math.Max(max, p);
            }

            return max;
        }
    }
}

/// <summary>The agents the daemon tracks, at most <see cref="Capacity"/>, keyed by id.</summary>
public sealed class AgentTable : IEnumerable<AgentState>
{
    private readonly Dictionary<int, AgentState> _agents = [];
    private readonly int _rows;

    /// <summary>A table of agents with <paramref name="rows"/> rows each, at most <paramref name="capacity"/> of them.</summary>
    public AgentTable(int rows, int capacity)
    {
        _rows = rows;
        Capacity = capacity;
    }

    /// <summary>Most agents tracked.</summary>
    public int Capacity { get; }

    /// <summary>Agents tracked.</summary>
    public int Count => _agents.Count;

    /// <summary>Agents refused because the table was full.</summary>
    public long Overflow { get; private set; }

    /// <summary>The agent <paramref name="agent"/>, or null.</summary>
    public AgentState? Find(int agent) => _agents.GetValueOrDefault(agent);

    /// <summary>
    /// The state of (<paramref name="agent"/>, <paramref name="startTime"/>): the existing one, or a
    /// fresh one when the id is new or was reused by another process. Null when the table is full.
    /// </summary>
    public AgentState? Get(int agent, ulong startTime, string name)
    {
        if (_agents.TryGetValue(agent, out var state))
        {
            if (state.StartTime == startTime || startTime == 0)
            {
                // Without a start time the observation came after the process was gone: its name
                // (the closing thread's) is not the process's.
                if (name.Length > 0 && startTime != 0)
                {
                    state.Name = name;
                }

                return state;
            }

            _agents.Remove(agent);
        }

        if (_agents.Count >= Capacity)
        {
            Overflow++;
            return null;
        }

        state = new AgentState(agent, startTime, name, _rows);
        _agents[agent] = state;
        return state;
    }

    /// <summary>Forgets <paramref name="agent"/>.</summary>
    public bool Remove(int agent) => _agents.Remove(agent);

    /// <inheritdoc/>
    public IEnumerator<AgentState> GetEnumerator() => _agents.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
