using System.Linq;
using System;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Tests;

public sealed class ShippedFibreTests
{
    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    [InlineData("power")]
    public void Compile_ShippedFibre_HasNoDiagnostics(string name)
    {
        var result = Fibres.Compile(name);
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.NotNull(result.Spec);
        Assert.Equal(name, result.Spec!.Name);
        Assert.Equal(name + ".sigil", result.Spec.SourceFileName);
    }

    [Theory]
    [InlineData("dwell")]
    [InlineData("atp")]
    [InlineData("cache")]
    [InlineData("power")]
    public void Compile_SameFibreTwice_GivesEqualSpecs(string name) =>
        Assert.Equal(Fibres.Spec(name), Fibres.Spec(name));

    [Fact]
    public void Dwell_Spec_KeepsOnePricePerProcessInTheKernel()
    {
        var spec = Fibres.Spec("dwell");

        var task = Assert.Single(spec.Indices);
        Assert.Equal(new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty), task);

        var resource = Assert.Single(spec.Resources);
        Assert.Equal("dwell", resource.Name);
        Assert.Equal(ValueSpec.Of(5), resource.Budget);
        Assert.Equal("s", resource.Unit.ToString());

        var row = Assert.Single(spec.Couplings);
        Assert.Equal("dwell", row.Resource);
        Assert.Equal(RowSense.LessOrEqual, row.Sense);
        Assert.Equal(new[] { new IndexBinding("t", "task") }, row.Quantifiers);
        var term = Assert.Single(row.Terms);
        Assert.Equal(("hold", ValueSpec.Of(1)), (term.Variable, term.Coefficient));
        Assert.Equal(ValueSpec.Of(5), row.Rhs);
        Assert.Equal("couple @dwell[t] >= $hold[t];", row.Statement);

        var utility = Assert.Single(spec.Utilities);
        Assert.Equal((UtilityKind.Log, ValueSpec.Of(1), ValueSpec.Of(1)), (utility.Family, utility.Weight, utility.Offset));

        Assert.Equal(SolverMethod.Dual, spec.Solver.Method);
        Assert.Equal(2.0, spec.Solver.Step);
        Assert.True(spec.Solver.Online);
        Assert.Equal(new[] { CertificateKind.Lyapunov, CertificateKind.Detection }, spec.Certificates);

        var sensor = Assert.Single(spec.Sensors);
        Assert.Equal(SensorKind.Span, sensor.Kind);
        Assert.Equal(new[] { new TracepointSpec("syscalls", "sys_enter_openat"), new TracepointSpec("syscalls", "sys_enter_close") }, sensor.Tracepoints);
        Assert.Equal(new[] { "pid", "fd" }, sensor.Keys);
        Assert.Equal(1e9, sensor.NanosecondsPerUnit);

        Assert.Equal(
            new[] { (ActuatorKind.Throttle, 5.0), (ActuatorKind.Kill, 15.0) },
            spec.Actuators.Select(static a => (a.Kind, a.Threshold)));
        Assert.Equal(new ArgumentSpec("cpu", 0.2), Assert.Single(spec.Actuators[0].Arguments));
        Assert.Equal(new PriceExportSpec("dwell", "price_dwell"), Assert.Single(spec.PriceExports));

