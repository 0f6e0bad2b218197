using System;
using System.IO;
using System.Linq;
using Sigil.Runtime.Metabolism;
using Sigil.Runtime.Solvers;
using Sigil.Tests.Shared.Metabolism;
using Xunit.Abstractions;

namespace Sigil.Runtime.Tests.Metabolism;

/// <summary>
/// Flux balance on the models Debian's python3-cobra ships, against GLPK's simplex (glpsol) on the
/// same LP written from the same file.
/// </summary>
public sealed class FluxBalanceTests(ITestOutputHelper output)
{
    private const string CobraData = CobraModels.Data;

    private static readonly QpOptions s_tight = new() { AbsoluteTolerance = 1e-9, RelativeTolerance = 1e-9, FeasibilityTolerance = 1e-9, MaxIterations = 50_000 };

    [ModelFact]
    public void EcoliCore_FromSbml_IsTheModelCobraPySolves_AndEveryEngineIsHonestAboutIt()
    {
        MetabolicModel model = MetabolicModel.ReadSbml(Path.Combine(CobraData, "textbook.xml.gz"));
        Assert.Equal((95, 72), (model.Reactions.Count, model.Metabolites.Count));
        Assert.All(model.EntryValue, v => Assert.NotEqual(0, v));
        Assert.Equal(8.39, model.Lower[model.ReactionIndex("R_ATPM")]);

        // The model as read is COBRApy's: GLPK's simplex on it reaches COBRApy's optimum.
        (string status, double glpk) = Glpk.Solve(model);
        Assert.Equal("OPTIMAL", status);
        Assert.True(Math.Abs(glpk - CobraModels.EcoliCoreOptimum) <= 1e-6 * CobraModels.EcoliCoreOptimum, $"GLPK {glpk:R}");

        // Each engine either solves it (and then to the optimum) or says it did not.
        NumProblem<LinearAgents> problem = model.ToProblem();
        foreach (SolverResult r in new[]
        {
            new QpSolver<LinearAgents>(problem, new QpOptions { MaxIterations = 4000 }).Solve(),
            new DualSolver<LinearAgents>(problem, new DualOptions { MaxIterations = 2000 }).Solve(),
            new AdmmSolver<LinearAgents>(problem, new AdmmOptions { MaxIterations = 2000 }).Solve(),
            new PenaltySolver<LinearAgents>(problem, new PenaltyOptions { MaxIterations = 2000 }).Solve(),
        })
        {
            Assert.True(r.Status is SolveStatus.Solved or SolveStatus.SolvedInaccurate or SolveStatus.IterationLimit, $"{r.Method}: {r.Status}");
            if (r.Status == SolveStatus.Solved)
            {
                Assert.True(Math.Abs(r.PrimalObjective - glpk) <= 1e-4 * glpk, $"{r.Method}: solved at {r.PrimalObjective:R}, GLPK {glpk:R}");
            }
        }
    }

    [ModelFact]
    public void EcoliCore_Qp_SolvesToGlpksOptimum_WithinOneInAMillion()
    {
        MetabolicModel model = MetabolicModel.ReadSbml(Path.Combine(CobraData, "textbook.xml.gz"));
        (string status, double glpk) = Glpk.Solve(model);
        Assert.Equal("OPTIMAL", status);
        NumProblem<LinearAgents> problem = model.ToProblem();

        // The language's default tolerances and tight ones: both end solved at GLPK's optimum, on a
        // point whose rows, stationarity and gap the status vouches for.
        foreach (QpOptions options in new[] { new QpOptions(), s_tight })
        {
            var solver = new QpSolver<LinearAgents>(problem, options);
            SolverResult r = solver.Solve();
            output.WriteLine($"tolerances {options.Tolerances}: {r.Status}, objective {r.PrimalObjective:R} (GLPK {glpk:R}, relative error {Math.Abs(r.PrimalObjective - glpk) / glpk:E2}), {r.Iterations} iterations, polished {solver.Polished}, {r.Elapsed.TotalMilliseconds:F1} ms");
            Assert.True(r.Status == SolveStatus.Solved, $"{r.Status} after {r.Iterations} iterations at {r.PrimalObjective:R}: {r.Accuracy}");
            Assert.True(Math.Abs(r.PrimalObjective - glpk) <= 1e-6 * glpk, $"optimum {r.PrimalObjective:R}, GLPK {glpk:R}");
            Assert.True(r.Accuracy.Holds, r.Accuracy.ToString());
            var load = new double[model.Metabolites.Count];
            problem.Coupling.Multiply(r.X, load);
            Assert.All(load, b => Assert.True(Math.Abs(b) <= 1e-6, $"mass balance off by {b:E2}"));
            Assert.All(Enumerable.Range(0, r.X.Length), j => Assert.InRange(r.X[j], model.Lower[j], model.Upper[j]));
        }
    }

