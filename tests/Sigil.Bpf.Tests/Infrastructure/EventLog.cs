using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>Collects a fibre's ring buffer events.</summary>
public sealed class EventLog : IBpfEventHandler<SigilEvent>, IDisposable
{
    private readonly BpfRingBuffer _ring;

    public EventLog(BpfFibre fibre) => _ring = fibre.OpenEvents(this);

    public List<SigilEvent> Events { get; } = new();

    public void OnEvent(in SigilEvent record) => Events.Add(record);

    /// <summary>Polls until <paramref name="done"/> holds or <paramref name="timeout"/> passes.</summary>
    public bool PollUntil(Func<List<SigilEvent>, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!done(Events))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            _ring.Poll(50);
        }

        return true;
    }

    /// <summary>Drains what is there now.</summary>
    public void Drain() => _ring.Consume();

    public IEnumerable<SigilEvent> Of(uint tgid, SigilEventKind kind) => Events.Where(e => e.Tgid == tgid && e.EventKind == kind);

    public void Dispose() => _ring.Dispose();
}
