using System.Diagnostics;
using System.Net.Http;
using System.Text;
using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Daemon.Tests.Metrics;
using Sigil.Language;
using Sigil.Language.Analysis;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Emit.Daemon;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// A shape the daemon did not run before: per-agent rows loaded by a sensed variable and a decided
/// one, solved each period by penalty (and ADMM) with the sensed loads as data. Checked against the
/// closed form of the one-agent problem, against an independent solve of the same instance, and
/// under <c>sigil run</c> on the real kernel with its metrics scraped.
/// </summary>
[Collection(Sequential.Name)]
public sealed class PeriodicRowTests : IDisposable
{
    private const double Budget = 4.0;
    private const double Mu = 2.0;

    /// <summary>The shared corpus's lease fibre (<see cref="LimitCases.Lease"/>), which the build check also compiles.</summary>
    private const string Lease = LimitCases.Lease;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static FibreSpec Compile(string text)
    {
        var result = SigilCompiler.Compile(new SourceFile("lease.sigil", text), static _ => null);
        Assert.True(result.Spec is not null, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Id.StartsWith("SIG30", StringComparison.Ordinal));
        return result.Spec!;
    }

    /// <summary>
    /// The penalised optimum of one agent with sensed load h: maximise log(1 + g) - (mu/2) [h + g - c]+^2
    /// over g in [0, 10]. Where the row binds, 1/(1 + g) = mu (s + g) with s = h - c, a quadratic in g.
    /// </summary>
    public static (double Grant, double Price) ClosedForm(double hold)
    {
        var s = hold - Budget;
        if (s + 10 <= 0)
        {
            return (10, 0);
        }

        var g = (-(1 + s) + Math.Sqrt(((1 - s) * (1 - s)) + (4 / Mu))) / 2;
        g = Math.Clamp(g, 0, 10);
        return (g, Mu * Math.Max(0, s + g));
    }

    [Fact]
    public void Analysis_ReadsLease_AsPeriodicRows_AndTheMapperSolvesItByPenaltyEachPeriod()
    {
        var spec = Compile(Lease);
        var shape = DaemonShapeAnalysis.Of(spec);
        Assert.Equal(DaemonShapeKind.PeriodicRows, shape.Kind);
        Assert.True(shape.Runs);

        var fibre = DaemonFibreMapper.Map(spec, out var problems);
        Assert.True(fibre is not null, string.Join("; ", problems));
        Assert.Equal(new PeriodicSolve(SolverKind.Penalty, Mu, spec.Solver.AbsoluteTolerance, spec.Solver.RelativeTolerance, spec.Solver.FeasibilityTolerance, spec.Solver.MaxIterations, spec.Solver.Statement), fibre!.Periodic);
        var row = Assert.Single(fibre.Rows);
        Assert.Equal(("lease", Budget, "hold", 1.0), (row.Resource, row.Budget, row.Variable, row.Coefficient));
        var grant = Assert.Single(row.Decided!);
        Assert.Equal(new DecidedTerm("grant", 1, UtilityKind.Log, 1, 1, 0, 0, 10, "utility $grant[t] ~ log(1 + $grant[t]);"), grant);

        // The descriptor `sigil emit` writes carries the periodic solve and reads back equal.
        var text = DaemonFibreFile.Write(fibre);
        File.WriteAllText(_dir.Combine("lease.daemon.json"), text);
        Assert.Equal(text, DaemonFibreFile.Write(DaemonFibreJson.TryRead(_dir.Combine("lease.daemon.json"), out var problem) ?? throw new InvalidOperationException(problem)));
    }

