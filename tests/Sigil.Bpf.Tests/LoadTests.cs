using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Sigil.Bpf.Tests.Fixtures;
using Sigil.Bpf.Tests.Generated;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

[Collection(KernelCollection.Name)]
public sealed class LoadTests
{
    [KernelFact]
    public void DwellObject_LoadsIntoTheKernel_PassesTheVerifier_Attaches()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        Assert.All(fibre.Object.Programs, p => Assert.True(p.Fd >= 0, $"{p.Name} has no fd"));
        using var links = fibre.Attach();
        Assert.Equal(
            new[] { "handle_exit", "handle_hold_close", "handle_hold_open_enter", "handle_hold_open_exit" },
            links.Select(l => l.Program).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(
            new[] { "syscall", "tp/sched/sched_process_exit", "tp/syscalls/sys_enter_close", "tp/syscalls/sys_enter_openat", "tp/syscalls/sys_exit_openat" },
            fibre.Object.Programs.Select(p => p.SectionName).OrderBy(n => n, StringComparer.Ordinal));
        // The syscall program is not attached: Attach ran it once, and it armed the hold timer.
        Assert.Equal(0u, fibre.Object.Program("arm_hold_tick").TestRun(repeat: 0).ReturnValue);
    }

    [KernelFact]
    public void CacheObject_LoadsIntoTheKernel_PassesTheVerifier_AttachesToSchedSwitch()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Cache);
        fibre.Load();
        using var links = fibre.Attach();
        Assert.Equal(new[] { "handle_exit", "handle_oncpu_switch" }, links.Select(l => l.Program).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Contains(fibre.Object.Programs, p => p.SectionName == "tp/sched/sched_switch");
        Assert.Equal(2, fibre.Object.Map(CacheBpf.PriceLlcMap).MaxEntries);
    }

    [KernelFact]
    public void BaselineObject_LoadsWithTheSameProgramsAsDwell()
    {
        using var dwell = BpfObject.Open(BpfObjects.Dwell);
        using var baseline = BpfObject.Open(BpfObjects.DwellBaseline);
        baseline.Load();
        Assert.Equal(dwell.Programs.Select(p => (p.Name, p.SectionName)), baseline.Programs.Select(p => (p.Name, p.SectionName)));
    }

    [KernelFact]
    public void Layouts_CSharpAndBtf_AgreeOnSizeAndEveryOffset()
    {
        var checkedStructs = new List<string>();
        foreach (var (spec, path) in new[] { (ShippedFibres.Dwell, BpfObjects.Dwell), (ShippedFibres.Cache, BpfObjects.Cache) })
        {
            using var obj = BpfObject.Open(path);
            obj.Load();
            var btf = obj.Btf!;
            foreach (var layout in BpfEmitter.Layouts(spec))
            {
                var type = typeof(SigilControl).Assembly.GetType("Sigil.Runtime.Bpf." + layout.CSharpName)
                    ?? typeof(DwellBpf).Assembly.GetType("Sigil.Bpf.Tests.Generated." + layout.CSharpName)
                    ?? throw new InvalidOperationException($"no C# type {layout.CSharpName} for struct {layout.CName}");
                var compare = typeof(BpfBtf).GetMethod(nameof(BpfBtf.CompareLayout))!.MakeGenericMethod(type);
                var problems = (IReadOnlyList<string>)compare.Invoke(btf, new object[] { layout.CName })!;
                Assert.True(problems.Count == 0, $"{spec.Name}: {string.Join("; ", problems)}");

                // The BTF agrees with the layout model too: same size, every field at its offset.
                var btfStruct = btf.FindStruct(layout.CName)!;
                Assert.Equal(layout.Size, btfStruct.Size);
                Assert.Equal(layout.Fields.Select(f => (f.CName, f.Offset)), btfStruct.Members.Select(m => (m.Name, m.Offset)));
                Assert.Equal(layout.Size, (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod("SizeOf")!.MakeGenericMethod(type).Invoke(null, null)!);
                checkedStructs.Add($"{spec.Name}:{layout.CName}");
            }
        }

        Assert.Contains("dwell:dwell_task_state", checkedStructs);
        Assert.Contains("dwell:dwell_hold_key", checkedStructs);
        Assert.Contains("dwell:sigil_event", checkedStructs);
        Assert.Contains("cache:cache_thread_state", checkedStructs);
    }

    [KernelFact]
    public void CompareLayout_WrongStruct_ReportsTheDifference()
    {
        using var obj = BpfObject.Open(BpfObjects.Dwell);
        var problems = obj.Btf!.CompareLayout<DwellHoldSpan>("dwell_task_state");
        Assert.Contains(problems, p => p.Contains("is 40 bytes; DwellHoldSpan is 24", StringComparison.Ordinal));
    }

    [KernelFact]
    public void Tunables_SetBeforeLoad_AreWhatTheKernelSees()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        Assert.Equal(fibre.Descriptor.FixedPoint, fibre.FixedPoint);
        var changed = fibre.FixedPoint with { BudgetFixed = 123456, StepFixed = 7 };
        fibre.Configure(changed);
        fibre.Load();
        Assert.Equal(changed, fibre.FixedPoint);
        Assert.Throws<InvalidOperationException>(() => fibre.Object.SetTunable("fx_step", 1L));
        Assert.Throws<ArgumentException>(() => fibre.Object.GetTunable<int>("fx_step"));
        Assert.Throws<KeyNotFoundException>(() => fibre.Object.GetTunable<long>("no_such_tunable"));
    }

    [KernelFact]
    public void Maps_TypedAccess_ChecksSizesAndRoundTrips()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        var prices = fibre.PriceMap!;
        prices.Update(42u, 7L << 20);
        prices.Update(43u, 9L);
        Assert.True(fibre.TryGetPrice(42, out var price));
        Assert.Equal(7L << 20, price);
        Assert.Equal(new uint[] { 42, 43 }, fibre.Prices().Select(p => p.Key).OrderBy(k => k));
        Assert.Throws<BpfException>(() => prices.Update(42u, 1L, BpfUpdate.NoExist));
        Assert.True(prices.Delete(42u));
        Assert.False(prices.Delete(42u));
        Assert.False(fibre.TryGetPrice(42, out _));
        var error = Assert.Throws<ArgumentException>(() => prices.Update(1UL, 1L));
        Assert.Contains("4-byte keys", error.Message);
        Assert.Throws<InvalidOperationException>(() => fibre.Object.Map(DwellBpf.StatsMap).TryLookup(0u, out SigilStats _));
        Assert.Equal(BpfMap.PossibleCpus, fibre.Object.Map(DwellBpf.StatsMap).LookupPerCpu<uint, SigilStats>(0u).Length);

        fibre.Allow(77);
        fibre.Allow(78);
        Assert.Equal(new uint[] { 77, 78 }, fibre.AllowList().OrderBy(t => t));
        Assert.True(fibre.Disallow(77));
        Assert.Equal(new uint[] { 78 }, fibre.AllowList());
    }

    [KernelFact]
    public void PinnedMap_OpensFromAnotherHandle_AndSeesTheSameEntries()
    {
        var folder = "/sys/fs/bpf/sigil-test-" + Environment.ProcessId;
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        try
        {
            var pins = fibre.PinMaps(folder);
            Assert.Contains(folder + "/price_dwell", pins);
            fibre.PriceMap!.Update(5u, 99L);
            using var pinned = BpfMap.OpenPinned(folder + "/price_dwell");
            Assert.Equal(BpfMapType.Hash, pinned.Type);
            Assert.Equal(99L, pinned.Lookup<uint, long>(5u));
            var missing = Assert.Throws<BpfException>(() => BpfMap.OpenPinned(folder + "/nothing"));
            Assert.Equal("ENOENT", missing.ErrnoName);
        }
        finally
        {
            foreach (var file in System.IO.Directory.GetFiles(folder))
            {
                System.IO.File.Delete(file);
            }

            System.IO.Directory.Delete(folder);
        }
    }

    [Fact]
    public void Open_MissingFile_SaysWhat()
    {
        var error = Assert.Throws<BpfException>(() => BpfObject.Open("/nonexistent/dwell.bpf.o"));
        Assert.StartsWith("opening dwell.bpf.o: No such file or directory (ENOENT)", error.Message);
    }

    [Fact]
    public void Open_NotAnObject_SaysWhat()
    {
        var path = System.IO.Path.Combine(Repository.Scratch("bad"), "junk.bpf.o");
        System.IO.File.WriteAllText(path, "not an ELF file");
        var error = Assert.Throws<BpfException>(() => BpfObject.Open(path));
        Assert.StartsWith("opening junk.bpf.o: ", error.Message);
        Assert.Contains("not a BPF ELF object", error.Message);
    }
}
