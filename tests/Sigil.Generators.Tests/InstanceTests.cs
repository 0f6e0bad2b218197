using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Sigil.Fibres;
using Sigil.Runtime.Solvers;

namespace Sigil.Generators.Tests;

/// <summary>
/// The generated <c>Instance</c>: budgets, budget params, weights and bounds change at run time,
/// checked, and a re-solve starts warm from the last prices.
/// </summary>
public sealed class InstanceTests
{
    private const int Links = 8;
    private const int Flows = 24;

    // A route matrix over 8 links and 24 flows (each flow crosses one to three links).
    private static string Fibre(double capacity) => """
        fibre links {
            index link in 0 .. 7;
            index flow in 0 .. 23;
            table R[link, flow] from "routes.csv";
            param capacity : Mbit/s = 
        """ + capacity.ToString("R", CultureInfo.InvariantCulture) + """
        ;
            $rate[flow] : Mbit/s in [0, 100];
            @cap[link] : Mbit/s = capacity;
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { tolerance = 1e-9; iterations = 100000; }
        }
        """;

    private static string Routes()
    {
        var csv = new StringBuilder("link,flow,value\n");
        var random = new Random(17);
        for (var f = 0; f < Flows; f++)
        {
            foreach (var l in Enumerable.Range(0, Links).OrderBy(_ => random.Next()).Take(1 + (f % 3)))
            {
                csv.Append(l).Append(',').Append(f).Append(",1\n");
            }
        }

        return csv.ToString();
    }

    private static Type Compile(double capacity)
    {
        var files = ImmutableArray.Create<AdditionalText>(
            new GeneratorHost.InMemoryText("/src/links.sigil", Fibre(capacity)),
            new GeneratorHost.InMemoryText("/src/routes.csv", Routes()));
        return GeneratorTests.CompileToAssembly(files).GetType("Consumer.Fibres.LinksFibre+Instance")!;
    }

    private static SolverResult Call(object instance, string method) =>
        (SolverResult)instance.GetType().GetMethod(method, Type.EmptyTypes)!.Invoke(instance, null)!;

    [Fact]
    public void Instance_BudgetParamUpOnePercent_WarmTakesFewerIterationsAndReachesTheRecompiledOptimum()
    {
        var type = Compile(10);
        var instance = Activator.CreateInstance(type)!;
        Assert.Equal(SolveStatus.Solved, Call(instance, "Solve").Status);

        // capacity 10 -> 10.1 at run time: every @cap row moves, nothing is rebuilt.
        var problem = type.GetProperty("Problem")!.GetValue(instance)!;
        var coupling = problem.GetType().GetProperty("Coupling")!.GetValue(problem);
        type.GetProperty("Capacity")!.SetValue(instance, 10.1);
        Assert.Same(coupling, problem.GetType().GetProperty("Coupling")!.GetValue(problem));
        Assert.Equal(10.1, (double)type.GetMethod("GetCapBudget")!.Invoke(instance, new object[] { 3 })!);

        var warm = Call(instance, "Solve");
        var cold = Call(instance, "SolveCold");

        // The same fibre compiled with capacity 10.1, solved cold.
        var recompiled = Activator.CreateInstance(Compile(10.1))!;
        var fresh = Call(recompiled, "Solve");

        Assert.Equal(SolveStatus.Solved, warm.Status);
        Assert.Equal(SolveStatus.Solved, fresh.Status);
        Assert.Equal(fresh.Iterations, cold.Iterations);
        Assert.True(warm.Iterations < fresh.Iterations, $"warm {warm.Iterations} iterations, cold {fresh.Iterations}");
        Assert.Equal(fresh.PrimalObjective, warm.PrimalObjective, 1e-7);
        for (var f = 0; f < Flows; f++)
        {
            Assert.True(Math.Abs(fresh.X[f] - warm.X[f]) <= 1e-5 * Math.Max(1, fresh.X[f]), $"flow {f}: warm {warm.X[f]}, recompiled {fresh.X[f]}");
        }
    }

