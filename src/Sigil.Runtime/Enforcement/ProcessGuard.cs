using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// The one place that decides whether the daemon may act on a process. Every throttle, kill and
/// affinity change goes through <see cref="Check"/>, which refuses pid 1, the daemon itself (any
/// thread of its process), kernel threads, and allow-listed pids and command names. Nothing else
/// creates a <see cref="ProcessTarget"/>.
/// </summary>
public sealed class ProcessGuard
{
    private readonly string _procRoot;

    /// <summary>A guard with <paramref name="policy"/>, reading processes under <paramref name="procRoot"/>.</summary>
    public ProcessGuard(GuardPolicy policy, string procRoot = "/proc")
    {
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _procRoot = procRoot;
        SelfTgid = Environment.ProcessId;
    }

    /// <summary>The allow-list.</summary>
    public GuardPolicy Policy { get; }

    /// <summary>The daemon's own process id, never a target.</summary>
    public int SelfTgid { get; }

    /// <summary>Decides whether the task <paramref name="pid"/> may be acted on.</summary>
    public GuardVerdict Check(int pid)
    {
        if (pid <= 1)
        {
            return Refuse(RefusalReason.Init, $"pid {pid}: init and pids below 1 are never targets");
        }

        if (pid == SelfTgid)
        {
            return Refuse(RefusalReason.Self, $"pid {pid} is this daemon");
        }

        if (Policy.AllowedPids.Contains(pid))
        {
            return Refuse(RefusalReason.AllowListed, $"pid {pid} is allow-listed");
        }

        var stat = ProcStat.TryRead(pid, _procRoot);
        if (stat is null)
        {
            return Refuse(RefusalReason.NotFound, $"pid {pid} does not exist");
        }

        if (stat.IsKernelThread || stat.Pid == 2 || stat.ParentPid == 2)
        {
            return Refuse(RefusalReason.KernelThread, $"pid {pid} ({stat.Comm}) is a kernel thread");
        }

        var tgid = ReadTgid(pid);
        if (tgid is null)
        {
            return Refuse(RefusalReason.NotFound, $"pid {pid} exited");
        }

        if (tgid.Value == SelfTgid)
        {
            return Refuse(RefusalReason.Self, $"pid {pid} is a thread of this daemon");
        }

        if (tgid.Value <= 1)
        {
            return Refuse(RefusalReason.Init, $"pid {pid} is a thread of init");
        }

        if (Policy.AllowedPids.Contains(tgid.Value))
        {
            return Refuse(RefusalReason.AllowListed, $"pid {pid} belongs to allow-listed process {tgid.Value}");
        }

        if (!HasExecutable(pid))
        {
            return Refuse(RefusalReason.KernelThread, $"pid {pid} ({stat.Comm}) has no executable: a kernel thread");
        }

        var comm = ReadComm(pid) ?? stat.Comm;
        if (Policy.AllowedComms.Contains(comm) || Policy.AllowedComms.Contains(stat.Comm))
        {
            return Refuse(RefusalReason.AllowListed, $"pid {pid} ({comm}) has an allow-listed command name");
        }

        if (!Policy.AllowedExecutables.IsEmpty
            && ProcessIdentity.Executable(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "exe"), out _) is { } exe
            && Policy.AllowedExecutables.Contains(exe))
        {
            return Refuse(RefusalReason.AllowListed, $"pid {pid} ({comm}) runs an allow-listed executable");
        }

        if (!Policy.AllowedCgroups.IsEmpty && ProcessIdentity.CgroupOf(pid, _procRoot) is { } cgroup
            && Policy.AllowedCgroups.Any(a => cgroup == a || cgroup.StartsWith(a + "/", StringComparison.Ordinal)))
        {
            return Refuse(RefusalReason.AllowListed, $"pid {pid} ({comm}) is in allow-listed cgroup {cgroup}");
        }

        return new GuardVerdict(new ProcessTarget(pid, tgid.Value, stat.StartTime, comm), RefusalReason.None, $"pid {pid} ({comm}) may be acted on");
    }

    /// <summary>True when <paramref name="target"/> still names the same process (same pid and start time).</summary>
    public bool IsSameProcess(ProcessTarget target) =>
        ProcStat.TryRead(target.Pid, _procRoot) is { } stat && stat.StartTime == target.StartTime && stat.State != 'Z';

    private static GuardVerdict Refuse(RefusalReason reason, string detail) => new(null, reason, detail);

    private int? ReadTgid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "status")))
            {
                if (line.StartsWith("Tgid:", StringComparison.Ordinal)
                    && int.TryParse(line.AsSpan(5).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var tgid))
                {
                    return tgid;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private bool HasExecutable(int pid)
    {
        // A kernel thread has no /proc/<pid>/exe target (readlink fails with ENOENT). Without the
        // privilege to read another user's exe link, EACCES says the link exists: a user process.
        try
        {
            var info = new FileInfo(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "exe"));
            return info.LinkTarget is not null;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
