using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>Where a domain's CPUs come from.</summary>
public enum DomainCpuSource
{
    /// <summary>The machine's last-level cache groups (<c>cache/index*/</c> of level 3, <c>shared_cpu_list</c>).</summary>
    LastLevelCache,

    /// <summary>The machine's NUMA nodes (<c>node*/cpulist</c>).</summary>
    NumaNode,

    /// <summary>The online CPUs split evenly in table order (the machine has fewer cache groups than domains).</summary>
    EvenSplit,

    /// <summary>More domains than online CPUs: domains share CPUs round-robin.</summary>
    Folded,
}

/// <summary>
/// The CPUs of each placement domain on this machine: the fibre's domains, in table order, are
/// mapped onto the machine's last-level cache groups when it has at least as many as there are
/// domains, else onto its NUMA nodes, else onto an even split of the online CPUs; with more
/// domains than online CPUs the domains are folded round-robin onto single CPUs. When the machine
/// has more groups than the fibre has domains, domain d takes every group g with g mod D == d.
/// </summary>
/// <param name="Cpus">Per domain, its CPUs (ascending, never empty).</param>
/// <param name="Source">Where the groups came from.</param>
/// <param name="Groups">How many groups the source has.</param>
/// <param name="Notes">What was done, for the start-up log: the mapping and, when the domains are not this machine's cache domains, why.</param>
public sealed record DomainCpuMap(IReadOnlyList<IReadOnlyList<int>> Cpus, DomainCpuSource Source, int Groups, IReadOnlyList<string> Notes)
{
    /// <summary>True when the mapping is not one cache group (or NUMA node) per domain, so that the start-up log should warn.</summary>
    public bool IsApproximate => Source is DomainCpuSource.EvenSplit or DomainCpuSource.Folded || Groups != Cpus.Count;

    /// <summary>Maps <paramref name="domains"/> onto this machine's CPUs, read under <paramref name="sysRoot"/>.</summary>
    /// <exception cref="IOException">No online CPU can be found.</exception>
    public static DomainCpuMap Build(IReadOnlyList<string> domains, string sysRoot = "/sys")
    {
        ArgumentNullException.ThrowIfNull(domains);
        if (domains.Count == 0)
        {
            throw new ArgumentException("a placement needs at least one domain", nameof(domains));
        }

        var cpuRoot = Path.Combine(sysRoot, "devices", "system", "cpu");
        var online = ReadList(Path.Combine(cpuRoot, "online"))
            ?? throw new IOException($"cannot read the online CPUs from {Path.Combine(cpuRoot, "online")}");
        if (online.Count == 0)
        {
            throw new IOException($"{Path.Combine(cpuRoot, "online")} lists no CPU");
        }

        var onlineSet = online.ToHashSet();
        var llc = LastLevelCacheGroups(cpuRoot, online, onlineSet);
        var numa = NumaGroups(Path.Combine(sysRoot, "devices", "system", "node"), onlineSet);
        var d = domains.Count;
        var notes = new List<string>();
        string Has(List<int[]>? groups, string what) => groups is null ? $"no {what} information" : $"{groups.Count} {what}{(groups.Count == 1 ? string.Empty : "s")}";

        if (llc is not null && llc.Count >= d)
        {
            return Finish(domains, Merge(llc, d), DomainCpuSource.LastLevelCache, llc.Count, notes, "last-level cache group");
        }

        if (numa is not null && numa.Count >= d)
        {
            notes.Add($"this machine has {Has(llc, "last-level cache group")} for {d} domains: the domains are mapped onto its NUMA nodes instead");
            return Finish(domains, Merge(numa, d), DomainCpuSource.NumaNode, numa.Count, notes, "NUMA node");
        }

        if (online.Count >= d)
        {
            notes.Add($"this machine has {Has(llc, "last-level cache group")} and {Has(numa, "NUMA node")} for {d} domains: "
                + $"its {online.Count} online CPUs are split evenly in table order (these are not separate cache domains here)");
            var groups = new List<int[]>();
            var start = 0;
            for (var i = 0; i < d; i++)
            {
                var size = (online.Count / d) + (i < online.Count % d ? 1 : 0);
                groups.Add(online.Skip(start).Take(size).ToArray());
                start += size;
            }

            return Finish(domains, groups, DomainCpuSource.EvenSplit, online.Count, notes, null);
        }

        notes.Add($"this machine has {online.Count} online CPU{(online.Count == 1 ? string.Empty : "s")} for {d} domains: domains are folded round-robin, "
            + $"domain number i gets CPU number i mod {online.Count} (domains {string.Join(", ", domains.Skip(online.Count))} share CPUs with the first {online.Count})");
        var folded = Enumerable.Range(0, d).Select(i => new[] { online[i % online.Count] }).ToList();
        return Finish(domains, folded, DomainCpuSource.Folded, online.Count, notes, null);
    }

