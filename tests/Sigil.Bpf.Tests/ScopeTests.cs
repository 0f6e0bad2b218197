using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

/// <summary>Scoped sensing: the control's target and the scope set are sensed, every other process is filtered.</summary>
[Collection(KernelCollection.Name)]
public sealed class ScopeTests
{
    private const int Pairs = 200;

    [KernelFact]
    public void Scope_TwoProcesses_SensesBoth_FiltersAThird_AndRescopes()
    {
        var folder = Repository.Scratch("scope");
        using var first = WorkloadProcess.Start("burst", Path.Combine(folder, "first.txt"), Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var second = WorkloadProcess.Start("burst", Path.Combine(folder, "second.txt"), Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var third = WorkloadProcess.Start("burst", Path.Combine(folder, "third.txt"), Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        fibre.Scope([first.Pid, second.Pid]);
        Assert.Equal(new[] { first.Pid, second.Pid }, fibre.ScopeList());
        fibre.SendSamples(true);
        using var links = fibre.Attach();
        var samples = new SamplesByProcess();
        using var ring = fibre.OpenEvents(samples);
        ring.Consume();
        var before = fibre.ReadStats();

        foreach (var child in new[] { first, second, third })
        {
            child.Go();
            Assert.Equal($"done {Pairs}", child.ReadLine());
        }

        ring.Consume();
        var after = fibre.ReadStats();
        Assert.Equal(Pairs, samples.Count(first.Pid));
        Assert.Equal(Pairs, samples.Count(second.Pid));
        Assert.Equal(0, samples.Count(third.Pid));
        Assert.True(after.Filtered - before.Filtered >= 2 * Pairs, $"the third process's {Pairs} opens and closes were not all filtered: {after.Filtered - before.Filtered}");
        Assert.Equal(after.Seen, after.Processed + after.Filtered + after.Dropped);

        // Narrowed to the third: the set is rewritten, the first two are filtered from now on.
        fibre.Scope([third.Pid]);
        Assert.Equal(new[] { third.Pid }, fibre.ScopeList());
        Assert.Empty(fibre.Object.Map(Generated.DwellBpf.ScopeMap).Keys<uint>());
        fibre.Scope([]);
        Assert.Empty(fibre.ScopeList());
        foreach (var child in new[] { first, second, third })
        {
            Assert.Equal(0, child.Finish());
        }
    }

    [KernelFact]
    public void Scope_MoreProcessesThanTheSetHolds_IsRefused_AndZeroIsNoProcess()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        var capacity = fibre.Object.Map(Generated.DwellBpf.ScopeMap).MaxEntries;
        var tooMany = Enumerable.Range(1, capacity + 2).Select(i => (uint)i).ToArray();
        Assert.Contains("scope set holds", Assert.Throws<System.ArgumentException>(() => fibre.Scope(tooMany)).Message);
        Assert.Throws<System.ArgumentException>(() => fibre.Scope([5u, 0u]));
        Assert.Empty(fibre.ScopeList());
    }

    private sealed class SamplesByProcess : IBpfEventHandler<SigilEvent>
    {
        private readonly Dictionary<uint, int> _counts = [];

        public int Count(uint tgid) => _counts.GetValueOrDefault(tgid);

        public void OnEvent(in SigilEvent record)
        {
            if (record.EventKind == SigilEventKind.Sample)
            {
                _counts[record.Tgid] = Count(record.Tgid) + 1;
            }
        }
    }
}
