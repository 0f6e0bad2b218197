using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Tests;

/// <summary>
/// "Remapping a fibre from one domain to another means editing a .sigil file and nothing else":
/// dwell.sigil, edited into other domains by names, units and numbers only, compiles to a valid
/// spec of the same shape with the new names and numbers.
/// </summary>
public sealed class RemappingTests
{
    [Fact]
    public void Remap_DwellIntoSocketHoldTime_GivesTheSameShapeWithNewNamesAndNumbers()
    {
        var text = Fibres.Text("dwell")
            .Replace("fibre dwell", "fibre sockets")
            .Replace("task", "conn_owner").Replace("max 10240", "max 2048")
            .Replace("$hold", "$open_ms").Replace("mean($hold)", "mean($open_ms)")
            .Replace("@dwell", "@socket_time").Replace("^dwell", "^socket_time")
            .Replace("price_dwell", "price_sock")
            .Replace(": s =", ": ms =").Replace(": s in [0, 3600]", ": ms in [0, 60000]")
            .Replace("budget : ms = 5.0", "budget : ms = 250")
            .Replace("throttle_price = 5", "throttle_price = 3").Replace("kill_price = 15", "kill_price = 12")
            .Replace("step = 2.0", "step = 0.01")
            .Replace("sys_enter_openat", "sys_enter_socket")
            .Replace("dwell_seconds_current", "socket_ms_current").Replace("target 5", "target 250")
            .Replace("calls(write, pwrite)", "calls(send, \"sendto*\")");

        var result = Fibres.CompileText(text, "sockets.sigil");
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var spec = result.Spec!;
        var dwell = Fibres.Spec("dwell");

        Assert.Equal("sockets", spec.Name);
        Assert.Equal(new IndexSpec("conn_owner", IndexKind.Dynamic, KernelKey.Pid, 2048, null, EquatableArray<string>.Empty), spec.Indices.Single());
        Assert.Equal("socket_time", spec.Resources.Single().Name);
        Assert.Equal("ms", spec.Resources.Single().Unit.ToString());
        Assert.Equal(ValueSpec.Of(250), spec.Couplings.Single().Rhs);
        Assert.Equal("open_ms", spec.Couplings.Single().Terms.Single().Variable);
        Assert.Equal(new TracepointSpec("syscalls", "sys_enter_socket"), spec.Sensors.Single().Tracepoints[0]);
        Assert.Equal(1e6, spec.Sensors.Single().NanosecondsPerUnit);
        Assert.Equal(new[] { "send", "sendto*" }, spec.Instruments.Single().Patterns);
        Assert.Equal(new FixedPointSpec("socket_time", 20, 10486, 250L << 20, 60000L << 20, 1_000_000L << 20, 1_000_000), spec.FixedPoint);

        // The same roles in the same places: only names and numbers moved.
        Assert.Equal(dwell.Couplings.Single().Sense, spec.Couplings.Single().Sense);
        Assert.Equal(dwell.Utilities.Single().Family, spec.Utilities.Single().Family);
        Assert.Equal(dwell.Certificates, spec.Certificates);
        Assert.Equal(dwell.Actuators.Select(static a => a.Kind), spec.Actuators.Select(static a => a.Kind));
        Assert.Equal(dwell.Solver.Method, spec.Solver.Method);
        Assert.Equal(dwell.Analysis.NormASquared, spec.Analysis.NormASquared);
    }

    [Fact]
    public void Remap_AtpIntoACpuBudget_ReadsItsOwnTable()
    {
        var text = Fibres.Text("atp")
            .Replace("fibre atp", "fibre cpu_share")
            .Replace("\"atp.edits.csv\"", "\"jobs.csv\"")
            .Replace("mmol/gDW/h", "cpu").Replace("edits", "jobs").Replace("edit", "job")
            .Replace("$flux", "$share").Replace("@atp", "@cores").Replace("^atp", "^cores")
            .Replace("price_atp", "price_cores").Replace("metric atp_price", "metric cores_price")
            .Replace("maintenance : cpu = 8.39", "maintenance : cpu = 16");
        var files = new System.Collections.Generic.Dictionary<string, string>
        {
            ["jobs.csv"] = "job,cost,weight,lo,hi\nbuild,1,2,0,8\ntest,1,1,0.5,4\nlint,0.5,0.5,0,1\n",
        };
        var result = SigilCompiler.Compile(new SourceFile("cpu_share.sigil", text), path => files.TryGetValue(path, out var t) ? t : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        var spec = result.Spec!;
        Assert.Equal(new[] { "build", "test", "lint" }, spec.Indices.Single().Members);
        Assert.Equal(ValueSpec.Of(16), spec.Couplings.Single().Rhs);
        Assert.Equal(1 + 1 + 0.25, spec.Analysis.NormASquared);
        Assert.Equal(new FeasibilitySpec("cores", 0.5, 16, true), spec.Analysis.Feasibility.Single());
    }
}
