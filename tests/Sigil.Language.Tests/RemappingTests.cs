using System;
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
    public void Remap_AtpIntoAWaterNetwork_ReadsItsOwnTables()
    {
        // The metabolic fibre, edited into a water network: junctions balance like metabolites,
        // pipes carry flow like reactions, a fixed leak stands where ATP maintenance stood, and towns
        // take the benefit the edits took. Names, paths, units and numbers only.
        var renames = new (string From, string To)[]
        {
            ("fibre atp", "fibre water"), ("\"ecoli_core/reactions.csv\"", "\"pipes.csv\""),
            ("\"ecoli_core/metabolites.csv\"", "\"junctions.csv\""), ("\"ecoli_core/stoichiometry.csv\"", "\"incidence.csv\""),
            ("\"atp.edits.csv\"", "\"towns.csv\""), ("mmol/gDW/h", "m3/h"), ("maintenance : m3/h = 8.39", "maintenance : m3/h = 2"),
            ("acetate, R_EX_ac_e", "north, to_north"), ("ethanol, R_EX_etoh_e", "south, to_south"), ("lactate, R_EX_lac__D_e", "east, to_east"),
            ("succinate, R_EX_succ_e", "west, to_west"), ("formate, R_EX_for_e", "centre, to_centre"), ("R_ATPM", "leak"),
        };
        var text = renames.Aggregate(Fibres.Text("atp"), static (t, r) => t.Replace(r.From, r.To, StringComparison.Ordinal));
        var files = new System.Collections.Generic.Dictionary<string, string>
        {
            ["pipes.csv"] = "pipe,lower,upper,objective\nsupply,0,10,0\nleak,0,100,0\nto_north,0,100,0\nto_south,0,100,0\nto_east,0,100,0\nto_west,0,100,0\nto_centre,0,100,0\n",
            ["junctions.csv"] = "junction\nhub\n",
            ["incidence.csv"] = "junction,pipe,value\nhub,supply,1\nhub,leak,-1\nhub,to_north,-1\nhub,to_south,-1\nhub,to_east,-1\nhub,to_west,-1\nhub,to_centre,-1\n",
            ["towns.csv"] = "town,weight,curvature\nnorth,1,1\nsouth,1,1\neast,2,1\nwest,0.5,1\ncentre,1,1\n",
        };
        var result = SigilCompiler.Compile(new SourceFile("water.sigil", text), path => files.TryGetValue(path, out var t) ? t : null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        var spec = result.Spec!;
        var sets = spec.Indices.ToDictionary(static i => i.Name);
        Assert.Equal(new[] { "supply", "leak", "to_north", "to_south", "to_east", "to_west", "to_centre" }, sets["rxn"].Members);
        Assert.Equal(new[] { "north", "south", "east", "west", "centre" }, sets["edit"].Members);
        Assert.Equal(7, spec.Tables.Single(static t => t.Name == "S").Matrix!.Values.Count);
        Assert.Equal(ValueSpec.Of(2), spec.Couplings.Single(static c => c.Name == "maintain").Rhs);
        Assert.Equal("m3/h", spec.Variables[0].Unit.ToString());
        Assert.All(spec.Analysis.Feasibility, static f => Assert.True(f.IsFeasible, f.Row));
    }
}
