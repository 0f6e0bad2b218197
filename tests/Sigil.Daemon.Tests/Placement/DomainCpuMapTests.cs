using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Hosting.Placement;

namespace Sigil.Daemon.Tests.Placement;

/// <summary>Domains onto CPUs, from fake sysfs trees of other machines and from this one.</summary>
public sealed class DomainCpuMapTests : IDisposable
{
    private readonly TempDirectory _sys = new();

    public void Dispose() => _sys.Dispose();

    [Fact]
    public void FourLastLevelCaches_TwoDomains_EachDomainTakesTwoGroups()
    {
        Machine("0-7", cpu => (cpu / 2) switch { 0 => "0-1", 1 => "2-3", 2 => "4-5", _ => "6-7" }, nodes: ["0-7"]);
        var map = DomainCpuMap.Build(["a", "b"], _sys.Path);
        Assert.Equal(DomainCpuSource.LastLevelCache, map.Source);
        Assert.Equal(4, map.Groups);
        Assert.Equal([[0, 1, 4, 5], [2, 3, 6, 7]], map.Cpus.Select(c => c.ToArray()));
        Assert.True(map.IsApproximate);
        Assert.Contains(map.Notes, n => n.Contains("domain number i takes every group g with g mod 2 == i", StringComparison.Ordinal));
    }

    [Fact]
    public void AsManyLastLevelCachesAsDomains_OneEach_AndNoWarning()
    {
        Machine("0-3", cpu => cpu < 2 ? "0-1" : "2-3", nodes: ["0-3"]);
        var map = DomainCpuMap.Build(["node0", "node1"], _sys.Path);
        Assert.Equal((DomainCpuSource.LastLevelCache, false), (map.Source, map.IsApproximate));
        Assert.Equal("domains on last-level cache groups: node0 -> CPUs 0-1, node1 -> CPUs 2-3", Assert.Single(map.Notes));
    }

    [Fact]
    public void OneLastLevelCache_TwoNumaNodes_UsesTheNodes()
    {
        Machine("0-3", _ => "0-3", nodes: ["0,2", "1,3"]);
        var map = DomainCpuMap.Build(["n0", "n1"], _sys.Path);
        Assert.Equal(DomainCpuSource.NumaNode, map.Source);
        Assert.Equal([[0, 2], [1, 3]], map.Cpus.Select(c => c.ToArray()));
        Assert.Contains(map.Notes, n => n.Contains("1 last-level cache group for 2 domains: the domains are mapped onto its NUMA nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void TooFewGroups_SplitsTheOnlineCpusEvenlyInTableOrder_AndSaysSo()
    {
        Machine("0-4", _ => "0-4", nodes: ["0-4"]);
        var map = DomainCpuMap.Build(["x", "y", "z"], _sys.Path);
        Assert.Equal(DomainCpuSource.EvenSplit, map.Source);
        Assert.Equal([[0, 1], [2, 3], [4]], map.Cpus.Select(c => c.ToArray()));
        Assert.Contains(map.Notes, n => n.Contains("these are not separate cache domains here", StringComparison.Ordinal));
    }

    [Fact]
    public void MoreDomainsThanCpus_AreFoldedRoundRobin_AndTheSharingDomainsAreNamed()
    {
        Machine("0-1", _ => "0-1", nodes: null);
        var map = DomainCpuMap.Build(["a", "b", "c", "d", "e"], _sys.Path);
        Assert.Equal(DomainCpuSource.Folded, map.Source);
        Assert.Equal([[0], [1], [0], [1], [0]], map.Cpus.Select(c => c.ToArray()));
        Assert.Contains(map.Notes, n => n.Contains("domains c, d, e share CPUs with the first 2", StringComparison.Ordinal));
    }

    [Fact]
    public void NoSysfs_IsAnIoError_AndCpuListsParseAndPrint()
    {
        Assert.Throws<IOException>(() => DomainCpuMap.Build(["a"], _sys.Combine("missing")));
        Assert.Equal([0, 1, 2, 3, 8, 10, 11], DomainCpuMap.ParseList("0-3,8,10-11\n"));
        Assert.Null(DomainCpuMap.ParseList("3-1"));
        Assert.Null(DomainCpuMap.ParseList("a"));
        Assert.Equal("0-3,8,10-11", DomainCpuMap.FormatList([11, 10, 8, 3, 2, 1, 0]));
    }

    [Fact]
    public void ThisMachine_EveryDomainGetsOnlineCpus()
    {
        var map = DomainCpuMap.Build(["node0", "node1"]);
        var online = DomainCpuMap.ParseList(File.ReadAllText("/sys/devices/system/cpu/online"))!;
        Assert.Equal(2, map.Cpus.Count);
        Assert.All(map.Cpus, cpus => Assert.NotEmpty(cpus));
        Assert.All(map.Cpus.SelectMany(c => c), cpu => Assert.Contains(cpu, online));
    }

    private void Machine(string online, Func<int, string> llcOf, string[]? nodes)
    {
        var cpuRoot = _sys.Combine("devices", "system", "cpu");
        Directory.CreateDirectory(cpuRoot);
        File.WriteAllText(Path.Combine(cpuRoot, "online"), online + "\n");
        foreach (var cpu in DomainCpuMap.ParseList(online)!)
        {
            var cache = Path.Combine(cpuRoot, $"cpu{cpu}", "cache");
            foreach (var (index, level, shared) in new[] { ("index0", "1", cpu.ToString()), ("index2", "2", cpu.ToString()), ("index3", "3", llcOf(cpu)) })
            {
                Directory.CreateDirectory(Path.Combine(cache, index));
                File.WriteAllText(Path.Combine(cache, index, "level"), level + "\n");
                File.WriteAllText(Path.Combine(cache, index, "shared_cpu_list"), shared + "\n");
            }
        }

        if (nodes is not null)
        {
            for (var i = 0; i < nodes.Length; i++)
            {
                var node = _sys.Combine("devices", "system", "node", $"node{i}");
                Directory.CreateDirectory(node);
                File.WriteAllText(Path.Combine(node, "cpulist"), nodes[i] + "\n");
            }
        }
    }
}
