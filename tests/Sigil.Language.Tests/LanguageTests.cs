using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Analysis;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;
using static Sigil.Language.Tests.Snippets;

namespace Sigil.Language.Tests;

/// <summary>The meaning of each construct, as docs/language.md states it.</summary>
public sealed class LanguageTests
{
    private static FibreSpec Spec(string text, Dictionary<string, string>? files = null, CompilationOptions? options = null, string[]? warnings = null)
    {
        var result = SigilCompiler.Compile(
            new SourceFile("test.sigil", text),
            path => files is not null && files.TryGetValue(path, out var content) ? content : null,
            options ?? CompilationOptions.Default);
        Assert.True(result.Spec is not null && result.Diagnostics.Select(static d => d.Id).SequenceEqual(warnings ?? []), string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    [Fact]
    public void Index_Range_ListsItsIntegers()
    {
        var spec = Spec(Base("index d in -1 .. 2;"));
        Assert.Equal(new IndexSpec("d", IndexKind.Range, KernelKey.None, 4, null, EquatableArray.Create("-1", "0", "1", "2")), spec.Indices[1]);
    }

    [Theory]
    [InlineData("index task by pid;", KernelKey.Pid, 10240)]
    [InlineData("index task by tid max 64;", KernelKey.Tid, 64)]
    [InlineData("index task by cpu max 1_024;", KernelKey.Cpu, 1024)]
    public void Index_Dynamic_HasItsKeyAndCapacity(string declaration, KernelKey key, int capacity)
    {
        var spec = Spec(Fibre(declaration, X, R, Row, Utility, Solve));
        Assert.Equal((key, capacity), (spec.Indices[0].Key, spec.Indices[0].Capacity));
    }

    [Fact]
    public void Parameters_FoldAndCarryUnits()
    {
        var spec = Spec(Base("param a : seconds = 2;", "param b = a * 3 + 1;", "param c : MiB/s = 10 / 4;", "param d = 2 ** 3;", "param e = 20%;"));
        Assert.Equal(new[] { ("a", "s", 2.0), ("b", "s", 7.0), ("c", "MiB/s", 2.5), ("d", "1", 8.0), ("e", "1", 0.2) }, spec.Parameters.Select(static p => (p.Name, p.Unit.ToString(), p.Value)));
    }

    [Fact]
    public void Units_AreProductsOfPowers_InAnyOrder()
    {
        var spec = Spec(Base("param a : mmol/gDW/h = 1;", "param b : mmol/h/gDW = 1;", "param c : MiB**2/s**-1 = 1;", "param d = a + b;"));
        Assert.Equal(spec.Parameters[0].Unit, spec.Parameters[1].Unit);
        Assert.Equal("MiB**2*s", spec.Parameters[2].Unit.ToString());
    }

    [Fact]
    public void Table_ColumnsReadAtTheVariablesOwnIndex()
    {
        var files = new Dictionary<string, string> { ["jobs.csv"] = "# jobs\njob,lo,hi,w\n\nbuild, 0, 4, 2\ntest,1,2,1\r\n" };
        var spec = Spec(Fibre(
            "table jobs from \"jobs.csv\" { lo : s; hi : s; w; }",
            "index job from jobs;",
            "$x[job] : s in [lo[job], hi[job]];",
            "@r : s = 5;",
            "couple @r >= sum(j in job) $x[j];",
            "utility $x[j] ~ w[j] * log($x[j] + 1);",
            Solve), files);
        Assert.Equal(new[] { "build", "test" }, spec.Tables[0].Keys);
        Assert.Equal(new[] { 0.0, 1.0 }, spec.Tables[0].Columns[0].Values);
        Assert.Equal(ValueSpec.ColumnAt("jobs", "lo", "job"), spec.Variables[0].Lower);
        Assert.Equal(new FeasibilitySpec("r", 1, 5, true), spec.Analysis.Feasibility.Single());
    }

    [Theory]
    [InlineData("couple @r[t] >= $x[t];")]
    [InlineData("couple $x[t] <= @r[t];")]
    [InlineData("couple $x[t] - @r[t] <= 0;")]
    [InlineData("couple 0 >= $x[t] - @r[t];")]
    public void Couple_NormalisesToLessOrEqualBudget(string row)
    {
        var coupling = Spec(Fibre(Task, X, R, row, Utility, Solve)).Couplings.Single();
        Assert.Equal(RowSense.LessOrEqual, coupling.Sense);
        Assert.Equal(ValueSpec.Of(1), coupling.Terms.Single().Coefficient);
        Assert.Equal(ValueSpec.Of(5), coupling.Rhs);
        Assert.Equal("r", coupling.Resource);
    }

    [Fact]
    public void Couple_ConstantsMoveToTheRhs_AndCoefficientsFold()
    {
        var coupling = Spec(Fibre(Task, X, R, "couple @r[t] >= 2 * $x[t] / 4 + 1 - 0.5;", Utility, Solve)).Couplings.Single();
        Assert.Equal(ValueSpec.Of(0.5), coupling.Terms.Single().Coefficient);
        Assert.Equal(ValueSpec.Of(4.5), coupling.Rhs);
    }

    [Fact]
    public void Couple_SumWithoutSet_InfersItFromUse()
    {
        var spec = Spec(Fibre("index d in 0 .. 2;", "$q[d] : 1 in [0, 1];", "@b : 1 = 2;", "couple @b >= sum(i) $q[i];", "utility $q[i] ~ log($q[i] + 1);", Solve));
        Assert.Equal(new[] { new IndexBinding("i", "d") }, spec.Couplings.Single().Terms.Single().Sums);
        Assert.Equal(3.0, spec.Analysis.NormASquared);
    }

    [Theory]
    [InlineData("log(1 + $x[t])", UtilityKind.Log, 1, 1, 0, 0)]
    [InlineData("3 * log($x[t] + 0.5)", UtilityKind.Log, 3, 0.5, 0, 0)]
    [InlineData("log(2 * $x[t] + 1)", UtilityKind.Log, 1, 0.5, 0, 0)]
    [InlineData("fair($x[t] + 1, 1)", UtilityKind.Log, 1, 1, 0, 0)]
    [InlineData("fair($x[t] + 1, 2)", UtilityKind.AlphaFair, 1, 1, 2, 0)]
    [InlineData("2 * fair($x[t] + 0.1, 0.5)", UtilityKind.AlphaFair, 2, 0.1, 0.5, 0)]
    [InlineData("($x[t] + 1) ** 0.5 / 0.5", UtilityKind.AlphaFair, 1, 1, 0.5, 0)]
    [InlineData("-($x[t] + 1) ** -1", UtilityKind.AlphaFair, 1, 1, 2, 0)]
    [InlineData("sqrt($x[t] + 1)", UtilityKind.AlphaFair, 0.5, 1, 0.5, 0)]
    [InlineData("4 * $x[t] - 3 / 2 * $x[t] ** 2", UtilityKind.Quadratic, 4, 0, 0, 3)]
    [InlineData("$x[t] * (4 - $x[t])", UtilityKind.Quadratic, 4, 0, 0, 2)]
    [InlineData("2 * $x[t] + 7", UtilityKind.Linear, 2, 0, 0, 0)]
    public void Utility_RecognisesTheConcaveFamilies(string utility, UtilityKind family, double w, double eps, double alpha, double k)
    {
        var spec = Spec(Fibre(Task, X, R, Row, "utility $x[t] ~ " + utility + ";", "solve admm { rho = 1; }"));
        var u = spec.Utilities.Single();
        Assert.Equal(family, u.Family);
        Assert.Equal(w, u.Weight.Constant, 12);
        Assert.Equal(eps, u.Offset.Constant, 12);
        Assert.Equal(alpha, u.Alpha.Constant, 12);
        Assert.Equal(k, u.Curvature.Constant, 12);
        Assert.Equal("utility $x[t] ~ " + utility + ";", u.Statement);
    }

    [Theory]
    [InlineData("log(1 + $x[t])", 1 / 121.0, 1.0)]
    [InlineData("fair($x[t] + 1, 2)", 2 / 1331.0, 2.0)]
    [InlineData("4 * $x[t] - 3 / 2 * $x[t] ** 2", 3.0, 3.0)]
    [InlineData("2 * $x[t]", 0.0, 0.0)]
    public void Concavity_CurvatureSpansTheBounds(string utility, double min, double max)
    {
        var spec = Spec(Fibre(Task, X, R, Row, "utility $x[t] ~ " + utility + ";", "solve admm { rho = 1; }"));
        var analysis = spec.Analysis.Utilities.Single();
        Assert.True(analysis.IsConcave);
        Assert.Equal(min, analysis.MinCurvature, 12);
        Assert.Equal(max, analysis.MaxCurvature, 12);
        Assert.Equal(min, spec.Analysis.MinCurvature, 12);
    }

    [Theory]
    [InlineData("-log(1 + $x[t])")]
    [InlineData("$x[t] ** 2")]
    [InlineData("fair($x[t] + 1, -1)")]
    [InlineData("($x[t] + 1) ** 3")]
    [InlineData("-fair($x[t] + 1, 2)")]
    public void Concavity_NonConcaveSigns_AreSig2003(string utility) =>
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, "utility $x[t] ~ {|SIG2003:" + utility + "|};", "solve dual { step = 0.01; }"));

