using System;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>The dwell object loaded, scoped to one process, attached, with its event log.</summary>
public sealed class DwellSession : IDisposable
{
    private readonly BpfLinkSet _links;

    private DwellSession(BpfFibre fibre, BpfLinkSet links, EventLog events)
    {
        Fibre = fibre;
        _links = links;
        Events = events;
    }

    public BpfFibre Fibre { get; }

    public EventLog Events { get; }

    public FixedPointSpec Parameters => Fibre.FixedPoint;

    /// <summary>
    /// Loads dwell.bpf.o with <paramref name="configure"/> applied to its descriptor's fixed point,
    /// scopes it to <paramref name="tgid"/> before attaching, and sends every sample.
    /// </summary>
    public static DwellSession Start(uint tgid, Func<FixedPointSpec, FixedPointSpec>? configure = null)
    {
        var fibre = BpfFibre.Open(BpfObjects.Dwell);
        try
        {
            if (configure is not null)
            {
                fibre.Configure(configure(fibre.Descriptor.FixedPoint!));
            }

            fibre.Load();
            fibre.Scope(tgid);
            fibre.SendSamples(true);
            var events = new EventLog(fibre);
            return new DwellSession(fibre, fibre.Attach(), events);
        }
        catch
        {
            fibre.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _links.Dispose();
        Events.Dispose();
        Fibre.Dispose();
    }
}
