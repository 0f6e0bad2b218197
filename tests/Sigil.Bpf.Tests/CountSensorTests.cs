using System;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Fixtures;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;

namespace Sigil.Bpf.Tests;

[Collection(KernelCollection.Name)]
public sealed class CountSensorTests
{
    [KernelFact]
    public void CountSensor_CompilesLoadsAndCountsTheChildsWrites()
    {
        // dwell plus "sense $writes[t] <- count(syscalls:sys_enter_write) key (pid);"
        var fixture = FibreFixtures.Dwell;
        var spec = fixture with
        {
            Name = "counted",
            SourceFileName = "counted.sigil",
            Variables = EquatableArray.Create(fixture.Variables.Append(new VariableSpec(
                "writes", EquatableArray.Create("task"), UnitSpec.Dimensionless,
                ValueSpec.Of(0), ValueSpec.Of(1e9), EquatableArray.Create("t"))).ToArray()),
            Sensors = EquatableArray.Create(fixture.Sensors.Append(new SensorSpec(
                "writes", SensorKind.Count,
                EquatableArray.Create(new TracepointSpec("syscalls", "sys_enter_write")),
                EquatableArray.Create("pid"), 0, "sense $writes[t] <- count(syscalls:sys_enter_write) key (pid);")).ToArray()),
        };
        Assert.Empty(BpfEmitter.Check(spec));
        var source = BpfObjects.Write(BpfObjects.ArtefactFolder("counted"), BpfEmitter.Emit(spec)).Single();
        BpfObjects.Compile(new[] { source });
        var state = BpfEmitter.Layouts(spec).Single(l => l.CName == "counted_task_state");
        var samples = state.Fields.Single(f => f.CName == "writes_samples");

        using var child = WorkloadProcess.Start("burst", Path.Combine(Repository.Scratch("files"), "counted.txt"), "3");
        using var obj = BpfObject.Open(Path.ChangeExtension(source, ".o"));
        obj.Load();
        var control = obj.Map("counted_control");
        control.Update(0u, new SigilControl { TargetTgid = child.Pid });
        using var links = obj.AttachAll();
        Assert.Contains(links, l => l.Program == "handle_writes_count");
        child.Go();
        Assert.Equal("done 3", child.ReadLine());

        var value = new byte[state.Size];
        Assert.True(obj.Map("counted_task").TryLookup(BitConverter.GetBytes(child.Pid), value));
        Assert.Equal(1ul, BitConverter.ToUInt64(value, samples.Offset));
        Assert.Equal(0, child.Finish());
    }
}