    [ModelFact]
    public void EcoliCore_WithInfiniteReversibleBounds_QpReachesGlpksOptimum_OtherEnginesRefuse()
    {
        // The model's reversible reactions written with -inf instead of its -1000, as COBRA models
        // often are: the QP engine takes free variables; the engines that step agents to a bound
        // refuse, naming the one that takes them.
        MetabolicModel model = MetabolicModel.ReadSbml(Path.Combine(CobraData, "textbook.xml.gz"));
        int freed = 0;
        for (int j = 0; j < model.Lower.Length; j++)
        {
            if (model.Lower[j] == -1000)
            {
                model.Lower[j] = double.NegativeInfinity;
                freed++;
            }
        }

        Assert.True(freed >= 40, $"{freed} reversible reactions");
        (string status, double glpk) = Glpk.Solve(model);
        Assert.Equal("OPTIMAL", status);
        NumProblem<LinearAgents> problem = model.ToProblem();
        foreach (QpOptions options in new[] { new QpOptions(), s_tight })
        {
            SolverResult r = new QpSolver<LinearAgents>(problem, options).Solve();
            output.WriteLine($"-inf bounds, tolerances {options.Tolerances}: {r.Status}, objective {r.PrimalObjective:R} (GLPK {glpk:R}), {r.Iterations} iterations");
            Assert.True(r.Status == SolveStatus.Solved, $"{r.Status} after {r.Iterations} iterations at {r.PrimalObjective:R}: {r.Accuracy}");
            Assert.True(Math.Abs(r.PrimalObjective - glpk) <= 1e-6 * glpk, $"optimum {r.PrimalObjective:R}, GLPK {glpk:R}");
            Assert.All(r.X, v => Assert.True(double.IsFinite(v)));
            Assert.All(Enumerable.Range(0, r.X.Length), j => Assert.InRange(r.X[j], model.Lower[j], model.Upper[j]));
        }

        Assert.Contains("QP engine", Assert.Throws<ArgumentException>(() => new DualSolver<LinearAgents>(problem).Solve()).Message, StringComparison.Ordinal);
        Assert.Contains("QP engine", Assert.Throws<ArgumentException>(() => new AdmmSolver<LinearAgents>(problem).Solve()).Message, StringComparison.Ordinal);
        Assert.Contains("QP engine", Assert.Throws<ArgumentException>(() => new PenaltySolver<LinearAgents>(problem).Solve()).Message, StringComparison.Ordinal);
    }

    [ModelFact]
    public void CobraJson_AndSbml_OfTheSameModel_ReadAlike_AndAgreeWithGlpk()
    {
        MetabolicModel json = MetabolicModel.ReadCobraJson(Path.Combine(CobraData, "mini.json"));
        MetabolicModel sbml = MetabolicModel.ReadSbml(Path.Combine(CobraData, "mini_cobra.xml"));
        Assert.Equal(json.Reactions.Count, sbml.Reactions.Count);
        Assert.Equal(json.EntryValue.Count, sbml.EntryValue.Count);
        NumProblem<LinearAgents> problem = json.ToProblem();
        SolverResult r = new QpSolver<LinearAgents>(problem, s_tight).Solve();
        (string status, double glpk) = Glpk.Solve(json);
        if (status == "OPTIMAL")
        {
            Assert.True(r.Status == SolveStatus.Solved, $"{r.Status}: {r.Accuracy}");
            Assert.True(Math.Abs(r.PrimalObjective - glpk) <= 1e-6 * Math.Max(1, Math.Abs(glpk)), $"optimum {r.PrimalObjective:R}, GLPK {glpk:R}");
        }
        else
        {
            // GLPK finds no feasible flux; the engine must say so, with a certificate that holds.
            Assert.Equal(SolveStatus.PrimalInfeasible, r.Status);
            Assert.True(Infeasibility.Proves(problem, r.InfeasibilityCertificate), $"GLPK: {status}");
        }
    }

    [Fact]
    public void BadFiles_AreReportedWithTheirPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sigil-model-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"metabolites\": [{\"id\": \"a\"}], \"reactions\": [{\"id\": \"r\", \"metabolites\": {\"b\": 1}}]}");
            var e = Assert.Throws<InvalidDataException>(() => MetabolicModel.ReadCobraJson(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
            File.WriteAllText(path, "<sbml");
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => MetabolicModel.ReadSbml(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
