using System;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// A sensor that can wake the daemon's loop before its next tick when something needs acting on
/// at once: the eBPF sensor, whose kernel program writes the wake ring when a price crosses a
/// threshold. Between decisions the loop sleeps as before, so a busy host (samples, no decision)
/// costs no extra wake-ups.
/// </summary>
public interface IWakingSensor
{
    /// <summary>True when <see cref="WaitForDecision"/> can wait (the kernel object has a wake ring).</summary>
    bool CanWait { get; }

    /// <summary>Waits up to <paramref name="timeout"/>; true when a decision arrived, false when the time passed.</summary>
    bool WaitForDecision(TimeSpan timeout);

    /// <summary>
    /// Runs the sensor's decision path once on made-up decisions and keeps nothing, so that the
    /// first real decision does not wait for its code to be compiled.
    /// </summary>
    void WarmDecisionPath();
}
