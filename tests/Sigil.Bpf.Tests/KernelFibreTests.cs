using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;

namespace Sigil.Bpf.Tests;

/// <summary>The daemon's seam (IKernelFibre) over the dwell object in the running kernel.</summary>
[Collection(KernelCollection.Name)]
public sealed class KernelFibreTests
{
    // What the CLI maps fibres/dwell.sigil to (DaemonFibreMapper).
    private static readonly DaemonFibre s_dwell = new(
        "dwell",
        "task",
        AgentKeyKind.Pid,
        10240,
        new[] { new AgentRow("dwell", 5.0, "hold", 1, "couple @dwell[t] >= $hold[t];") },
        new[]
        {
            new ActuatorRule(ActionKind.Throttle, "dwell", 5, 0.2, "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
            new ActuatorRule(ActionKind.Kill, "dwell", 15, 0, "act kill when ^dwell[t] >= kill_price;"),
        },
        new SensorDescription("hold", "span", new[] { "syscalls:sys_enter_openat", "syscalls:sys_enter_close" }, new[] { "pid", "fd" }, 1e9, "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);"),
        2.0,
        3600,
        1e6,
        Array.Empty<FibreMetric>(),
        new Dictionary<string, string> { ["dwell"] = "price_dwell" });

    [KernelFact]
    public void Factory_OpensAttachesAndSensesTheDwellObject()
    {
        _ = BpfObjects.Dwell;
        var factory = new BpfKernelFibreFactory(Path.Combine(Repository.Scratch("obj"), "sigil"));
        using var child = WorkloadProcess.Start("hold", Path.Combine(Repository.Scratch("files"), "adapter.txt"), "300");
        var self = Environment.ProcessId;
        using (var kernel = factory.Open(s_dwell, "/sys/fs/bpf", "/sys/kernel/tracing"))
        {
            Assert.True(kernel.KeepsPrices);
            Assert.True(kernel.KillsInKernel);
            kernel.SetArmed(false, self);
            kernel.Attach();
            kernel.Allow(4242);
            var bpf = ((BpfKernelFibre)kernel).Object;
            Assert.Equal((uint)self, bpf.ReadControl().DaemonTgid);
            Assert.Equal(0u, bpf.ReadControl().Armed);
            Assert.Contains(4242u, bpf.AllowList());
            Assert.True(File.Exists("/sys/fs/bpf/sigil/dwell/price_dwell"));

            kernel.Sense();
            child.Go();
            Assert.StartsWith("held ", child.ReadLine());
            var frame = kernel.Sense();
            var agent = frame.Agents.Single(a => a.Agent == (int)child.Pid);
            Assert.Equal("workload", agent.Name);
            Assert.True(agent.StartTime > 0);
            Assert.InRange(agent.Completed[^1], 0.3, 0.6);
            Assert.Equal(0.0, agent.KernelPrice);
            Assert.True(frame.Counters.Processed > 0 && frame.Counters.Seen >= frame.Counters.Processed);

            // Nothing new for the child next tick; a price written for restore is what the kernel holds.
            Assert.Empty(kernel.Sense().Agents.Single(a => a.Agent == (int)child.Pid).Completed);
            kernel.WritePrice((int)child.Pid, 2.5);
            Assert.Equal(2.5, kernel.Sense().Agents.Single(a => a.Agent == (int)child.Pid).KernelPrice);

            // A price restored before the process's first sensed open survives its first span.
            var restored = uint.MaxValue - 7;
            kernel.WritePrice((int)restored, 1.5);
            Assert.True(bpf.TryGetPrice(restored, out var kept));
            Assert.Equal(1.5, bpf.FixedPoint.ToDouble(kept));

            kernel.SetArmed(true, self);
            Assert.Equal(1u, bpf.ReadControl().Armed);
        }

        Assert.False(File.Exists("/sys/fs/bpf/sigil/dwell/price_dwell"));
        Assert.Equal(0, child.Finish());
    }

    [Fact]
    public void Factory_MissingObject_SaysWhereItLookedAndWhatBuildsIt()
    {
        var factory = new BpfKernelFibreFactory("/nonexistent/sigil");
        var error = Assert.Throws<FileNotFoundException>(() => factory.Open(s_dwell, "/sys/fs/bpf", "/sys/kernel/tracing"));
        Assert.Contains("/nonexistent/sigil/dwell/bpf/dwell.bpf.o", error.Message);
        Assert.Contains("clang-14", error.Message);
    }
}
