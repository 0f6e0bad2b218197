using Microsoft.Extensions.Logging.Abstractions;
using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Metrics;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Placement;

/// <summary>
/// One placement solve on a synthetic set of threads: every row holds, the result is the offline
/// solve of the same instance (<c>sigil solve</c>'s OfflineInstance), closed forms where they exist;
/// the rounding respects the capacities; the step acts only after the hold.
/// </summary>
public sealed class PlacementSolverTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-3;

    [Fact]
    public void FourThreads_Llc16PerDomain_SplitTwoAndTwo_RowsHold_AndMatchTheOfflineSolve()
    {
        var spec = PlacementFibres.CompileCache("domain,llc,cpus\nnode0,16,2\nnode1,16,2\n");
        var problem = new PlacementProblem(PlacementFibres.Map(spec).Placement!);
        var solution = problem.Solve(4);
        Assert.True(solution.Result!.Converged);
        Assert.Equal(1, solution.Scale);
        AssertRowsHold(problem.Placement, solution);
        AssertMatchesOffline(spec, solution);

        // No domain holds more than two whole threads (8 MiB each in 16 MiB): the rounding splits them.
        var targets = problem.Round(solution, [-1, -1, -1, -1]);
        Assert.Equal([2, 2], Enumerable.Range(0, 2).Select(d => targets.Count(t => t == d)));
    }

    [Fact]
    public void ThreeThreads_Llc8And24_SharesAndPriceHaveTheirClosedForm_AndMatchTheOfflineSolve()
    {
        // Node0 holds one thread's worth (8 / 8): x[t, node0] = 1/3 and x[t, node1] = 2/3, and
        // ^llc[node0] = (1 / (1/3 + 0.01) - 1 / (2/3 + 0.01)) / 8 from the thread's optimality condition.
        var spec = PlacementFibres.CompileCache("domain,llc,cpus\nnode0,8,4\nnode1,24,4\n");
        var problem = new PlacementProblem(PlacementFibres.Map(spec).Placement!);
        var solution = problem.Solve(3);
        Assert.True(solution.Result!.Converged);
        AssertRowsHold(problem.Placement, solution);
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal(1.0 / 3, solution.Share(t, 0), 3);
            Assert.Equal(2.0 / 3, solution.Share(t, 1), 3);
        }

        Assert.Equal(((1 / (1.0 / 3 + 0.01)) - (1 / (2.0 / 3 + 0.01))) / 8, solution.Prices[0], 3);
        Assert.Equal(0, solution.Prices[1], 6);
        AssertMatchesOffline(spec, solution);

        // Rounded: every thread's largest share is node1, which holds all three (24 / 8).
        Assert.Equal([1, 1, 1], problem.Round(solution, [-1, -1, -1]));
    }

    [Fact]
    public void ThreeDomains_UnevenCapacities_MatchTheOfflineSolve_AndTheRoundingFitsEveryDomain()
    {
        var spec = PlacementFibres.CompileCache("domain,llc,cpus\nsmall,8,4\nmid,16,4\nbig,40,4\n");
        var problem = new PlacementProblem(PlacementFibres.Map(spec).Placement!);
        var solution = problem.Solve(4);
        Assert.True(solution.Result!.Converged);
        AssertRowsHold(problem.Placement, solution);
        AssertMatchesOffline(spec, solution);
        Assert.True(solution.Prices[0] > 0.01, "the small domain's LLC binds");

        var targets = problem.Round(solution, [-1, -1, -1, -1]);
        var llc = problem.Placement.Resources[0];
        for (var d = 0; d < 3; d++)
        {
            Assert.True(targets.Count(t => t == d) * 8 <= llc.Capacity[d], $"domain {d} got {targets.Count(t => t == d)} threads");
        }
    }

    [Fact]
    public void MoreThreadsThanFit_CapacitiesScaleTogether_AndTheInstanceStaysFeasible()
    {
        var problem = new PlacementProblem(PlacementFibres.Cache().Placement!);
        // 4 fit (1 CPU / 0.5 per domain); 10 are placed as if the capacities were 10 / (4 * 0.95) times larger.
        var solution = problem.Solve(10);
        var scale = 10 / (4 * PlacementProblem.OvercommitUse);
        Assert.Equal(scale, solution.Scale, 12);
        Assert.Equal([32 * scale, 32 * scale, scale, scale], solution.Capacities);
        Assert.True(solution.Result!.Converged);
        AssertRowsHold(problem.Placement, solution);

        // Strictly feasible: every thread split evenly, no row binds, every domain price is 0.
        Assert.All(solution.Shares, x => Assert.Equal(0.5, x, 4));
        Assert.All(solution.Prices, p => Assert.Equal(0, p, 6));
        var targets = problem.Round(solution, new int[10].Select(_ => -1).ToArray());
        Assert.Equal([5, 5], Enumerable.Range(0, 2).Select(d => targets.Count(t => t == d)));
    }

    [Fact]
    public void WarmStart_FromThePreviousPrices_TakesFewerIterations()
    {
        var spec = PlacementFibres.CompileCache("domain,llc,cpus\nsmall,8,4\nmid,16,4\nbig,40,4\n");
        var problem = new PlacementProblem(PlacementFibres.Map(spec).Placement!);
        var cold = problem.Solve(24);
        var warm = problem.Solve(24, cold.Prices, cold.AssignmentPrices);
        output.WriteLine($"24 threads x 3 domains: cold {cold.Result!.Iterations} iterations, warm {warm.Result!.Iterations}");
        Assert.True(warm.Result.Converged);
        Assert.True(warm.Result.Iterations < cold.Result.Iterations, $"warm {warm.Result.Iterations} vs cold {cold.Result.Iterations}");
        for (var i = 0; i < cold.Shares.Length; i++)
        {
            Assert.Equal(cold.Shares[i], warm.Shares[i], 3);
        }
    }

    [Fact]
    public async Task Step_OnSyntheticFrames_PlansAffinityOnlyAfterTheHold_SplitsTheThreads_AndDoesNotFlap()
    {
        var sleepers = Enumerable.Range(0, 4).Select(_ => Sacrificial.Sleeper()).ToList();
        try
        {
            var fibre = PlacementFibres.Cache();
            var options = new DaemonOptions { Tick = TimeSpan.FromMilliseconds(250), PlacementPeriod = TimeSpan.FromMilliseconds(250), PlacementHold = 2 };
            var cpus = new DomainCpuMap([[0], [1]], DomainCpuSource.EvenSplit, 2, []);
            var step = new PlacementStep(fibre, options, cpus);
            var sensor = new ScriptedSensor("oncpu");
            var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
            var metrics = new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, sensor.Name);
            var engine = new DaemonEngine(fibre, options, sensor, step, enforcer, metrics, NullLogger.Instance);
            AgentObservation[] Frame(int count) => [.. sleepers.Take(count).Select((s, i) => new AgentObservation(s.Pid, ProcStat.TryRead(s.Pid)!.StartTime, "sleep", [0.2 - (0.01 * i)]))];

            sensor.Enqueue(Frame(4));
            var first = await engine.TickAsync();
            Assert.Empty(first.Actions); // one solve: held back
            Assert.Equal(4, step.LastSolution!.Threads);

            sensor.Enqueue(Frame(4));
            var second = await engine.TickAsync();
            Assert.Equal(4, second.Actions.Count);
            Assert.All(second.Actions, a => Assert.Equal((ActionKind.Affinity, ActionStatus.WouldApply), (a.Request.Kind, a.Status)));
            Assert.Equal([2, 2], new[] { 0, 1 }.Select(cpu => second.Actions.Count(a => a.Request.Cpus!.SequenceEqual([cpu]))));
            Assert.Equal(4, metrics.Count(ActionKind.Affinity, ActionStatus.WouldApply));
            foreach (var sleeper in sleepers)
            {
                Assert.Equal([0, 1], AffinitySetter.Get(sleeper.Pid)); // observation: nothing changed
            }

            // The same threads, and then one fewer: everyone stays where it is.
            sensor.Enqueue(Frame(4));
            Assert.Empty((await engine.TickAsync()).Actions);
            var placed = sleepers.Select(s => step.PlacedDomain(s.Pid)).ToList();
            for (var i = 0; i < 3; i++)
            {
                sensor.Enqueue(Frame(3));
                Assert.Empty((await engine.TickAsync()).Actions);
            }

            Assert.Equal(placed.Take(3), sleepers.Take(3).Select(s => step.PlacedDomain(s.Pid)));
            Assert.Equal(4, metrics.Count(ActionKind.Affinity, ActionStatus.WouldApply));

            var text = metrics.Registry.Render();
            Assert.Contains("sigil_placement_solves_total{fibre=\"cache\"} 6", text);
            Assert.Contains("sigil_price{fibre=\"cache\",resource=\"llc\",agent=\"1\",name=\"node1\"} 0", text);
            Assert.Contains("sigil_placement_domain_cpus{fibre=\"cache\",domain=\"node1\",cpus=\"1\"} 1", text);
            Assert.Contains("cache_llc_price{fibre=\"cache\"} 0", text);
        }
        finally
        {
            foreach (var sleeper in sleepers)
            {
                sleeper.Dispose();
            }
        }
    }

    [Fact]
    public async Task ThreadsBeyondTheBound_AreLeftOut_BusiestFirst_AndCounted()
    {
        var fibre = PlacementFibres.Cache();
        var options = new DaemonOptions { PlacementPeriod = TimeSpan.FromMilliseconds(250), PlacementThreads = 2 };
        var step = new PlacementStep(fibre, options, new DomainCpuMap([[0], [1]], DomainCpuSource.EvenSplit, 2, []));
        var sensor = new ScriptedSensor("oncpu");
        var metrics = new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, sensor.Name);
        var engine = new DaemonEngine(fibre, options, sensor, step, new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, null), metrics, NullLogger.Instance);
        for (var tick = 0; tick < 2; tick++)
        {
            sensor.Enqueue([.. Enumerable.Range(0, 5).Select(i => new AgentObservation(2000 + i, 0, "t", [0.1 * (i + 1)]))]);
            await engine.TickAsync();
        }

        Assert.Equal(2, step.LastSolution!.Threads);
        Assert.Equal([-1, -1, -1], new[] { 2000, 2001, 2002 }.Select(step.TargetDomain));
        Assert.All(new[] { 2003, 2004 }, tid => Assert.NotEqual(-1, step.TargetDomain(tid)));
        Assert.Contains("sigil_placement_overflow_total{fibre=\"cache\"} 6", metrics.Registry.Render());
    }

    [Fact]
    public async Task PerDomainPrices_GoThroughTheCheckpoint_AndBackToTheKernel()
    {
        using var dir = new TempDirectory();
        var cache = PlacementFibres.Cache();
        var p = cache.Placement!;
        var fibre = cache with { Placement = p with { Resources = [p.Resources[0] with { Capacity = [4, 24] }, p.Resources[1]] } };
        var options = new DaemonOptions { PlacementPeriod = TimeSpan.FromMilliseconds(250) };
        var cpus = new DomainCpuMap([[0], [1]], DomainCpuSource.EvenSplit, 2, []);
        var sensor = new ScriptedSensor("oncpu");
        var step = new PlacementStep(fibre, options, cpus, new RecordingWriter());
        var engine = new DaemonEngine(fibre, options, sensor, step, new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, null), new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, "scripted"), NullLogger.Instance);
        sensor.Enqueue(new AgentObservation(1001, 0, "a", [0.5]), new AgentObservation(1002, 0, "b", [0.4]));
        await engine.TickAsync();
        var price = step.Snapshot().Price(0, 0);
        Assert.True(price > 0.1, $"^llc[node0] = {price}");

        var store = new Sigil.Runtime.State.CheckpointStore(dir.Path, "cache");
        store.Save(engine.CaptureState(1));
        var state = store.Load().State!;
        Assert.Contains(state.Prices, s => s.Resource == "llc" && s.Agent == 0 && s.Price == price);
        Assert.Contains(state.Counters, c => c.Name == "sigil_placement_solves_total" && c.Value == 1);

        var writer = new RecordingWriter();
        var restoredStep = new PlacementStep(fibre, options, cpus, writer);
        var restored = new DaemonEngine(fibre, options, new ScriptedSensor("oncpu"), restoredStep, new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, null), new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, "scripted"), NullLogger.Instance);
        Assert.Equal(state.Prices.Count, restored.Restore(state));
        Assert.Equal(price, restoredStep.Snapshot().Price(0, 0));
        Assert.Equal(price, writer.Written["llc"][0]);
    }

    [Fact]
    public void SolveTime_PerPeriod_IsSmall()
    {
        var problem = new PlacementProblem(PlacementFibres.Cache().Placement!);
        foreach (var n in new[] { 16, 256 })
        {
            var cold = problem.Solve(n);
            var warm = problem.Solve(n, cold.Prices, cold.AssignmentPrices);
            output.WriteLine($"{n} threads: cold {cold.Elapsed.TotalMilliseconds:0.00} ms ({cold.Result!.Iterations} iterations), warm {warm.Elapsed.TotalMilliseconds:0.00} ms ({warm.Result!.Iterations} iterations)");
            Assert.True(cold.Result.Converged && warm.Result.Converged);

            // A loose bound (the benchmark measures it): well inside one placement period.
            Assert.True(warm.Elapsed < TimeSpan.FromMilliseconds(500), $"{n} threads took {warm.Elapsed.TotalMilliseconds} ms");
        }
    }

    private static void AssertRowsHold(PlacementDescription placement, PlacementSolution solution)
    {
        var d = solution.Domains;
        for (var r = 0; r < placement.Resources.Count; r++)
        {
            for (var j = 0; j < d; j++)
            {
                var load = Enumerable.Range(0, solution.Threads).Sum(t => placement.Resources[r].Coefficient[j] * solution.Share(t, j));
                Assert.True(load <= solution.Capacities[(r * d) + j] * (1 + Tolerance), $"@{placement.Resources[r].Name}[{j}]: {load} > {solution.Capacities[(r * d) + j]}");
                Assert.Equal(load, solution.Loads[(r * d) + j], 6);
            }
        }

        for (var t = 0; t < solution.Threads; t++)
        {
            var placed = Enumerable.Range(0, d).Sum(j => placement.Assignment.Coefficient[j] * solution.Share(t, j));
            Assert.True(Math.Abs(placed - placement.Assignment.Total) <= Tolerance, $"thread {t} is placed {placed}");
        }
    }

    /// <summary>The same instance built and solved as <c>sigil solve --members thread=n</c> does.</summary>
    private static void AssertMatchesOffline(FibreSpec spec, PlacementSolution solution)
    {
        var offline = OfflineInstance.Build(spec, new Dictionary<string, int> { ["thread"] = solution.Threads });
        var result = offline.Solve(spec);
        Assert.True(result.Converged);
        for (var i = 0; i < solution.Shares.Length; i++)
        {
            Assert.StartsWith("$x[", offline.VariableNames[i], StringComparison.Ordinal);
            Assert.True(Math.Abs(solution.Shares[i] - result.X[i]) <= Tolerance, $"{offline.VariableNames[i]}: {solution.Shares[i]} online, {result.X[i]} offline");
        }

        for (var i = 0; i < solution.Prices.Length; i++)
        {
            Assert.StartsWith("@", offline.RowNames[i], StringComparison.Ordinal);
            Assert.True(Math.Abs(solution.Prices[i] - result.Prices[i]) <= Tolerance * Math.Max(1, Math.Abs(result.Prices[i])), $"{offline.RowNames[i]}: price {solution.Prices[i]} online, {result.Prices[i]} offline");
        }
    }

    private sealed class RecordingWriter : IPlacementPriceWriter
    {
        public Dictionary<string, double[]> Written { get; } = [];

        public void WriteDomainPrices(string resource, ReadOnlySpan<double> prices) => Written[resource] = prices.ToArray();
    }
}
