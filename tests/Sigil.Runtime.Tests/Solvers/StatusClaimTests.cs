using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;
using Xunit.Abstractions;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>
/// Every status the engines give, checked on random instances of every class against CVXOPT (one
/// Python process for all of them) and against an independent reading of the infeasibility
/// certificates: a "solved" must be feasible and optimal to the stated tolerance, an infeasible
/// instance must come back infeasible with a certificate that holds.
/// </summary>
public sealed class StatusClaimTests(ITestOutputHelper output)
{
    private const int PerClass = 3;

    internal const double AbsoluteTolerance = 1e-6;

    internal const double RelativeTolerance = 1e-4;

    private static readonly Lazy<(List<(InstanceClass Class, ulong Seed, NumInstance Instance)> Cases, double?[] Reference)> s_cases = new(() =>
    {
        var cases = InstanceClasses.All(PerClass).ToList();
        var feasible = cases.Where(c => c.Class != InstanceClass.Infeasible).Select(c => InstanceClasses.Reference(c.Class, c.Seed)).ToList();
        double?[] objectives = Cvxopt.Objectives(feasible.Select(f => f.Consistent).ToList());
        var reference = new double?[cases.Count];
        int k = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            reference[i] = cases[i].Class == InstanceClass.Infeasible ? null : objectives[k] + feasible[k].Shift;
            k += cases[i].Class == InstanceClass.Infeasible ? 0 : 1;
        }

        return (cases, reference);
    });

    [CvxoptFact]
    public void Dual_EverySolvedIsOptimal_EveryInfeasibleIsCertified() =>
        Census("dual", p => new DualSolver<MixedAgents>(p, new DualOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, MaxIterations = 10_000 }).Solve());

    [CvxoptFact]
    public void Admm_EverySolvedIsOptimal_EveryInfeasibleIsCertified() =>
        Census("admm", p => new AdmmSolver<MixedAgents>(p, new AdmmOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, MaxIterations = 10_000 }).Solve());

    [CvxoptFact]
    public void Penalty_EverySolvedIsOptimal_EveryInfeasibleIsCertified() =>
        Census("penalty", p => new PenaltySolver<MixedAgents>(p, new PenaltyOptions { Mu = 1, AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, MaxIterations = 10_000 }).Solve());

    [CvxoptFact]
    public void Qp_EverySolvedIsOptimal_OnTheLinearAndQuadraticClasses() =>
        Census("qp", p => new QpSolver<MixedAgents>(p, new QpOptions { AbsoluteTolerance = AbsoluteTolerance, RelativeTolerance = RelativeTolerance, FeasibilityTolerance = RelativeTolerance, MaxIterations = 10_000 }).Solve(), QpSolver<MixedAgents>.Accepts);

    private void Census(string method, Func<NumProblem<MixedAgents>, SolverResult> solve, Func<NumProblem<MixedAgents>, bool>? takes = null)
    {
        var (cases, reference) = s_cases.Value;
        Census(output, method, cases.Select(c => ($"{c.Class} seed {c.Seed}", c.Class == InstanceClass.Infeasible, c.Instance)).ToList(), reference, solve, takes);
    }

    /// <summary>
    /// Solves every case and checks every status it gets: "solved" against the reference objective and
    /// the stated tolerances, an infeasible case's certificate by <see cref="Farkas"/>. With
    /// <paramref name="requireSolved"/>, a feasible case that ends unsolved is a failure too.
    /// </summary>
    internal static void Census(
        ITestOutputHelper output,
        string method,
        IReadOnlyList<(string Name, bool Infeasible, NumInstance Instance)> cases,
        double?[] reference,
        Func<NumProblem<MixedAgents>, SolverResult> solve,
        Func<NumProblem<MixedAgents>, bool>? takes = null,
        bool requireSolved = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<string>();
        var statuses = new SortedDictionary<SolveStatus, int>();
        int claimed = 0, grossFalse = 0, strictFalse = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            var (caseName, infeasible, instance) = cases[i];
            if (takes is not null && !takes(instance.MixedProblem()))
            {
                continue;
            }

            SolverResult r = solve(instance.MixedProblem());
            string name = $"{method} {caseName}";
            statuses[r.Status] = statuses.GetValueOrDefault(r.Status) + 1;
            bool solved = r.Status == SolveStatus.Solved;
            if (infeasible)
            {
                if (solved)
                {
                    claimed++;
                    grossFalse++;
                    strictFalse++;
                    failures.Add($"{name}: claims solved on an infeasible instance");
                }
                else if (r.Status != SolveStatus.PrimalInfeasible || r.InfeasibilityCertificate is null || !Farkas(instance, r.InfeasibilityCertificate))
                {
                    failures.Add($"{name}: status {r.Status} on an infeasible instance, without a certificate that holds");
                }

                continue;
            }

            if (r.Status is SolveStatus.PrimalInfeasible or SolveStatus.DualInfeasible or SolveStatus.NumericalFailure)
            {
                failures.Add($"{name}: status {r.Status} on a feasible, bounded instance");
                continue;
            }

            if (!solved)
            {
                if (requireSolved)
                {
                    failures.Add($"{name}: {r.Status} after {r.Iterations} iterations ({r.Accuracy})");
                }

                continue;
            }

            claimed++;
            if (reference[i] is not double best)
            {
                failures.Add($"{name}: CVXOPT did not solve the instance");
                continue;
            }

            (double worstRow, double worstRelativeRow, double magnitude) = Measure(instance, r.X);
            double error = Math.Abs(r.PrimalObjective - best);
            if (error > 1e-3 * Math.Max(1, Math.Abs(best)) || worstRelativeRow > 1e-2)
            {
                grossFalse++;
                output.WriteLine($"{name}: off by the issue's measure: objective {r.PrimalObjective:R} vs CVXOPT {best:R}, relative row violation {worstRelativeRow:E2}");
            }

            bool rowsHold = worstRow <= 1.0001;
            bool optimal = error <= 10 * (RelativeTolerance * Math.Max(Math.Abs(best), magnitude) + instance.Agents * AbsoluteTolerance);
            bool pricesHold = r.Prices.Select((p, l) => instance.Senses[l] == RowSense.Equal || p >= 0).All(h => h);
            if (!(rowsHold && optimal && pricesHold))
            {
                strictFalse++;
                failures.Add($"{name}: claims solved but row ratio {worstRow:E2}, objective {r.PrimalObjective:R} vs CVXOPT {best:R} (error {error:E2}), prices nonnegative {pricesHold}");
            }
        }

        output.WriteLine($"{method}: {statuses.Values.Sum()} instances, {claimed} claimed solved, {grossFalse} false by the issue's measure (objective off > 1e-3 or rows > 1e-2), {strictFalse} false at the stated tolerance; statuses {string.Join(", ", statuses.Select(p => $"{p.Key} {p.Value}"))}; {clock.Elapsed.TotalSeconds:F1} s");
        foreach (string f in failures)
        {
            output.WriteLine(f);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Reads a Farkas certificate independently of the runtime: <c>y &gt;= 0</c>, and the least load
    /// <c>y^T A x</c> the bounds allow exceeds <c>c^T y</c>.
    /// </summary>
    private static bool Farkas(NumInstance instance, double[] y)
    {
        if (y.Length != instance.Resources || y.Any(v => !(v >= 0)))
        {
            return false;
        }

        var w = new double[instance.Agents];
        for (int k = 0; k < instance.Values.Length; k++)
        {
            w[instance.Columns[k]] += instance.Values[k] * y[instance.Rows[k]];
        }

        double least = 0;
        for (int s = 0; s < instance.Agents; s++)
        {
            least += w[s] >= 0 ? w[s] * instance.Lower[s] : w[s] * instance.Upper[s];
        }

        double budget = 0;
        for (int l = 0; l < instance.Resources; l++)
        {
            budget += instance.Capacity[l] * y[l];
        }

        return least > budget * (1 + 1e-9) + 1e-12;
    }

    /// <summary>
    /// Per row, the violation over the stated allowance <c>eps_abs + eps_rel max(sum |A_ls x_s|, |c_l|)</c>
    /// (at most 1 when the row holds to tolerance), the worst relative violation, and <c>sum |U_s(x_s)|</c>.
    /// </summary>
    private static (double WorstRatio, double WorstRelative, double Magnitude) Measure(NumInstance instance, double[] x)
    {
        var load = new double[instance.Resources];
        var size = new double[instance.Resources];
        for (int k = 0; k < instance.Values.Length; k++)
        {
            double term = instance.Values[k] * x[instance.Columns[k]];
            load[instance.Rows[k]] += term;
            size[instance.Rows[k]] += Math.Abs(term);
        }

        double worst = 0, worstRelative = 0;
        for (int l = 0; l < instance.Resources; l++)
        {
            double c = instance.Capacity[l];
            double violation = instance.Senses[l] == RowSense.Equal ? Math.Abs(load[l] - c) : Math.Max(0, load[l] - c);
            worst = Math.Max(worst, violation / (AbsoluteTolerance + RelativeTolerance * Math.Max(size[l], Math.Abs(c))));
            worstRelative = Math.Max(worstRelative, violation <= AbsoluteTolerance ? 0 : violation / Math.Max(Math.Max(Math.Abs(c), size[l]), 1e-300));
        }

        var agents = new MixedAgents(instance.Kind, instance.Weight, instance.Offset, instance.Shape, instance.Lower, instance.Upper);
        double magnitude = 0;
        for (int s = 0; s < instance.Agents; s++)
        {
            if (x[s] < instance.Lower[s] || x[s] > instance.Upper[s])
            {
                return (double.PositiveInfinity, double.PositiveInfinity, 0);
            }

            magnitude += Math.Abs(agents.Utility(s, x[s]));
        }

        return (worst, worstRelative, magnitude);
    }
}