    [Theory]
    [InlineData("log(1 + $x[t]) + $x[t]")]
    [InlineData("log($x[t] + 1) * log($x[t] + 1)")]
    [InlineData("1 / ($x[t] + 1)")]
    [InlineData("7")]
    public void Utility_OutsideTheFamilies_IsSig2002(string utility) =>
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, "utility $x[t] ~ {|SIG2002:" + utility + "|};", "solve dual { step = 0.01; }"));

    [Fact]
    public void Solve_Defaults()
    {
        var solver = Spec(Base()).Solver;
        Assert.Equal((SolverMethod.Dual, 1e-6, 1e-4, 10000, false), (solver.Method, solver.AbsoluteTolerance, solver.RelativeTolerance, solver.MaxIterations, solver.Online));
        Assert.Equal(1 / 121.0, solver.Step, 12);
    }

    [Fact]
    public void Solve_AdmmAndPenalty_KeepTheirSettings()
    {
        var admm = Spec(Fibre(Task, X, R, Row, Utility, "solve admm { rho = 2; abs_tolerance = 1e-5; rel_tolerance = 1e-3; iterations = 10; }", "certify admm;")).Solver;
        Assert.Equal((SolverMethod.Admm, 2.0, 1e-5, 1e-3, 10), (admm.Method, admm.Rho, admm.AbsoluteTolerance, admm.RelativeTolerance, admm.MaxIterations));
        var penalty = Spec(Fibre(Task, X, R, Row, Utility, "solve penalty { mu = 50; }")).Solver;
        Assert.Equal((SolverMethod.Penalty, 50.0, 0.0), (penalty.Method, penalty.Mu, penalty.Step));
    }

    [Fact]
    public void Step_AboveTheBound_WarnsWithoutCertify_AndFailsWithIt()
    {
        var warned = DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { {|SIG2008:step = 0.05;|} }"));
        Assert.NotNull(warned.Spec);
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { rule = fixed; step = 0.05; }", "certify {|SIG2009:step|};"));
        Assert.Equal(0.01, Spec(Fibre(Task, X, R, Row, Utility, "solve dual { rule = fixed; step = 0.01; }", "certify step, lyapunov;")).Solver.Step);
    }

    [Fact]
    public void Certify_DoesNotChooseTheRule_TheSolveStatementDoes()
    {
        // The step and drift certificates speak of the fixed update: on the (default) scaled rule they fail
        // instead of silently switching the algorithm.
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { step = 0.01; }", "certify {|SIG2009:step|}, {|SIG2009:lyapunov|};"));
        var scaled = Spec(Fibre(Task, X, R, Row, Utility, "solve dual { step = 0.01; }")).Solver;
        Assert.Equal(SolverRule.Scaled, scaled.Rule);
        var fixedRule = Spec(Fibre(Task, X, R, Row, Utility, "solve dual { rule = fixed; step = 0.01; }", "certify step;")).Solver;
        Assert.Equal(SolverRule.Fixed, fixedRule.Rule);
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { rule = {|SIG1012:newton|}; }"));
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve admm { {|SIG1013:rule|} = fixed; }"));
    }

    [Fact]
    public void SumBody_TermWithoutTheSumIndex_Warns_AndTheParenthesisedSumDoesNot()
    {
        const string Y = "$bonus : s in [0, 10];";
        const string Total = "@all : s = 5;";
        const string UtilityY = "utility $bonus ~ log(1 + $bonus);";
        var warned = DiagnosticAssert.Reports(Fibre(Task, X, Y, R, Total, Row, "couple @all >= sum(u in task) $x[u] + {|SIG2018:$bonus|};", Utility, UtilityY, "solve dual { step = auto; }"));
        Assert.NotNull(warned.Spec);
        DiagnosticAssert.Reports(Fibre(Task, X, Y, R, Total, Row, "couple @all >= (sum(u in task) $x[u]) + $bonus;", Utility, UtilityY, "solve dual { step = auto; }"));
    }

    [Fact]
    public void Tolerances_AreWiredToEveryMethod_FeasibilityDefaultsToTheRelativeOne()
    {
        foreach (var method in new[] { "dual", "admm", "penalty" })
        {
            var given = Spec(Fibre(Task, X, R, Row, Utility, "solve " + method + " { abs_tolerance = 1e-7; rel_tolerance = 1e-5; feasibility_tolerance = 1e-8; }")).Solver;
            Assert.Equal((1e-7, 1e-5, 1e-8), (given.AbsoluteTolerance, given.RelativeTolerance, given.FeasibilityTolerance));
            var defaulted = Spec(Fibre(Task, X, R, Row, Utility, "solve " + method + " { rel_tolerance = 1e-3; }")).Solver;
            Assert.Equal(1e-3, defaulted.FeasibilityTolerance);
        }

        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { feasibility_tolerance = {|SIG1012:2|}; }"));
    }

    [Fact]
    public void Chordal_OnACycleOfFourResources_Fails()
    {
        // a-b-c-d-a: each pair of neighbours shares a variable, the diagonals share none.
        var text = Fibre(
            Task,
            "$ab[task] : s in [0, 1];", "$bc[task] : s in [0, 1];", "$cd[task] : s in [0, 1];", "$da[task] : s in [0, 1];",
            "@a[task] : s = 5;", "@b[task] : s = 5;", "@c[task] : s = 5;", "@e[task] : s = 5;",
            "couple @a[t] >= $ab[t] + $da[t];",
            "couple @b[t] >= $ab[t] + $bc[t];",
            "couple @c[t] >= $bc[t] + $cd[t];",
            "couple @e[t] >= $cd[t] + $da[t];",
            "utility $ab[t] ~ log(1 + $ab[t]);", "utility $bc[t] ~ log(1 + $bc[t]);", "utility $cd[t] ~ log(1 + $cd[t]);", "utility $da[t] ~ log(1 + $da[t]);",
            "solve admm { rho = 1; }",
            "certify {|SIG2009:chordal|};");
        DiagnosticAssert.Reports(text);
        var graph = Spec(text.Replace("certify {|SIG2009:chordal|};", string.Empty)).Analysis.Graph;
        Assert.False(graph.IsChordal);
        Assert.Equal(4, graph.Edges.Count);
        Assert.Empty(graph.PerfectEliminationOrdering);
    }

    [Fact]
    public void Chordal_OnAPath_GivesThePeoAndItsCliques()
    {
        var graph = Spec(Fibre(
            Task,
            "$p[task] : s in [0, 1];", "$q[task] : s in [0, 1];",
            "@a[task] : s = 5;", "@b[task] : s = 5;", "@c[task] : s = 5;",
            "couple @a[t] >= $p[t];", "couple @b[t] >= $p[t] + $q[t];", "couple @c[t] >= $q[t];",
            "utility $p[t] ~ log(1 + $p[t]);", "utility $q[t] ~ log(1 + $q[t]);",
            "solve admm { rho = 1; }", "certify chordal;")).Analysis.Graph;
        Assert.True(graph.IsChordal);
        Assert.Equal(new[] { new GraphEdge("a", "b"), new GraphEdge("b", "c") }, graph.Edges);
        Assert.Equal(new[] { "a|b", "b|c" }, graph.Cliques.Select(static c => string.Join("|", c.Members)));
        Assert.Equal(3, graph.PerfectEliminationOrdering.Count);
    }

    [Fact]
    public void Sensors_CountAndOncpu()
    {
        var spec = Spec(Base("$w[task] : 1 in [0, 1e6];", "sense $w[t] <- count(syscalls:sys_enter_write);", "$c[task] : ms in [0, 1000];", "sense $c <- oncpu(sched:sched_switch) key (pid);"), warnings: ["SIG3016"]);
        Assert.Equal((SensorKind.Count, 0.0, "pid"), (spec.Sensors[0].Kind, spec.Sensors[0].NanosecondsPerUnit, spec.Sensors[0].Keys.Single()));
        Assert.Equal((SensorKind.OnCpu, 1e6), (spec.Sensors[1].Kind, spec.Sensors[1].NanosecondsPerUnit));
    }

    [Fact]
    public void Tracepoints_ComeFromTheCatalogueTheCallerPasses()
    {
        var live = new CompilationOptions { Tracepoints = TracepointCatalog.Parse("syscalls:sys_enter_openat\nsyscalls:sys_enter_close\n", "the test kernel") };
        var text = Base("sense $x[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);");
        // Sensed, but solved by the dual method per period, which the daemon does not run: SIG3016.
        Assert.Single(Spec(text, options: live, warnings: ["SIG3016"]).Sensors);
        var other = Base("sense $x[t] <- count({|SIG3002:syscalls:sys_enter_write|});");
        var result = DiagnosticAssert.Reports(other, options: live);
        Assert.Contains("the test kernel", result.Diagnostics[0].Message, StringComparison.Ordinal);
        Assert.True(TracepointCatalog.Embedded.Count > 1000);
        Assert.True(TracepointCatalog.Embedded.Contains("sched", "sched_switch"));
    }

    [Fact]
    public void Actuators_MetricsAndInstruments()
    {
        var spec = Spec(Base(
            Price,
            "act throttle(cpu = 0.5) when (^r[t] >= 2);",
            "act kill when ^r >= 2;",
            "metric r_budget = sum(@r);",
            "metric r_price = max(^r) target 1;",
            "metric x_agents = count($x) target 10;",
            "instrument entries(\"copy_*\", memcpy) pass (site, fd) respond refuse(errno = 11);",
            "instrument calls(\"re?d\");"));
        Assert.Equal(new[] { (ActuatorKind.Throttle, 2.0), (ActuatorKind.Kill, 2.0) }, spec.Actuators.Select(static a => (a.Kind, a.Threshold)));
        Assert.Equal(
            new[] { ("r_budget", MetricAggregateKind.Sum, MetricSourceKind.Resource, "s"), ("r_price", MetricAggregateKind.Max, MetricSourceKind.Price, "1/s"), ("x_agents", MetricAggregateKind.Count, MetricSourceKind.Variable, "1") },
            spec.Metrics.Select(static m => (m.Name, m.Aggregate, m.SourceRole, m.Unit.ToString())));
        Assert.Equal(new ResponseSpec("refuse", EquatableArray.Create(new ArgumentSpec("errno", 11))), spec.Instruments[0].Response);
        Assert.Null(spec.Instruments[1].Response);
        Assert.Equal(InstrumentKind.Entries, spec.Instruments[0].Kind);
    }

    [Fact]
    public void Feasibility_DynamicSumsCountAtCapacity()
    {
        DiagnosticAssert.Reports(Fibre(
            "index task by pid max 100;",
            "$x[task] : s in [0.1, 10];",
            "@all : s = 5;",
            "{|SIG2006:couple @all >= sum(t in task) $x[t];|}",
            Utility,
            Solve));
    }
}
