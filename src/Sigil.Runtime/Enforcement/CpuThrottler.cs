using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// Throttles processes by moving them into the daemon's own child cgroup,
/// <c>&lt;cpu mount&gt;/sigil/&lt;fibre&gt;/throttled[-&lt;instance&gt;]</c>, whose CPU quota is a fraction of one CPU:
/// <c>cpu.max</c> on cgroup v2, <c>cpu.cfs_quota_us</c> / <c>cpu.cfs_period_us</c> on v1. A release
/// moves the process back to the cgroup it came from. The daemon never changes a cgroup it did
/// not create.
/// </summary>
public sealed class CpuThrottler : IDisposable
{
    /// <summary>The CFS period, microseconds.</summary>
    public const long PeriodMicroseconds = 100_000;

    private readonly ConcurrentDictionary<int, ThrottleOrigin> _origins = new();
    private readonly string _procRoot;
    private bool _prepared;

    /// <summary>
    /// A throttler for <paramref name="fibre"/> in the hierarchy <paramref name="cpu"/>. With an
    /// <paramref name="instance"/> (lowercase letters, digits and dashes) the throttled group is
    /// <c>throttled-&lt;instance&gt;</c>: two daemons of one fibre (each with its own state, hence its
    /// own instance) then never release each other's processes.
    /// </summary>
    public CpuThrottler(CgroupCpu cpu, string fibre, double cpuFraction, string procRoot = "/proc", string? instance = null)
    {
        if (instance is not null && (instance.Length is 0 or > 64 || !instance.All(static c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            throw new ArgumentException($"'{instance}' cannot name a daemon instance", nameof(instance));
        }

        Cpu = cpu ?? throw new ArgumentNullException(nameof(cpu));
        if (string.IsNullOrEmpty(fibre) || fibre.IndexOfAny(['/', '\0']) >= 0 || fibre is "." or "..")
        {
            throw new ArgumentException($"'{fibre}' cannot name a cgroup", nameof(fibre));
        }

        if (!(cpuFraction > 0) || cpuFraction > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(cpuFraction), cpuFraction, "the CPU quota must be a positive fraction of one CPU");
        }

        CpuFraction = cpuFraction;
        _procRoot = procRoot;
        FibreGroup = Path.Combine(cpu.MountPoint, "sigil", fibre);
        GroupPath = Path.Combine(FibreGroup, instance is null ? "throttled" : "throttled-" + instance);
    }

    /// <summary>The cpu hierarchy.</summary>
    public CgroupCpu Cpu { get; }

    /// <summary>The quota, as a fraction of one CPU.</summary>
    public double CpuFraction { get; }

    /// <summary>The fibre's cgroup, <c>&lt;mount&gt;/sigil/&lt;fibre&gt;</c>.</summary>
    public string FibreGroup { get; }

    /// <summary>The cgroup throttled processes are moved into.</summary>
    public string GroupPath { get; }

    /// <summary>The quota written, microseconds per <see cref="PeriodMicroseconds"/>.</summary>
    public long QuotaMicroseconds => Math.Max(1000, (long)Math.Round(CpuFraction * PeriodMicroseconds));

    /// <summary>Creates the cgroups and sets the quota. Idempotent.</summary>
    /// <exception cref="IOException">The cgroup file system refused (no privilege, no controller).</exception>
    public void Prepare()
    {
        if (_prepared)
        {
            return;
        }

        var quota = QuotaMicroseconds.ToString(CultureInfo.InvariantCulture);
        var period = PeriodMicroseconds.ToString(CultureInfo.InvariantCulture);
        if (Cpu.Version == CgroupVersion.V2)
        {
            // v2 hands a controller down level by level through cgroup.subtree_control.
            EnableCpu(Cpu.MountPoint);
            Directory.CreateDirectory(Path.GetDirectoryName(FibreGroup)!);
            EnableCpu(Path.GetDirectoryName(FibreGroup)!);
            Directory.CreateDirectory(FibreGroup);
            EnableCpu(FibreGroup);
            Directory.CreateDirectory(GroupPath);
            Write(Path.Combine(GroupPath, "cpu.max"), $"{quota} {period}");
        }
        else
        {
            Directory.CreateDirectory(GroupPath);
            Write(Path.Combine(GroupPath, "cpu.cfs_period_us"), period);
            Write(Path.Combine(GroupPath, "cpu.cfs_quota_us"), quota);
        }

        _prepared = true;
    }

    /// <summary>Moves <paramref name="target"/>'s whole process into the throttled cgroup.</summary>
    public void Throttle(ProcessTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Directory.Exists(GroupPath))
        {
            // Another daemon of the same fibre removed the shared group when it stopped: make it again.
            _prepared = false;
        }

        Prepare();
        var origin = Cpu.CgroupOf(target.Tgid, _procRoot) ?? "/";
        var throttledRelative = "/" + Path.GetRelativePath(Cpu.MountPoint, GroupPath);
        if (!string.Equals(origin, throttledRelative, StringComparison.Ordinal))
        {
            _origins[target.Tgid] = new ThrottleOrigin(target.Tgid, target.StartTime, origin);
        }

        try
        {
            Write(Path.Combine(GroupPath, "cgroup.procs"), target.Tgid.ToString(CultureInfo.InvariantCulture));
        }
        catch (DirectoryNotFoundException)
        {
            // The other daemon removed the group between the check above and this write.
            _prepared = false;
            Prepare();
            Write(Path.Combine(GroupPath, "cgroup.procs"), target.Tgid.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Moves <paramref name="target"/>'s process back to the cgroup it was in before <see cref="Throttle"/>.</summary>
    public void Release(ProcessTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _origins.TryRemove(target.Tgid, out var origin);
        MoveBack(target.Tgid, origin?.Cgroup ?? "/");
    }

    /// <summary>The throttled processes and where each came from, sorted by process id (for checkpoints).</summary>
    public IReadOnlyList<ThrottleOrigin> Origins() => [.. _origins.Values.OrderBy(static o => o.Agent)];

    /// <summary>
    /// Takes over the origins a previous daemon checkpointed, for the processes that still run
    /// (same id and start time), so that <see cref="ReleaseAll"/> moves them back where they were.
    /// Returns how many were taken.
    /// </summary>
    public int Adopt(IEnumerable<ThrottleOrigin> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        var adopted = 0;
        foreach (var origin in origins)
        {
            if (origin.Agent is > 0 and <= int.MaxValue && !string.IsNullOrEmpty(origin.Cgroup) && InsideHierarchy(origin.Cgroup) is not null
                && ProcStat.TryRead((int)origin.Agent, _procRoot) is { } stat && stat.StartTime == origin.StartTime)
            {
                _origins[(int)origin.Agent] = origin;
                adopted++;
            }
        }

        return adopted;
    }

    /// <summary>True when <paramref name="tgid"/> is currently in the throttled cgroup.</summary>
    public bool IsThrottled(int tgid)
    {
        var path = Cpu.CgroupOf(tgid, _procRoot);
        return path is not null && string.Equals(
            Path.GetFullPath(Path.Combine(Cpu.MountPoint, path.TrimStart('/'))),
            Path.GetFullPath(GroupPath),
            StringComparison.Ordinal);
    }

    /// <summary>
    /// Moves every process in the throttled cgroup out of it: back to where it came from when
    /// known, else to the hierarchy's root (processes left behind by a daemon that was killed).
    /// </summary>
    public int ReleaseAll()
    {
        var released = 0;
        var procs = Path.Combine(GroupPath, "cgroup.procs");
        if (!File.Exists(procs))
        {
            return 0;
        }

        try
        {
            foreach (var line in File.ReadAllLines(procs))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    _origins.TryRemove(pid, out var origin);
                    MoveBack(pid, origin?.Cgroup ?? "/");
                    released++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The group vanished or is not readable: nothing more to release.
        }

        return released;
    }

    /// <summary>Moves every process still throttled back and removes the cgroups the daemon created.</summary>
    public void Dispose()
    {
        if (!Directory.Exists(GroupPath))
        {
            return;
        }

        ReleaseAll();
        try
        {
            Directory.Delete(GroupPath);
            Directory.Delete(FibreGroup);

            // The shared sigil/ group goes when the last fibre's group has gone.
            var root = Path.GetDirectoryName(FibreGroup)!;
            if (Directory.GetDirectories(root).Length == 0)
            {
                Directory.Delete(root);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process that entered meanwhile, or a group another daemon still uses: leave it.
        }
    }

    private void MoveBack(int tgid, string origin)
    {
        var target = InsideHierarchy(origin) ?? Cpu.MountPoint;
        if (!Directory.Exists(target))
        {
            target = Cpu.MountPoint;
        }

        try
        {
            Write(Path.Combine(target, "cgroup.procs"), tgid.ToString(CultureInfo.InvariantCulture));
        }
        catch (IOException) when (ProcStat.TryRead(tgid, _procRoot) is null)
        {
            // The process exited: nothing to move back.
        }
    }

    /// <summary>
    /// The folder of cgroup <paramref name="cgroup"/> (a path like <c>/user.slice</c>) when it is
    /// canonical (absolute, no <c>.</c> or <c>..</c> segment, no empty segment) and inside this
    /// hierarchy, compared at a separator (so <c>/sys/fs/cgroup/cpuset</c> is not inside
    /// <c>/sys/fs/cgroup/cpu</c>); else null.
    /// </summary>
    public string? InsideHierarchy(string cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        if (!cgroup.StartsWith('/') || cgroup.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        var segments = cgroup.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i] is "." or ".." || (segments[i].Length == 0 && !(i == segments.Length - 1 && i == 1)))
            {
                return null;
            }
        }

        var mount = Path.GetFullPath(Cpu.MountPoint).TrimEnd('/');
        var target = Path.GetFullPath(mount + cgroup).TrimEnd('/');
        return target == mount || target.StartsWith(mount + "/", StringComparison.Ordinal) ? target : null;
    }

    private static void EnableCpu(string group)
    {
        var control = Path.Combine(group, "cgroup.subtree_control");
        var enabled = File.Exists(control) ? File.ReadAllText(control) : string.Empty;
        if (!(" " + enabled.Trim() + " ").Contains(" cpu ", StringComparison.Ordinal))
        {
            Write(control, "+cpu");
        }
    }

    // cgroup files take one value per write(2); File.WriteAllText issues exactly one write for short text.
    private static void Write(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot write '{value}' to {path}: permission denied", e);
        }
    }
}
