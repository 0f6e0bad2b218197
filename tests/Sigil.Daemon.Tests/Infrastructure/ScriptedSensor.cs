using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>A sensor that returns frames queued by the test (an empty frame when none is queued).</summary>
internal sealed class ScriptedSensor(string variable = "hold") : ISensor
{
    private readonly Queue<IReadOnlyList<AgentObservation>> _frames = new();
    private ulong _processed;

    public string Name => "scripted";

    public string Description => "frames queued by the test";

    public void Enqueue(params AgentObservation[] agents)
    {
        lock (_frames)
        {
            _frames.Enqueue(agents);
        }
    }

    public SensorFrame Sense()
    {
        IReadOnlyList<AgentObservation> agents;
        lock (_frames)
        {
            agents = _frames.Count > 0 ? _frames.Dequeue() : [];
        }

        _processed += (ulong)agents.Sum(a => a.Completed.Count);
        return new SensorFrame(variable, agents, new SensorCounters(_processed + 10, _processed, 3, 0));
    }

    public void Dispose()
    {
    }
}
