using System;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>Sums and checks of the per-CPU counters.</summary>
public partial struct SigilStats
{
    /// <summary>True when every run was counted once: seen = processed + filtered + dropped.</summary>
    public readonly bool IsConsistent => Seen == Processed + Filtered + Dropped;

    /// <summary>The counters of all CPUs added up.</summary>
    public static SigilStats Sum(ReadOnlySpan<SigilStats> perCpu)
    {
        var total = default(SigilStats);
        var sum = MemoryMarshal.Cast<SigilStats, ulong>(MemoryMarshal.CreateSpan(ref total, 1));
        foreach (var cpu in perCpu)
        {
            var counters = MemoryMarshal.Cast<SigilStats, ulong>(MemoryMarshal.CreateReadOnlySpan(in cpu, 1));
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += counters[i];
            }
        }

        return total;
    }

    /// <summary>The counters gained since <paramref name="before"/>.</summary>
    public readonly SigilStats Since(in SigilStats before)
    {
        var delta = this;
        var d = MemoryMarshal.Cast<SigilStats, ulong>(MemoryMarshal.CreateSpan(ref delta, 1));
        var b = MemoryMarshal.Cast<SigilStats, ulong>(MemoryMarshal.CreateReadOnlySpan(in before, 1));
        for (var i = 0; i < d.Length; i++)
        {
            d[i] -= b[i];
        }

        return delta;
    }

    /// <inheritdoc/>
    public override readonly string ToString() =>
        $"seen {Seen} = processed {Processed} + filtered {Filtered} + dropped {Dropped}; samples {Samples}, price updates {PriceUpdates}, " +
        $"throttles {Throttles}, releases {Releases}, kills {Kills} (suppressed {KillsSuppressed}), exits {Exits}, stale {Stale}, " +
        $"ring full {RingFull}, map full {MapFull}, contended {Contended}";
}

/// <summary>Reading the task name of an event.</summary>
public unsafe partial struct SigilEvent
{
    /// <summary>The event's kind.</summary>
    public readonly SigilEventKind EventKind => (SigilEventKind)Kind;

    /// <summary>The task's command name (comm).</summary>
    public readonly string CommandName
    {
        get
        {
            fixed (byte* comm = Comm)
            {
                var span = new ReadOnlySpan<byte>(comm, 16);
                var length = span.IndexOf((byte)0);
                return System.Text.Encoding.UTF8.GetString(length < 0 ? span : span[..length]);
            }
        }
    }
}
