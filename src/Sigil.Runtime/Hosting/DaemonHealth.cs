using System;
using System.Diagnostics;
using System.Threading;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// Liveness of the tick loop for /healthz: healthy while ticks keep coming (within three tick
/// periods plus a second), the loop has not failed, and the latest checkpoint was written (a
/// daemon that cannot checkpoint would lose its throttled processes' origins on a crash).
/// </summary>
public sealed class DaemonHealth
{
    private readonly TimeSpan _limit;
    private long _lastBeat = -1;
    private string? _failure;
    private string? _checkpointFailure;

    /// <summary>Health for a loop ticking every <paramref name="tick"/>.</summary>
    public DaemonHealth(TimeSpan tick) => _limit = (3 * tick) + TimeSpan.FromSeconds(1);

    /// <summary>Records a completed tick.</summary>
    public void Beat() => Volatile.Write(ref _lastBeat, Stopwatch.GetTimestamp());

    /// <summary>Records that the loop failed.</summary>
    public void Fail(string reason) => Volatile.Write(ref _failure, reason);

    /// <summary>Records the outcome of a checkpoint: a failure makes the daemon unhealthy until one succeeds.</summary>
    public void Checkpointed(bool ok, string? reason = null) => Volatile.Write(ref _checkpointFailure, ok ? null : reason ?? "failed");

    /// <summary>Healthy, and why not.</summary>
    public (bool Healthy, string Text) Check()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            return (false, "failed: " + failure);
        }

        if (Volatile.Read(ref _checkpointFailure) is { } checkpoint)
        {
            return (false, "checkpoint failed: " + checkpoint);
        }

        var last = Volatile.Read(ref _lastBeat);
        if (last < 0)
        {
            return (false, "starting: no tick yet");
        }

        var age = Stopwatch.GetElapsedTime(last);
        return age <= _limit ? (true, "ok") : (false, $"stalled: last tick {age.TotalSeconds:0.0} s ago");
    }
}
