using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// The daemon's actuator. Every request first goes through the <see cref="ProcessGuard"/>; then,
/// only when armed, the throttler, the killer or the affinity setter acts. Unarmed (the default)
/// it reports what it would do and touches nothing.
/// </summary>
public sealed class Enforcer : IActuator
{
    private readonly ProcessKiller _killer;
    private readonly AffinitySetter _affinity = new();
    private int _armed;

    /// <summary>An unarmed enforcer.</summary>
    /// <param name="guard">The guard every request passes.</param>
    /// <param name="settings">Grace period and the like.</param>
    /// <param name="throttler">The cgroup throttler; null when no cpu controller is available (throttling then fails when armed).</param>
    public Enforcer(ProcessGuard guard, EnforcerSettings settings, CpuThrottler? throttler)
    {
        Guard = guard ?? throw new ArgumentNullException(nameof(guard));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Throttler = throttler;
        _killer = new ProcessKiller(guard);
    }

    /// <summary>The guard.</summary>
    public ProcessGuard Guard { get; }

    /// <summary>The settings.</summary>
    public EnforcerSettings Settings { get; }

    /// <summary>The throttler, when a cpu controller is available.</summary>
    public CpuThrottler? Throttler { get; }

    /// <inheritdoc/>
    public bool Armed => Volatile.Read(ref _armed) != 0;

    /// <summary>Starts carrying out actions. Call only once every precondition has been checked.</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>Back to observation mode.</summary>
    public void Disarm() => Volatile.Write(ref _armed, 0);

    /// <inheritdoc/>
    public async Task<ActionResult> ApplyAsync(ActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var verdict = Guard.Check(request.Pid);
        if (!verdict.IsAllowed)
        {
            return new ActionResult(request, ActionStatus.Refused, verdict.Detail, verdict.Reason);
        }

        var target = verdict.Target!;
        if (!Armed)
        {
            return new ActionResult(request, ActionStatus.WouldApply, $"would {Describe(request.Kind)} {target}: {request.Reason}", Target: target);
        }

        try
        {
            switch (request.Kind)
            {
                case ActionKind.Throttle:
                    RequireThrottler().Throttle(target);
                    return Applied(request, target, $"throttled {target} to {RequireThrottler().CpuFraction * 100:0.#}% of a CPU: {request.Reason}");
                case ActionKind.Release:
                    RequireThrottler().Release(target);
                    return Applied(request, target, $"released {target}: {request.Reason}");
                case ActionKind.Kill:
                    var outcome = await _killer.KillAsync(target, Settings.KillGrace, cancellationToken).ConfigureAwait(false);
                    return outcome == KillOutcome.AlreadyGone
                        ? new ActionResult(request, ActionStatus.Failed, $"{target} exited before the kill", Target: target)
                        : Applied(request, target, $"{(outcome == KillOutcome.Killed ? "killed (SIGKILL after grace)" : "terminated (SIGTERM)")} {target}: {request.Reason}");
                case ActionKind.Affinity:
                    _affinity.Apply(target, request.Cpus ?? throw new ArgumentException("an affinity action needs CPUs", nameof(request)));
                    return Applied(request, target, $"pinned {target} to CPUs {string.Join(',', request.Cpus)}: {request.Reason}");
                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Kind, "unknown action");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return new ActionResult(request, ActionStatus.Failed, $"could not {Describe(request.Kind)} {target}: {e.Message}", Target: target);
        }
    }

    private static ActionResult Applied(ActionRequest request, ProcessTarget target, string detail) =>
        new(request, ActionStatus.Applied, detail, Target: target);

    private CpuThrottler RequireThrottler() =>
        Throttler ?? throw new InvalidOperationException("no cgroup cpu controller is available for throttling");

    private static string Describe(ActionKind kind) => kind switch
    {
        ActionKind.Throttle => "throttle",
        ActionKind.Release => "release",
        ActionKind.Kill => "kill",
        ActionKind.Affinity => "set the affinity of",
        _ => kind.ToString(),
    };
}