    [Fact]
    public void Instance_BadValues_AreRefusedByName_AndChangeNothing()
    {
        var type = Compile(10);
        var instance = Activator.CreateInstance(type)!;
        static string Refused(Action set) => Assert.ThrowsAny<ArgumentException>(set).Message;

        void Invoke(string method, params object[] args)
        {
            try
            {
                type.GetMethod(method)!.Invoke(instance, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }

        Assert.Contains("@cap must be finite, got NaN", Refused(() => Invoke("SetCapBudget", 2, double.NaN)), StringComparison.Ordinal);
        Assert.Equal(10.0, (double)type.GetMethod("GetCapBudget")!.Invoke(instance, new object[] { 2 })!);
        Assert.Contains("$rate[5]: weight -1 is not > 0; a log utility needs a positive weight", Refused(() => Invoke("SetRateWeight", 5, -1.0)), StringComparison.Ordinal);
        Assert.Contains("$rate[5]: bounds [3, 2]: the lower bound is above the upper bound", Refused(() => Invoke("SetRateBounds", 5, 3.0, 2.0)), StringComparison.Ordinal);
        Assert.Contains("a log utility needs finite bounds", Refused(() => Invoke("SetRateBounds", 5, double.NegativeInfinity, 2.0)), StringComparison.Ordinal);
        Assert.Contains("Index flow has members 0 .. 23", Refused(() => Invoke("SetRateWeight", 24, 1.0)), StringComparison.Ordinal);
        Assert.Equal(1.0, (double)type.GetMethod("GetRateWeight")!.Invoke(instance, new object[] { 5 })!);
        Assert.Equal((0.0, 100.0), ((double, double))type.GetMethod("GetRateBounds")!.Invoke(instance, new object[] { 5 })!);
    }

    // Links with capacities from a table and a route matrix over flows, both read from files.
    private const string Network = """
        fibre net {
            table links from "links.csv" { capacity : Mbit/s; }
            index link from links;
            index flow in 0 .. 3;
            table R[link, flow] from "routes.csv";
            $rate[flow] : Mbit/s in [0, 100];
            @cap[link] : Mbit/s = capacity[link];
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { tolerance = 1e-10; iterations = 100000; }
        }
        """;

    private static Type CompileNetwork(string links, string routes) =>
        GeneratorTests.CompileToAssembly(ImmutableArray.Create<AdditionalText>(
            new GeneratorHost.InMemoryText("/src/net.sigil", Network),
            new GeneratorHost.InMemoryText("/src/links.csv", links),
            new GeneratorHost.InMemoryText("/src/routes.csv", routes))).GetType("Consumer.Fibres.NetFibre+Instance")!;

    [Fact]
    public void Instance_TableValuesAndMatrixEntriesAtRunTime_ReachTheOptimumOfTheFibreCompiledWithThem()
    {
        const string Links = "link,capacity\nl1,10\nl2,5\nl3,8\n";
        const string Routes = "link,flow,value\nl1,0,1\nl1,1,1\nl2,1,1\nl2,2,1\nl3,3,1\nl3,0,2\n";
        dynamic instance = Activator.CreateInstance(CompileNetwork(Links, Routes))!;
        SolverResult first = instance.Solve();
        Assert.Equal(SolveStatus.Solved, first.Status);
        Assert.Equal(6, instance.Problem.Coupling.NonZeroCount);

        // New table data at run time: a capacity, an entry changed, one added (flow 3 now also
        // crosses l2) and one removed (flow 0 leaves l3): the problem is rebuilt from the tables.
        instance.SetLinksCapacity("l1", 12.0);
        instance.UpdateTables(new Action<FibreTables>(t =>
        {
            t.SetEntry("R", "l1", "1", 0.5);
            t.SetEntry("R", "l2", "3", 1.0);
            t.SetEntry("R", "l3", "0", 0.0);
        }));
        Assert.Equal(0.5, (double)instance.GetR("l1", "1"));
        Assert.Equal(0.0, (double)instance.GetR("l3", "0"));
        Assert.Equal(12.0, (double)instance.GetCapBudget("l1"));
        SolverResult changed = instance.Solve();

        // The same fibre compiled with those tables.
        const string NewLinks = "link,capacity\nl1,12\nl2,5\nl3,8\n";
        const string NewRoutes = "link,flow,value\nl1,0,1\nl1,1,0.5\nl2,1,1\nl2,2,1\nl2,3,1\nl3,3,1\n";
        dynamic recompiled = Activator.CreateInstance(CompileNetwork(NewLinks, NewRoutes))!;
        SolverResult fresh = recompiled.Solve();
        Assert.Equal(SolveStatus.Solved, changed.Status);
        Assert.Equal(SolveStatus.Solved, fresh.Status);
        Assert.Equal((int)recompiled.Problem.Coupling.NonZeroCount, (int)instance.Problem.Coupling.NonZeroCount);
        Assert.Equal((double[])recompiled.Problem.Capacity, (double[])instance.Problem.Capacity);
        Assert.Equal(fresh.PrimalObjective, changed.PrimalObjective, 1e-8);
        for (var f = 0; f < 4; f++)
        {
            Assert.Equal(fresh.X[f], changed.X[f], 1e-5);
        }

        // Refused changes name what was refused and leave the tables and the problem as they were.
        object problem = instance.Problem;
        Assert.Contains("'l9' is not a member", Assert.Throws<ArgumentException>(() => { instance.SetLinksCapacity("l9", 1.0); }).Message, StringComparison.Ordinal);
        Assert.Contains("must be finite", Assert.Throws<ArgumentException>(() => { instance.SetR("l1", "2", double.NaN); }).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() =>
        {
            instance.UpdateTables(new Action<FibreTables>(t =>
            {
                t.Set("links", "capacity", "l2", 99.0);
                t.SetEntry("R", "l9", "0", 1.0);
            }));
        });
        Assert.Equal(5.0, (double)instance.GetLinksCapacity("l2"));
        Assert.Same(problem, instance.Problem);
    }

    [Fact]
    public void ShippedFibres_Instance_BuildsTheLayoutOfCreateProblem()
    {
        // The constructor throws when its row layout disagrees with CreateProblem's.
        var fibres = typeof(DwellFibre).Assembly.GetTypes().Where(static t => t.Name.EndsWith("Fibre", StringComparison.Ordinal) && t.GetNestedType("Instance") is not null).ToList();
        Assert.True(fibres.Count >= 5, string.Join(", ", fibres.Select(static t => t.Name)));
        foreach (var fibre in fibres)
        {
            var ctor = fibre.GetNestedType("Instance")!.GetConstructors().Single();
            var counts = ctor.GetParameters().Select(static _ => (object)3).ToArray();
            var instance = ctor.Invoke(counts);
            var problem = instance.GetType().GetProperty("Problem")!.GetValue(instance)!;
            var created = fibre.GetMethod("CreateProblem", counts.Select(static _ => typeof(int)).ToArray())!.Invoke(null, counts)!;
            Assert.Equal(
                (double[])created.GetType().GetProperty("Capacity")!.GetValue(created)!,
                (double[])problem.GetType().GetProperty("Capacity")!.GetValue(problem)!);
        }
    }

    [Fact]
    public void DwellInstance_BudgetParamAndOneBudget_SetEachProcessHold()
    {
        var instance = new DwellFibre.Instance(taskCount: 3);
        Assert.Equal(DwellFibre.Parameters.Budget, instance.Budget);
        instance.Budget = 6;
        instance.SetDwellBudget(1, 4);
        var result = instance.Solve();

        Assert.Equal(SolveStatus.Solved, result.Status);
        Assert.Equal(new[] { 6.0, 4.0, 6.0 }, instance.Problem.Capacity);
        Assert.Equal(6, result.X[0], 1e-6);
        Assert.Equal(4, result.X[1], 1e-6);
        Assert.Same(result, instance.LastResult);
        Assert.Throws<ArgumentOutOfRangeException>(() => instance.SetDwellBudget(3, 1));
    }

    [Fact]
    public void Instance_TableMembersByName_SetWeightsAndBounds()
    {
        const string Share = """
            fibre share {
                table jobs from "jobs.csv" { weight; cost; }
                index job from jobs;
                param budget : s = 10;
                $x[job] : s in [0, 100];
                @cpu : s = budget;
                couple @cpu >= sum(j in job) cost[j] * $x[j];
                utility $x[j] ~ weight[j] * log($x[j] + 0.001);
                solve dual { tolerance = 1e-9; iterations = 100000; }
            }
            """;
        var files = ImmutableArray.Create<AdditionalText>(
            new GeneratorHost.InMemoryText("/src/share.sigil", Share),
            new GeneratorHost.InMemoryText("/src/jobs.csv", "job,weight,cost\nweb,1,1\nbatch,2,1\nbackup,1,2\n"));
        var type = GeneratorTests.CompileToAssembly(files).GetType("Consumer.Fibres.ShareFibre+Instance")!;
        dynamic instance = Activator.CreateInstance(type)!;

        SolverResult before = instance.Solve();
        Assert.Equal(2.0, (double)instance.GetXWeight("batch"));
        instance.SetXWeight("web", 4.0);
        SolverResult heavier = instance.Solve();
        Assert.Equal(SolveStatus.Solved, heavier.Status);
        Assert.True(heavier.X[0] > before.X[0], $"web {before.X[0]} -> {heavier.X[0]}");

        // Closed form of the one shared row: x_j = w_j / (a_j pi) - eps with sum_j a_j x_j = 10.
        instance.SetXBounds("web", 0.0, 1.0);
        SolverResult capped = instance.Solve();
        Assert.Equal(SolveStatus.Solved, capped.Status);
        Assert.Equal(1.0, capped.X[0], 1e-6);
        Assert.Equal(10.0, capped.X[1] + (2 * capped.X[2]) + capped.X[0], 1e-6);

        instance.Budget = 20.0;
        Assert.Equal(20.0, (double)instance.GetCpuBudget());
        SolverResult wider = instance.Solve();
        Assert.Equal(20.0, wider.X[1] + (2 * wider.X[2]) + wider.X[0], 1e-6);

        var error = Assert.Throws<ArgumentException>(() => { instance.SetXWeight("no_such_job", 1.0); });
        Assert.Contains("'no_such_job' is not a member of index job", error.Message, StringComparison.Ordinal);
    }
}