        var metric = Assert.Single(spec.Metrics);
        Assert.Equal(("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, (double?)5), (metric.Name, metric.Aggregate, metric.Source, metric.SourceRole, metric.Target));

        var instrument = Assert.Single(spec.Instruments);
        Assert.Equal(new[] { "write", "pwrite" }, instrument.Patterns);
        Assert.Equal(new[] { HookArgument.Site, HookArgument.Fd }, instrument.Passes);
        Assert.Equal("backoff", instrument.Response!.Kind);

        // The kernel's fixed-point update: step 2.0 scaled by 2^20.
        Assert.Equal(
            new FixedPointSpec("dwell", 20, 2_097_152, 5 * 1_048_576, 3600L * 1_048_576, 1_000_000L * 1_048_576, 1_000_000_000),
            spec.FixedPoint);

        // One identity row over 'task': ||A||^2 = 1; mu = 1/3601^2 at the upper bound; G = 3600 - 5.
        Assert.Equal(1.0, spec.Analysis.NormASquared);
        Assert.Equal(1.0 / (3601.0 * 3601.0), spec.Analysis.MinCurvature, 12);
        Assert.Equal(3595.0, spec.Analysis.LoadErrorBound);
        Assert.Equal(4.0 * 3595 * 3595, spec.Analysis.DriftBound, 6);
        Assert.True(Assert.Single(spec.Analysis.Feasibility).IsFeasible);
    }

    [Fact]
    public void Atp_Spec_IsEcoliCore_MassBalanced_WithMaintenanceFixed_AndRealReactionsAsEdits()
    {
        var spec = Fibres.Spec("atp");

        // The model's reactions and metabolites (fibres/ecoli_core, written by `sigil model export`).
        var sets = spec.Indices.ToDictionary(static i => i.Name);
        Assert.Equal((95, 72, 5, 1), (sets["rxn"].Members.Count, sets["met"].Members.Count, sets["edit"].Members.Count, sets["upkeep"].Members.Count));
        Assert.Contains("R_ATPM", sets["rxn"].Members);
        Assert.Contains("M_atp_c", sets["met"].Members);

        // S keeps its 360 nonzeros; each edit drives one real exchange reaction.
        var tables = spec.Tables.ToDictionary(static t => t.Name);
        Assert.Equal(360, tables["S"].Matrix!.Values.Count);
        Assert.DoesNotContain(0.0, tables["S"].Matrix!.Values);
        var secretes = tables["secretes"].Matrix!;
        Assert.Equal(Enumerable.Repeat(1.0, 5), secretes.Values);
        Assert.Equal(new[] { "R_EX_ac_e", "R_EX_etoh_e", "R_EX_lac__D_e", "R_EX_succ_e", "R_EX_for_e" }, secretes.Columns.Select(c => sets["rxn"].Members[c]));
        var atpm = tables["atpm"].Matrix!;
        Assert.Equal("R_ATPM", sets["rxn"].Members[Assert.Single(atpm.Columns)]);

        // Three families of equality rows: mass balance, maintenance at 8.39, and the edits' links.
        Assert.Equal(new[] { "balance", "maintain", "secrete" }, spec.Couplings.Select(static c => c.Name));
        Assert.All(spec.Couplings, static c => Assert.Equal(RowSense.Equal, c.Sense));
        Assert.Equal(ValueSpec.Of(8.39), spec.Couplings[1].Rhs);
        Assert.Empty(spec.Resources);

        // Growth is linear (the model's objective column); the edits' benefits are quadratic.
        Assert.Equal(new[] { UtilityKind.Linear, UtilityKind.Quadratic }, spec.Utilities.Select(static u => u.Family));
        Assert.Equal(ValueSpec.ColumnAt("reactions", "objective", "r"), spec.Utilities[0].Weight);

        // A linear and quadratic programme: ADMM in OSQP's form.
        Assert.Equal(SolverMethod.Admm, spec.Solver.Method);
        Assert.Equal(1e-9, spec.Solver.AbsoluteTolerance);
        Assert.All(spec.Analysis.Feasibility, static f => Assert.True(f.IsFeasible, f.Row));
        Assert.Empty(spec.Certificates);
    }

    [Fact]
    public void Cache_Spec_CouplesResourcesThroughOnePlacement()
    {
        var spec = Fibres.Spec("cache");

        Assert.Equal(new[] { "thread", "domain" }, spec.Indices.Select(static i => i.Name));
        Assert.Equal(4096, spec.Indices[0].Capacity);
        Assert.Equal(new[] { "node0", "node1" }, spec.Indices[1].Members);

        Assert.Equal(new[] { "llc", "cpu", "placed" }, spec.Couplings.Select(static c => c.Name));
        var llc = spec.Couplings[0];
        Assert.Equal(new[] { new IndexBinding("d", "domain") }, llc.Quantifiers);
        Assert.Equal(ValueSpec.ColumnAt("domains", "llc", "d"), llc.Rhs);
        Assert.Equal(ValueSpec.Of(8), llc.Terms[0].Coefficient);
        Assert.Equal(new[] { "t", "d" }, llc.Terms[0].Subscript);

        var placed = spec.Couplings[2];
        Assert.Null(placed.Resource);
        Assert.Equal(RowSense.Equal, placed.Sense);
        Assert.Equal(new[] { new IndexBinding("t", "thread") }, placed.Quantifiers);
        Assert.Equal(ValueSpec.Of(1), placed.Rhs);

        // $oncpu is observed: sensed, no utility, in no row.
        Assert.Equal(new[] { "x" }, spec.Utilities.Select(static u => u.Variable));
        var sensor = Assert.Single(spec.Sensors);
        Assert.Equal(("oncpu", SensorKind.OnCpu), (sensor.Variable, sensor.Kind));
        Assert.Equal(new[] { "tid" }, sensor.Keys);

        Assert.Equal(ActuatorKind.Affinity, Assert.Single(spec.Actuators).Kind);
        Assert.Equal(SolverMethod.Admm, spec.Solver.Method);
        Assert.Equal(1.0, spec.Solver.Rho);
        Assert.Null(spec.FixedPoint);

        // Every row is loaded by $x: a triangle, chordal, one clique; the PEO is a witness.
        var graph = spec.Analysis.Graph;
        Assert.Equal(new[] { "cpu", "llc", "placed" }, graph.Nodes);
        Assert.Equal(new[] { new GraphEdge("cpu", "llc"), new GraphEdge("cpu", "placed"), new GraphEdge("llc", "placed") }, graph.Edges);
        Assert.True(graph.IsChordal);
        Assert.Equal(3, graph.PerfectEliminationOrdering.Count);
        Assert.Equal(new[] { "cpu", "llc", "placed" }, graph.PerfectEliminationOrdering.OrderBy(static n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "cpu", "llc", "placed" }, Assert.Single(graph.Cliques).Members);

        // ||A||_1 = 8 + 0.5 + 1 (one column of x), ||A||_inf = 8 * 4096 (an llc row).
        Assert.Equal(9.5 * 8 * 4096, spec.Analysis.NormASquared);
        Assert.Equal(1 / (1.01 * 1.01), spec.Analysis.MinCurvature, 12);
        Assert.All(spec.Analysis.Feasibility, static f => Assert.True(f.IsFeasible));
    }
}
