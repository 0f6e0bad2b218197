using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;
using RowSense = Sigil.Runtime.Solvers.RowSense;

namespace Sigil.Cli;

/// <summary>
/// A fibre's instance built at run time from its <see cref="FibreSpec"/>, for <c>sigil solve</c> on
/// any .sigil file: the same layout the generated <c>CreateProblem</c> builds at compile time
/// (variables family by family, row-major over their index sets; one row per quantifier member),
/// over <see cref="MixedAgents"/>. Dynamic index sets have no members offline; their sizes are given.
/// </summary>
internal sealed class OfflineInstance
{
    private OfflineInstance(NumProblem<MixedAgents> problem, string[] variableNames, string[] rowNames)
    {
        Problem = problem;
        VariableNames = variableNames;
        RowNames = rowNames;
    }

    public NumProblem<MixedAgents> Problem { get; }

    /// <summary>Per column: <c>$flux[pfkA_overexpression]</c>.</summary>
    public string[] VariableNames { get; }

    /// <summary>Per row: <c>@atp</c>, <c>@llc[node0]</c>, <c>placed[3]</c>.</summary>
    public string[] RowNames { get; }

    public static OfflineInstance Build(FibreSpec spec, IReadOnlyDictionary<string, int> dynamicSizes)
    {
        var sets = spec.Indices.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var members = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var index in spec.Indices)
        {
            if (index.Kind != IndexKind.Dynamic)
            {
                members[index.Name] = [.. index.Members];
                continue;
            }

            if (!dynamicSizes.TryGetValue(index.Name, out var size))
            {
                throw new CliException(CliExitCodes.BadInput, $"index '{index.Name}' is dynamic (its members appear at run time): give its size offline with --members {index.Name}=N");
            }

            if (size < 1 || size > index.Capacity)
            {
                throw new CliException(CliExitCodes.BadInput, $"--members {index.Name}={size}: the size must be between 1 and the index's capacity {index.Capacity}");
            }

            members[index.Name] = Enumerable.Range(0, size).Select(i => index.Name + "#" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }

        foreach (var name in dynamicSizes.Keys.Where(k => !sets.ContainsKey(k)))
        {
            throw new CliException(CliExitCodes.BadInput, $"--members {name}: the fibre has no index '{name}'");
        }

        var values = new SpecValues(spec.Tables);

        // Variables, family by family.
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var kind = new List<UtilityKind>();
        var weight = new List<double>();
        var shift = new List<double>();
        var shape = new List<double>();
        var lower = new List<double>();
        var upper = new List<double>();
        foreach (var variable in spec.Variables)
        {
            offsets[variable.Name] = names.Count;
            var utility = spec.Utilities.FirstOrDefault(u => u.Variable == variable.Name);
            foreach (var position in Positions(variable.IndexSets, members))
            {
                var at = Bind(variable.IndexVariables, position);
                names.Add("$" + variable.Name + Subscript(variable.IndexSets, position, members));
                lower.Add(values.Evaluate(variable.Lower, at));
                upper.Add(values.Evaluate(variable.Upper, at));
                if (utility is null)
                {
                    // An observed variable: no utility, held by nothing; a zero-weight linear agent.
                    kind.Add(UtilityKind.Linear);
                    weight.Add(0);
                    shift.Add(0);
                    shape.Add(0);
                    continue;
                }

                var u = Bind(utility.IndexVariables, position);
                kind.Add(utility.Family);
                weight.Add(values.Evaluate(utility.Weight, u));
                shift.Add(values.Evaluate(utility.Offset, u));
                shape.Add(values.Evaluate(utility.Family == UtilityKind.Quadratic ? utility.Curvature : utility.Alpha, u));
            }
        }

        // Rows: one per member of the quantifiers; each term summed over its own bindings.
        var rows = new List<int>();
        var columns = new List<int>();
        var coefficients = new List<double>();
        var capacity = new List<double>();
        var senses = new List<RowSense>();
        var rowNames = new List<string>();
        foreach (var coupling in spec.Couplings)
        {
            var quantifierSets = coupling.Quantifiers.Select(q => q.Set).ToList();
            foreach (var position in Positions(quantifierSets, members))
            {
                var at = Bind(coupling.Quantifiers.Select(q => q.Variable).ToList(), position);
                foreach (var term in coupling.Terms)
                {
                    var variable = spec.Variables.First(v => v.Name == term.Variable);
                    foreach (var inner in SumMembers(spec, term, at, members))
                    {

                        var flat = 0;
                        for (var i = 0; i < variable.IndexSets.Count; i++)
                        {
                            flat = (flat * members[variable.IndexSets[i]].Length) + inner[term.Subscript[i]];
                        }

                        // A holds nonzeros only: a table's absent (zero) entries load nothing.
                        var coefficient = values.Evaluate(term.Coefficient, inner);
                        if (coefficient == 0)
                        {
                            continue;
                        }

                        rows.Add(capacity.Count);
                        columns.Add(offsets[variable.Name] + flat);
                        coefficients.Add(coefficient);
                    }
                }

                capacity.Add(values.Evaluate(coupling.Rhs, at));
                senses.Add(coupling.Sense);
                rowNames.Add((coupling.Resource is null ? coupling.Name : "@" + coupling.Resource) + Subscript(quantifierSets, position, members));
            }
        }

        try
        {
            var matrix = CouplingMatrix.FromTriplets(capacity.Count, names.Count, rows.ToArray(), columns.ToArray(), coefficients.ToArray());
            var agents = new MixedAgents(kind.ToArray(), weight.ToArray(), shift.ToArray(), shape.ToArray(), lower.ToArray(), upper.ToArray());
            return new OfflineInstance(new NumProblem<MixedAgents>(matrix, capacity.ToArray(), senses.ToArray(), agents), names.ToArray(), rowNames.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new CliException(CliExitCodes.BadInput, $"fibre '{spec.Name}': the instance is not solvable as given: {e.Message}");
        }
    }

    /// <summary>Solves by the fibre's method and settings, as its generated Solve does.</summary>
    public SolverResult Solve(FibreSpec spec)
    {
        var solver = spec.Solver;
        return solver.Method switch
        {
            SolverMethod.Admm when !solver.FixedRho && QpSolver<MixedAgents>.Accepts(Problem) => new QpSolver<MixedAgents>(Problem, new QpOptions
            {
                AbsoluteTolerance = solver.AbsoluteTolerance,
                RelativeTolerance = solver.RelativeTolerance,
                FeasibilityTolerance = solver.FeasibilityTolerance,
                MaxIterations = solver.MaxIterations,
            }).Solve(),
            SolverMethod.Admm => new AdmmSolver<MixedAgents>(Problem, new AdmmOptions
            {
                Rho = solver.Rho,
                AdaptiveRho = !solver.FixedRho,
                AbsoluteTolerance = solver.AbsoluteTolerance,
                RelativeTolerance = solver.RelativeTolerance,
                FeasibilityTolerance = solver.FeasibilityTolerance,
                MaxIterations = solver.MaxIterations,
            }).Solve(),
            SolverMethod.Penalty => new PenaltySolver<MixedAgents>(Problem, new PenaltyOptions
            {
                Mu = solver.Mu,
                AbsoluteTolerance = solver.AbsoluteTolerance,
                RelativeTolerance = solver.RelativeTolerance,
                FeasibilityTolerance = solver.FeasibilityTolerance,
                MaxIterations = solver.MaxIterations,
            }).Solve(),
            _ => new DualSolver<MixedAgents>(Problem, new DualOptions
            {
                Rule = solver.Rule == SolverRule.Fixed ? DualStepRule.Fixed : DualStepRule.Scaled,
                Step = solver.Rule == SolverRule.Fixed ? solver.Step : 1.0,
                Accelerate = solver.Rule != SolverRule.Fixed,
                AbsoluteTolerance = solver.AbsoluteTolerance,
                RelativeTolerance = solver.RelativeTolerance,
                FeasibilityTolerance = solver.FeasibilityTolerance,
                MaxIterations = solver.MaxIterations,
            }).Solve(),
        };
    }

    // The members of a term's sums, inside one row: every combination, except that an innermost sum
    // whose index reads a two-dimensional table (EntryWalk) visits that table's nonzeros only.
    private static IEnumerable<Dictionary<string, int>> SumMembers(FibreSpec spec, TermSpec term, Dictionary<string, int> row, Dictionary<string, string[]> members)
    {
        var walk = EntryWalk.Of(term);
        var matrix = walk is null ? null : spec.Tables.First(t => t.Name == walk.Table).Matrix;
        var outer = term.Sums.Take(walk is null || matrix is null ? term.Sums.Count : term.Sums.Count - 1).ToList();
        foreach (var position in Positions(outer.Select(b => b.Set).ToList(), members))
        {
            var inner = new Dictionary<string, int>(row, StringComparer.Ordinal);
            for (var i = 0; i < outer.Count; i++)
            {
                inner[outer[i].Variable] = position[i];
            }

            if (walk is null || matrix is null)
            {
                yield return inner;
                continue;
            }

            var every = !inner.TryGetValue(walk.Other, out var other);
            for (int k = 0, count = every ? members[term.Sums[^1].Set].Length : walk.Count(matrix, other); k < count; k++)
            {
                yield return new Dictionary<string, int>(inner, StringComparer.Ordinal) { [walk.Variable] = every ? k : walk.At(matrix, other, k) };
            }
        }
    }

    private static IEnumerable<int[]> Positions(IReadOnlyList<string> sets, Dictionary<string, string[]> members)
    {
        var sizes = sets.Select(s => members[s].Length).ToArray();
        if (sizes.Any(n => n == 0))
        {
            yield break;
        }

        var position = new int[sets.Count];
        while (true)
        {
            yield return (int[])position.Clone();
            var i = sets.Count - 1;
            while (i >= 0 && ++position[i] == sizes[i])
            {
                position[i] = 0;
                i--;
            }

            if (i < 0)
            {
                yield break;
            }
        }
    }

    private static Dictionary<string, int> Bind(IReadOnlyList<string> variables, int[] position)
    {
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count && i < position.Length; i++)
        {
            at[variables[i]] = position[i];
        }

        return at;
    }

    private static string Subscript(IReadOnlyList<string> sets, int[] position, Dictionary<string, string[]> members) =>
        sets.Count == 0 ? string.Empty : "[" + string.Join(", ", sets.Select((s, i) => members[s][position[i]])) + "]";
}
