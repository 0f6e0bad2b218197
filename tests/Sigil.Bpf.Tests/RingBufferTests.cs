using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

[Collection(KernelCollection.Name)]
public sealed class RingBufferTests
{
    private static readonly string s_file = Path.Combine(Repository.Scratch("files"), "ring.txt");

    [KernelFact]
    public void Poll_ThousandsOfEvents_AllocatesNothingPerEvent()
    {
        const int pairs = 5000;
        using var child = WorkloadProcess.Start("burst", s_file, pairs.ToString(CultureInfo.InvariantCulture));
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        fibre.Scope(child.Pid);
        fibre.SendSamples(true);
        using var links = fibre.Attach();
        var counter = new Counter();
        using var ring = fibre.OpenEvents(counter);
        ring.Consume();

        child.Go();
        Assert.Equal($"done {pairs}", child.ReadLine());

        // All records are in the ring now; consuming them must not allocate per record.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var handled = 0;
        while (handled < pairs)
        {
            var n = ring.Poll(1000);
            Assert.True(n > 0, $"only {handled} of {pairs} records arrived");
            handled += n;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(pairs, counter.Samples);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated while handling {handled} records");
        Assert.Equal(0, ring.Malformed);
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void Poll_HandlerThrows_TheExceptionReachesThePoller()
    {
        using var child = WorkloadProcess.Start("burst", s_file, "10");
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        fibre.Scope(child.Pid);
        fibre.SendSamples(true);
        using var links = fibre.Attach();
        using var ring = fibre.OpenEvents(new Thrower());
        child.Go();
        Assert.Equal("done 10", child.ReadLine());
        var error = Assert.Throws<InvalidOperationException>(() => ring.Poll(1000));
        Assert.Equal("handler failed on purpose", error.InnerException!.Message);
        Assert.Equal(0, child.Finish());
    }

    [KernelFact]
    public void Create_OnAMapThatIsNoRingBuffer_SaysSo()
    {
        using var fibre = BpfFibre.Open(BpfObjects.Dwell);
        fibre.Load();
        var error = Assert.Throws<ArgumentException>(() => BpfRingBuffer.Create<SigilEvent, Counter>(fibre.PriceMap!, new Counter()));
        Assert.Contains("not a ring buffer", error.Message);
    }

    private sealed class Counter : IBpfEventHandler<SigilEvent>
    {
        public int Samples { get; private set; }

        public void OnEvent(in SigilEvent record)
        {
            if (record.EventKind == SigilEventKind.Sample)
            {
                Samples++;
            }
        }
    }

    private sealed class Thrower : IBpfEventHandler<SigilEvent>
    {
        public void OnEvent(in SigilEvent record) => throw new InvalidDataException("handler failed on purpose");
    }
}