    [Fact]
    public void Analysis_PeriodicFibreExportingAPriceMap_IsWarnedAtTheExport_AndNotRun()
    {
        var text = Lease.Replace("@lease[task] : s = 4.0;", "@lease[task] : s = 4.0;\n    ^lease -> map price_lease;", StringComparison.Ordinal);
        var result = SigilCompiler.Compile(new SourceFile("lease.sigil", text), static _ => null);
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(("SIG3018", Sigil.Language.Diagnostics.DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Equal("^lease -> map price_lease;", text.Substring(warning.Span.Start, warning.Span.Length));
        Assert.Null(DaemonFibreMapper.Map(result.Spec!, out var problems));
        Assert.Contains("SIG3018: not available yet: The daemon cannot run fibre 'lease': '^lease -> map price_lease;': the prices of a periodic solve are the daemon's", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckWarns_TheBuildWritesNoDaemonDescriptor_AndRunRefusesWithExit4_APeriodicFibreExportingAPriceMap()
    {
        var path = _dir.Combine("lease.sigil");
        File.WriteAllText(path, Lease.Replace("@lease[task] : s = 4.0;", "@lease[task] : s = 4.0;\n    ^lease -> map price_lease;", StringComparison.Ordinal));
        var check = await ProcessRunner.RunSigilAsync(["check", path]);
        Assert.True(check.ExitCode == 0, ProcessRunner.Describe(check));
        Assert.Contains($"{path}(7,5): warning SIG3018: The daemon cannot run fibre 'lease'", check.All, StringComparison.Ordinal);

        // The build step (sigil emit writes what dotnet build writes) leaves the daemon descriptor out and says why.
        var emit = await ProcessRunner.RunSigilAsync(["emit", path, "-o", _dir.Combine("built")]);
        Assert.True(emit.ExitCode == 0, ProcessRunner.Describe(emit));
        Assert.Contains("daemon descriptor: SIG3018: not available yet", emit.All, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("built", "daemon")));
        Assert.True(File.Exists(_dir.Combine("built", "bpf", "lease.bpf.json")));

        var run = await ProcessRunner.RunSigilAsync(["run", path, "--state-dir", _dir.Combine("state"), "--metrics-url", "none"]);
        Assert.True(run.ExitCode == 4, ProcessRunner.Describe(run)); // CliExitCodes.NotAvailable, the exit docs/daemon.md names
        Assert.Contains("no build of this fibre found", run.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(6.0)]
    public void PenaltyStep_PricesEveryAgent_AsTheClosedFormSays(double hold)
    {
        var fibre = DaemonFibreMapper.Map(Compile(Lease), out _)!;
        var step = new PeriodicRowStep(fibre);
        var agents = new AgentTable(fibre.Rows.Count, fibre.Capacity);
        // Two agents in one instance: the other's load must not move this one's price.
        var result = step.Step(new SensorFrame("hold", [new AgentObservation(100, 1, "a", [9.0, hold]), new AgentObservation(101, 1, "b", [0.25])], default), agents, tick: 1);
        // With mu fixed the solve stops at the penalised optimum, well before its iteration cap,
        // also when an agent's hold alone overloads its lease (hold 6 > 4).
        Assert.InRange(result.Iterations, 1, fibre.Periodic!.MaxIterations - 1);

        foreach (var (pid, h) in new[] { (100, hold), (101, 0.25) })
        {
            var (g, price) = ClosedForm(h);
            var state = agents.Find(pid)!;
            Assert.Equal(price, state.Prices[0], 4);
            Assert.Equal(h + g, state.Loads[0], 3);
            Assert.Equal(h, state.LastSample);
        }

        if (hold == 1.5)
        {
            // The figure docs/daemon.md quotes.
            Assert.Equal(0.275, agents.Find(100)!.Prices[0], 3);
        }

        // No new sample: nothing to solve, the prices stay.
        var before = agents.Find(100)!.Prices[0];
        Assert.Equal(0, step.Step(new SensorFrame("hold", [], default), agents, tick: 2).Iterations);
        Assert.Equal(before, agents.Find(100)!.Prices[0]);
    }

    [Fact]
    public void AdmmStep_OnAFeasibleInstance_FindsThePriceOfTheBindingRow()
    {
        var spec = Compile(Lease.Replace("solve penalty { mu = 2; }", "solve admm { rho = 1; tolerance = 1e-7; }", StringComparison.Ordinal));
        var fibre = DaemonFibreMapper.Map(spec, out var problems);
        Assert.True(fibre is not null, string.Join("; ", problems));
        Assert.Equal(SolverKind.Admm, fibre!.Periodic!.Method);
        var agents = new AgentTable(1, 16);
        var step = new PeriodicRowStep(fibre);
        var result = step.Step(new SensorFrame("hold", [new AgentObservation(7, 1, "a", [1.5]), new AgentObservation(8, 1, "b", [6.0])], default), agents, tick: 1);

        // log is increasing, so the grant fills the lease: g = c - h, and the price is U'(g) = 1 / (1 + g).
        Assert.Equal(SolveStatus.Solved, step.Last!.Status);
        Assert.Equal(1 / (1 + Budget - 1.5), agents.Find(7)!.Prices[0], 3);
        Assert.Equal(Budget, agents.Find(7)!.Loads[0], 3);

        // A hold of 6 leaves no room in a lease of 4: that agent is left out of the solve, keeps its
        // price, and its overload is the step's primal residual.
        Assert.Equal(0, agents.Find(8)!.Prices[0]);
        Assert.Equal(6.0 - Budget, result.PrimalResidual, 9);
    }

    [Fact]
    public async Task RunLease_OnTheKernel_PricesAHeldFile_AsTheSolverSays_AndServesItsMetrics()
    {
        var sigil = _dir.Combine("lease.sigil");
        File.WriteAllText(sigil, Lease);
        var bpfObject = EmittedBpf.Build(Compile(Lease), _dir.Combine("bpf"));
        var descriptor = await ProcessRunner.EmitDaemonAsync(sigil, _dir.Combine("built"));

        // The workload holds a file open with shell builtins only (no child process, no other open),
        // first for 1.5 s and then for 3 s, each when told to.
        var held = _dir.Combine("held.txt");
        File.WriteAllText(held, "lease\n");
        using var workload = Process.Start(new ProcessStartInfo("bash", ["-c", $"read -r go; exec 3<'{held}'; read -r -t 1.5 x; exec 3<&-; read -r go; exec 3<'{held}'; read -r -t 3 x; exec 3<&-; read -r end"]) { RedirectStandardInput = true })!;
        var port = Ports.FreeLoopbackPort();
        var errors = new StringBuilder();
        using var daemon = new Process { StartInfo = new ProcessStartInfo("dotnet", [ProcessRunner.SigilDll, "run", descriptor, "--bpf-object", bpfObject, "--scope", workload.Id.ToString(), "--duration", "40s", "--tick", "100ms", "--state-dir", _dir.Combine("state"), "--metrics-url", $"http://127.0.0.1:{port}", "--table", "false", "--log-format", "simple"]) { RedirectStandardError = true, RedirectStandardOutput = true } };
        daemon.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        daemon.OutputDataReceived += static (_, _) => { };
        daemon.Start();
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            async Task<List<ParsedFamily>> ScrapeUntil(Func<List<ParsedFamily>, bool> done)
            {
                for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !daemon.HasExited; await Task.Delay(100))
                {
                    try
                    {
                        var families = StrictExpositionParser.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
                        if (done(families))
                        {
                            return families;
                        }
                    }
                    catch (HttpRequestException)
                    {
                    }
                }

                throw new Xunit.Sdk.XunitException($"the daemon's metrics never showed it (exited: {daemon.HasExited}):\n{errors}");
            }

            static double Value(List<ParsedFamily> families, string name) => families.Single(f => f.Name == name).Samples.Single().Value;

            // Attached and ticking: the file may be opened now.
            await ScrapeUntil(f => Value(f, "sigil_ticks_total") > 0);
            await workload.StandardInput.WriteLineAsync("go");
            await workload.StandardInput.FlushAsync();
            var first = await ScrapeUntil(f => Value(f, "lease_price") > 0);
            await workload.StandardInput.WriteLineAsync("go");
            await workload.StandardInput.FlushAsync();
            var second = await ScrapeUntil(f => Value(f, "lease_hold_seconds") > 2.5);

            var prices = new List<double>();
            foreach (var (families, seconds) in new[] { (first, 1.5), (second, 3.0) })
            {
                // The kernel measured the hold (openat to close) of the workload alone.
                var hold = Value(families, "lease_hold_seconds");
                Assert.InRange(hold, seconds - 0.05, seconds + 1.0);
                var price = Value(families, "lease_price");
                var agent = families.Single(f => f.Name == "sigil_price").Samples.Single(s => s.Label("agent") == workload.Id.ToString());
                Assert.Equal(price, agent.Value, 9);

                // As the closed form says, and as an independent solve of the same one-agent instance.
                var (grant, expected) = ClosedForm(hold);
                Assert.Equal(expected, price, 3);
                var reference = new PenaltySolver<LogAgents>(
                    new NumProblem<LogAgents>(CouplingMatrix.FromTriplets(1, 1, [0], [0], [1.0]), [Budget - hold], [Sigil.Runtime.Solvers.RowSense.LessOrEqual], new LogAgents([1.0], [1.0], [0.0], [10.0])),
                    new PenaltyOptions { Mu = Mu, MuGrowth = 1 }).Solve();
                Assert.Equal(reference.Prices[0], price, 3);
                Assert.Equal(hold + grant, families.Single(f => f.Name == "sigil_load").Samples.Single(s => s.Label("agent") == workload.Id.ToString()).Value, 2);
                Assert.True(Value(families, "sigil_solver_iterations_total") > 0);
                prices.Add(price);
            }

            // A longer hold leaves less of the lease for the grant: the price rises.
            Assert.True(prices[1] > prices[0], $"{prices[0]} then {prices[1]}");
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
            }

            workload.Kill();
        }
    }
}
