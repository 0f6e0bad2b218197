using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sigil.Runtime.Enforcement;

/// <summary>One agent frozen by the daemon: its cgroup and the processes in it.</summary>
/// <param name="Agent">The agent (the root tgid of its process tree).</param>
/// <param name="Fibre">The fibre that froze it.</param>
/// <param name="Cgroup">The cgroup's folder.</param>
/// <param name="Pids">The processes in it.</param>
/// <param name="Frozen">True while cgroup.freeze is 1.</param>
public sealed record FrozenAgent(int Agent, string Fibre, string Cgroup, IReadOnlyList<int> Pids, bool Frozen)
{
    /// <summary>The command that thaws it.</summary>
    public string ThawCommand => $"sigil thaw {Agent}";
}

/// <summary>
/// The freeze action through the cgroup v2 freezer: the agent's processes move into a cgroup of
/// their own, <c>&lt;v2 root&gt;/sigil.frozen/&lt;fibre&gt;-&lt;agent&gt;-&lt;start time&gt;</c>, whose
/// <c>cgroup.freeze</c> is set to 1; then each gets SIGCONT (the kernel program stopped it with
/// SIGSTOP at its damaging event; frozen, it stays put). Thawing sets <c>cgroup.freeze</c> to 0,
/// moves the processes to the hierarchy's root cgroup and removes the frozen one. Works on a pure
/// v2 host (<c>/sys/fs/cgroup</c>) and on a hybrid one (<c>/sys/fs/cgroup/unified</c>), where the v2
/// hierarchy has no controllers but freezes all the same.
/// </summary>
public sealed class CgroupFreezer
{
    /// <summary>The folder under the v2 root that holds the frozen agents' cgroups.</summary>
    public const string Folder = "sigil.frozen";

