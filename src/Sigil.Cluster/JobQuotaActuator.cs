using System;
using System.Collections.Generic;
using System.Globalization;
using Sigil.Runtime.Enforcement;

namespace Sigil.Cluster;

/// <summary>
/// Sets each job's CPU quota to its allocation (in CPUs), through the runtime's cgroup throttler
/// (one cgroup per job and quota step, under <c>sigil/{fibre}.{pid}.{milliCPU}</c>) and its process guard
/// (never pid 1, the daemon itself, kernel threads or an allow-listed process). Quotas move in steps
/// of <see cref="Step"/> CPU so that a job is not moved between cgroups every round. Unarmed, it only
/// says what it would do.
/// </summary>
public sealed class JobQuotaActuator : IDisposable
{
    /// <summary>The quota step, CPUs.</summary>
    public const double Step = 0.05;

    private readonly CgroupCpu? _cpu;
    private readonly ProcessGuard _guard;
    private readonly string _fibre;
    private readonly Dictionary<int, CpuThrottler> _jobs = [];

    /// <summary>An actuator for <paramref name="fibre"/>; <paramref name="cpu"/> null when no cpu controller was found.</summary>
    public JobQuotaActuator(string fibre, CgroupCpu? cpu, ProcessGuard guard, bool armed)
    {
        _fibre = fibre;
        _cpu = cpu;
        _guard = guard ?? throw new ArgumentNullException(nameof(guard));
        Armed = armed && cpu is not null;
    }

    /// <summary>True when quotas are written.</summary>
    public bool Armed { get; }

    /// <summary>Applies <paramref name="cpus"/> to <paramref name="pid"/>; returns what was done, for the log.</summary>
    public string Apply(int pid, double cpus)
    {
        var quota = Math.Max(Step, Math.Round(cpus / Step) * Step);
        var text = quota.ToString("0.00", CultureInfo.InvariantCulture);
        var verdict = _guard.Check(pid);
        if (!verdict.IsAllowed)
        {
            return $"pid {pid}: refused ({verdict.Detail})";
        }

        if (!Armed)
        {
            return $"pid {pid}: would set CPU quota {text}";
        }

        if (_jobs.TryGetValue(pid, out var current) && Math.Abs(current.CpuFraction - quota) < Step / 2)
        {
            return $"pid {pid}: CPU quota {text}";
        }

        // The old group first puts the job back where it came from, so the new one records that origin.
        current?.Dispose();
        var next = new CpuThrottler(_cpu!, $"{_fibre}.{pid}.{(int)Math.Round(quota * 1000)}", quota);
        next.Throttle(verdict.Target!);

        _jobs[pid] = next;
        return $"pid {pid}: set CPU quota {text}";
    }

    /// <summary>Puts every job back where it was and removes the cgroups.</summary>
    public void Dispose()
    {
        foreach (var throttler in _jobs.Values)
        {
            throttler.Dispose();
        }

        _jobs.Clear();
    }
}
