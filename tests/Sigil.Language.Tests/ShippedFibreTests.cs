using System;
using System.Linq;
using Sigil.Language.Model;

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
        Assert.Equal((UtilityFamily.Log, ValueSpec.Of(1), ValueSpec.Of(1)), (utility.Family, utility.Weight, utility.Offset));

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
        Assert.Equal(("dwell_seconds_current", MetricAggregate.Mean, "hold", SigilRole.Variable, (double?)5), (metric.Name, metric.Aggregate, metric.Source, metric.SourceRole, metric.Target));

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
    public void Atp_Spec_SharesOneBudgetAmongEightEdits()
    {
        var spec = Fibres.Spec("atp");

        var edit = Assert.Single(spec.Indices);
        Assert.Equal((IndexKind.Table, "edits", 8), (edit.Kind, edit.Table, edit.Members.Count));
        Assert.Equal("pfkA_overexpression", edit.Members[0]);

        var table = Assert.Single(spec.Tables);
        Assert.Equal(new[] { "cost", "weight", "lo", "hi" }, table.Columns.Select(static c => c.Name));
        Assert.Equal("mmol/gDW/h", table.Columns[2].Unit.ToString());
        Assert.Equal(14.5, table.Columns[0].Values.Sum(static c => c * c));

        var flux = Assert.Single(spec.Variables);
        Assert.Equal(ValueSpec.ColumnAt("edits", "lo", "edit"), flux.Lower);
        Assert.Equal(ValueSpec.ColumnAt("edits", "hi", "edit"), flux.Upper);

        var atp = Assert.Single(spec.Resources);
        Assert.Equal(ValueSpec.Of(8.39), atp.Budget);
        Assert.Empty(atp.IndexSets);

        var row = Assert.Single(spec.Couplings);
        Assert.Empty(row.Quantifiers);
        var term = Assert.Single(row.Terms);
        Assert.Equal(ValueSpec.ColumnAt("edits", "cost", "j"), term.Coefficient);
        Assert.Equal(new[] { new IndexBinding("j", "edit") }, term.Sums);
        Assert.Equal(ValueSpec.Of(8.39), row.Rhs);

        var utility = Assert.Single(spec.Utilities);
        Assert.Equal(UtilityFamily.Log, utility.Family);
        Assert.Equal(ValueSpec.ColumnAt("edits", "weight", "j"), utility.Weight);
        Assert.Equal(ValueSpec.Of(0.001), utility.Offset);

        // A single row: ||a||^2 = sum of squared costs exactly; mu is the least w/(hi + eps)^2.
        var mu = new[] { 2.0 / 36.012001, 1.5 / 25.010001, 1.2 / 16.008001, 0.8 / 9.006001, 1.0 / 6.255001, 0.6 / 4.004001, 0.9 / 9.006001, 0.7 / 4.004001 }.Min();
        Assert.Equal(14.5, spec.Analysis.NormASquared, 12);
        Assert.Equal(mu, spec.Analysis.MinCurvature, 9);
        Assert.Equal(14.5 / mu, spec.Analysis.Lipschitz, 6);
        Assert.Equal(2 * mu / 14.5, spec.Analysis.MaxStableStep, 12);

        // step = auto is 1/L, half the stable bound.
        Assert.Equal(mu / 14.5, spec.Solver.Step, 12);
        Assert.Equal(1e-9, spec.Solver.AbsoluteTolerance);
        Assert.Equal(200000, spec.Solver.MaxIterations);
        Assert.False(spec.Solver.Online);
        Assert.Null(spec.FixedPoint);

        var feasibility = Assert.Single(spec.Analysis.Feasibility);
        Assert.Equal(new FeasibilitySpec("atp", 0, 8.39, true), feasibility);
        Assert.Equal(new[] { CertificateKind.Lyapunov, CertificateKind.StepBound }, spec.Certificates);
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