    /// <summary>Parses a kernel CPU list such as <c>0-3,8,10-11</c>; null when malformed.</summary>
    public static List<int>? ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cpus = new SortedSet<int>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var cpu))
                {
                    return null;
                }

                cpus.Add(cpu);
                continue;
            }

            if (!int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first || last - first > 65536)
            {
                return null;
            }

            for (var cpu = first; cpu <= last; cpu++)
            {
                cpus.Add(cpu);
            }
        }

        return [.. cpus];
    }

    /// <summary>A CPU list in the kernel's short form (<c>0-3,8</c>).</summary>
    public static string FormatList(IEnumerable<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var sorted = cpus.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(j == i
                ? sorted[i].ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }

        return string.Join(',', parts);
    }

    private static DomainCpuMap Finish(IReadOnlyList<string> domains, List<int[]> cpus, DomainCpuSource source, int groups, List<string> notes, string? groupName)
    {
        if (groupName is not null && groups > domains.Count)
        {
            notes.Add($"this machine has {groups} {groupName}s for {domains.Count} domains: domain number i takes every group g with g mod {domains.Count} == i");
        }

        var what = source switch
        {
            DomainCpuSource.LastLevelCache => "last-level cache groups",
            DomainCpuSource.NumaNode => "NUMA nodes",
            DomainCpuSource.EvenSplit => "an even split of the online CPUs",
            _ => "single CPUs, folded",
        };
        notes.Insert(0, $"domains on {what}: " + string.Join(", ", domains.Select((name, i) => $"{name} -> CPUs {FormatList(cpus[i])}")));
        return new DomainCpuMap(cpus.Select(c => (IReadOnlyList<int>)c.ToArray()).ToList(), source, groups, notes);
    }

    private static List<int[]> Merge(List<int[]> groups, int domains)
    {
        var merged = new List<int[]>();
        for (var i = 0; i < domains; i++)
        {
            merged.Add(groups.Where((_, g) => g % domains == i).SelectMany(g => g).Distinct().Order().ToArray());
        }

        return merged;
    }

    private static List<int[]>? LastLevelCacheGroups(string cpuRoot, List<int> online, HashSet<int> onlineSet)
    {
        var groups = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var cpu in online)
        {
            var cache = Path.Combine(cpuRoot, "cpu" + cpu.ToString(CultureInfo.InvariantCulture), "cache");
            if (!Directory.Exists(cache))
            {
                continue;
            }

            // The last level is the highest level listed; a machine with an L3 shares it per group.
            (int Level, List<int>? Cpus) best = (0, null);
            foreach (var index in Directory.EnumerateDirectories(cache, "index*"))
            {
                if (ReadText(Path.Combine(index, "level")) is { } levelText
                    && int.TryParse(levelText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                    && level >= 3 && level > best.Level
                    && ReadList(Path.Combine(index, "shared_cpu_list")) is { } shared)
                {
                    best = (level, shared);
                }
            }

            if (best.Cpus is { } list)
            {
                var members = list.Where(onlineSet.Contains).ToArray();
                if (members.Length > 0)
                {
                    groups[FormatList(members)] = members;
                }
            }
        }

        return groups.Count == 0 ? null : [.. groups.Values.OrderBy(g => g[0])];
    }

    private static List<int[]>? NumaGroups(string nodeRoot, HashSet<int> onlineSet)
    {
        if (!Directory.Exists(nodeRoot))
        {
            return null;
        }

        var nodes = new List<(int Node, int[] Cpus)>();
        foreach (var dir in Directory.EnumerateDirectories(nodeRoot, "node*"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var node))
            {
                continue;
            }

            if (ReadList(Path.Combine(dir, "cpulist")) is { } cpus && cpus.Where(onlineSet.Contains).ToArray() is { Length: > 0 } members)
            {
                nodes.Add((node, members));
            }
        }

        return nodes.Count == 0 ? null : [.. nodes.OrderBy(n => n.Node).Select(n => n.Cpus)];
    }

    private static List<int>? ReadList(string path) => ReadText(path) is { } text ? ParseList(text) : null;

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