    /// <summary>A freezer on the v2 hierarchy at <paramref name="root"/>.</summary>
    public CgroupFreezer(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    /// <summary>The v2 hierarchy's mount.</summary>
    public string Root { get; }

    /// <summary>
    /// The cgroup v2 hierarchy of this host, or null: <c>/sys/fs/cgroup/unified</c> (hybrid) or
    /// <c>/sys/fs/cgroup</c> (pure v2), whichever has the v2 interface files.
    /// </summary>
    public static string? FindRoot(string sysfs = "/sys")
    {
        foreach (var candidate in new[] { Path.Combine(sysfs, "fs", "cgroup", "unified"), Path.Combine(sysfs, "fs", "cgroup") })
        {
            if (File.Exists(Path.Combine(candidate, "cgroup.controllers")) && File.Exists(Path.Combine(candidate, "cgroup.procs")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Freezes <paramref name="pids"/> (the agent's processes, already checked by the guard) in the
    /// agent's own cgroup and returns it with the processes that were moved. Processes that exited
    /// meanwhile are skipped.
    /// </summary>
    public FrozenAgent Freeze(string fibre, int agent, ulong agentStart, IEnumerable<int> pids)
    {
        ArgumentNullException.ThrowIfNull(pids);
        var parent = Path.Combine(Root, Folder);
        Directory.CreateDirectory(parent);
        var cgroup = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"{fibre}-{agent}-{agentStart}"));
        Directory.CreateDirectory(cgroup);
        var moved = new List<int>();
        // A second decision for the same agent (the kernel may decide again while its stop lands)
        // finds its processes in the frozen cgroup already: the origins the first one recorded stay.
        var origins = ReadOrigins(Path.GetFileName(cgroup));
        foreach (var pid in pids.Distinct())
        {
            try
            {
                var origin = ProcessIdentity.CgroupOf(pid);
                File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                moved.Add(pid);
                if (origin is not null && !origin.StartsWith("/" + Folder + "/", StringComparison.Ordinal))
                {
                    origins.TryAdd(pid, origin);
                }
            }
            catch (IOException)
            {
                // Exited since (ESRCH).
            }
        }

        File.WriteAllText(Path.Combine(cgroup, "cgroup.freeze"), "1");
        WriteOrigins(Path.GetFileName(cgroup), origins);
        foreach (var pid in moved)
        {
            Libc.Kill(pid, Libc.SIGCONT);
        }

        return new FrozenAgent(agent, fibre, cgroup, moved, true);
    }

    /// <summary>The agents frozen under this hierarchy (by any fibre), ordered by agent.</summary>
    public IReadOnlyList<FrozenAgent> List()
    {
        var parent = Path.Combine(Root, Folder);
        if (!Directory.Exists(parent))
        {
            return [];
        }

        var found = new List<FrozenAgent>();
        foreach (var cgroup in Directory.EnumerateDirectories(parent))
        {
            var parts = Path.GetFileName(cgroup).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var agent))
            {
                continue;
            }

            var pids = ReadPids(cgroup);
            var frozen = File.Exists(Path.Combine(cgroup, "cgroup.freeze")) && File.ReadAllText(Path.Combine(cgroup, "cgroup.freeze")).Trim() == "1";
            found.Add(new FrozenAgent(agent, string.Join('-', parts[..^2]), cgroup, pids, frozen));
        }

        found.Sort(static (a, b) => a.Agent.CompareTo(b.Agent));
        return found;
    }

    /// <summary>
    /// Thaws the agent <paramref name="agentOrCgroup"/> (an agent number, or the path of its frozen
    /// cgroup): unfreezes it, moves each process back to the cgroup it was frozen from (the root
    /// cgroup when that is gone or was not recorded), removes the frozen cgroup, and removes
    /// <see cref="Folder"/> when no agent is left frozen in it. Returns what was thawed; throws
    /// <see cref="ArgumentException"/> when nothing matches.
    /// </summary>
    public IReadOnlyList<FrozenAgent> Thaw(string agentOrCgroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentOrCgroup);
        var all = List();
        var matches = int.TryParse(agentOrCgroup, NumberStyles.None, CultureInfo.InvariantCulture, out var agent)
            ? all.Where(f => f.Agent == agent).ToList()
            : all.Where(f => string.Equals(Path.GetFullPath(f.Cgroup), Path.GetFullPath(agentOrCgroup).TrimEnd('/'), StringComparison.Ordinal)).ToList();
        if (matches.Count == 0)
        {
            throw new ArgumentException($"no frozen agent '{agentOrCgroup}' under {Path.Combine(Root, Folder)}" + (all.Count == 0 ? " (none is frozen)" : $" (frozen: {string.Join(", ", all.Select(f => f.Agent))})"), nameof(agentOrCgroup));
        }

        foreach (var frozen in matches)
        {
            var name = Path.GetFileName(frozen.Cgroup);
            var origins = ReadOrigins(name);
            File.WriteAllText(Path.Combine(frozen.Cgroup, "cgroup.freeze"), "0");
            foreach (var pid in ReadPids(frozen.Cgroup))
            {
                var back = origins.TryGetValue(pid, out var origin) && File.Exists(Path.Combine(Root + origin, "cgroup.procs")) ? Root + origin : Root;
                foreach (var target in back == Root ? new[] { Root } : new[] { back, Root })
                {
                    try
                    {
                        File.WriteAllText(Path.Combine(target, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));
                        break;
                    }
                    catch (IOException)
                    {
                        // Gone since, or a cgroup that takes no process now (it has controllers and children): the root takes it.
                    }
                }

                Libc.Kill(pid, Libc.SIGCONT);
            }

            try
            {
                Directory.Delete(frozen.Cgroup);
            }
            catch (IOException)
            {
                // A process that could not move keeps it; it is thawed all the same.
            }

            if (!Directory.Exists(frozen.Cgroup))
            {
                File.Delete(Path.Combine(OriginsFolder, name));
            }
        }

        try
        {
            // Another daemon may freeze an agent meanwhile: then the folder is not empty and stays.
            var parent = Path.Combine(Root, Folder);
            if (Directory.Exists(parent) && !Directory.EnumerateDirectories(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
        catch (IOException)
        {
        }

        return matches.Select(f => f with { Frozen = false }).ToList();
    }

    /// <summary>
    /// Where each frozen agent's processes came from, one file per frozen cgroup of lines
    /// "pid cgroup-path" (cgroupfs takes no file of ours): under /run, which only root writes.
    /// </summary>
    public string OriginsFolder { get; init; } = "/run/sigil/frozen";

    private void WriteOrigins(string name, Dictionary<int, string> origins)
    {
        if (OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory(OriginsFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.WriteAllLines(Path.Combine(OriginsFolder, name), origins.Select(static o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value}")));
    }

    private Dictionary<int, string> ReadOrigins(string name)
    {
        var found = new Dictionary<int, string>();
        var file = Path.Combine(OriginsFolder, name);
        if (!File.Exists(file))
        {
            return found;
        }

        foreach (var line in File.ReadAllLines(file))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && line.Substring(space + 1) is { Length: > 1 } origin && origin[0] == '/' && !origin.Contains("/../", StringComparison.Ordinal) && !origin.EndsWith("/..", StringComparison.Ordinal))
            {
                found[pid] = origin;
            }
        }

        return found;
    }

    private static List<int> ReadPids(string cgroup)
    {
        var file = Path.Combine(cgroup, "cgroup.procs");
        return File.Exists(file)
            ? File.ReadAllLines(file).Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0).Where(p => p > 0).ToList()
            : [];
    }
}
