using System;
using System.Collections.Generic;
using System.Diagnostics;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>One solve of a placement over some threads.</summary>
/// <param name="Threads">How many threads were placed (n).</param>
/// <param name="Domains">How many domains (D).</param>
/// <param name="Shares">x[t, d] at index <c>t * D + d</c>.</param>
/// <param name="Prices">The price of resource r at domain d at index <c>r * D + d</c>.</param>
/// <param name="Loads">The load of resource r at domain d at index <c>r * D + d</c>.</param>
/// <param name="Capacities">The capacities solved with (after <paramref name="Scale"/>) at index <c>r * D + d</c>.</param>
/// <param name="AssignmentPrices">The price of each thread's row (its placement's marginal worth).</param>
/// <param name="Scale">The factor every capacity was multiplied by so that the threads fit (1 when they fit as given).</param>
/// <param name="Result">The engine's result: iterations, residuals, convergence.</param>
/// <param name="Elapsed">Time spent building and solving.</param>
public sealed record PlacementSolution(
    int Threads,
    int Domains,
    double[] Shares,
    double[] Prices,
    double[] Loads,
    double[] Capacities,
    double[] AssignmentPrices,
    double Scale,
    SolverResult? Result,
    TimeSpan Elapsed)
{
    /// <summary>x[t, d].</summary>
    public double Share(int thread, int domain) => Shares[(thread * Domains) + domain];
}

/// <summary>
/// A placement's instance over n threads, the layout the compiler gives the fibre's
/// <c>CreateProblem</c>: the variables <c>$x[t, d]</c> row-major (thread outer), then the rows in
/// fibre order, each shared resource once per domain and the assignment row once per thread. It
/// is solved by <see cref="AdmmSolver{TAgents}"/> with the fibre's settings, warm-started from the
/// previous prices, through <see cref="TunableProblem{TAgents}"/> as a generated fibre's <c>Instance</c> is. The matrix depends only on n, so the solver is kept while n stays the same.
/// </summary>
public sealed class PlacementProblem
{
    /// <summary>
    /// When the threads do not fit, capacities are scaled so that they would use this share of
    /// them: a strictly feasible instance, whose prices do not depend on the solver's path the way
    /// those of an exactly full one do.
    /// </summary>
    public const double OvercommitUse = 0.95;

    private readonly PlacementDescription _placement;
    private readonly AdmmOptions _options;
    private NumProblem<MixedAgents>? _problem;
    private TunableProblem<MixedAgents>? _tunable;
    private int _threads = -1;

    /// <summary>The instance family of <paramref name="placement"/>.</summary>
    public PlacementProblem(PlacementDescription placement)
    {
        _placement = placement ?? throw new ArgumentNullException(nameof(placement));
        _options = PlacementSettings.Options(placement);
    }

    /// <summary>The placement.</summary>
    public PlacementDescription Placement => _placement;

    /// <summary>The instance of the latest solve (its capacities as solved), or null before the first; for benchmarks.</summary>
    internal NumProblem<MixedAgents>? LastInstance => _problem;

    /// <summary>The row count of an instance over <paramref name="threads"/> threads.</summary>
    public int RowCount(int threads) => (_placement.Resources.Count * _placement.DomainCount) + threads;

    /// <summary>
    /// The factor capacities are multiplied by for <paramref name="threads"/> threads: 1 when they
    /// fit (<see cref="PlacementDescription.ThreadsThatFit"/>), else threads / (fit * <see cref="OvercommitUse"/>),
    /// the same for every capacity, so that the instance stays feasible and the capacities keep
    /// their proportions.
    /// Only an assignment row with <c>==</c> forces every thread in; with <c>&lt;=</c> nothing is scaled.
    /// </summary>
    public double ScaleFor(int threads)
    {
        if (!_placement.Assignment.Equality)
        {
            return 1;
        }

        var fit = _placement.ThreadsThatFit();
        return threads > fit ? threads / (fit * OvercommitUse) : 1;
    }

    /// <summary>
    /// Builds (or reuses) the instance over <paramref name="threads"/> threads and solves it.
    /// <paramref name="domainPrices"/> (R * D, or empty) and <paramref name="assignmentPrices"/>
    /// (n, NaN where unknown) warm-start the solver; with no known price at all it starts cold.
    /// </summary>
    public PlacementSolution Solve(int threads, ReadOnlySpan<double> domainPrices = default, ReadOnlySpan<double> assignmentPrices = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var clock = Stopwatch.StartNew();
        var d = _placement.DomainCount;
        var r = _placement.Resources.Count;
        var scale = ScaleFor(threads);
        var capacities = new double[r * d];
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < d; j++)
            {
                capacities[(i * d) + j] = _placement.Resources[i].Capacity[j] * scale;
            }
        }

        if (threads == 0)
        {
            return new PlacementSolution(0, d, [], new double[r * d], new double[r * d], capacities, [], scale, null, clock.Elapsed);
        }

        if (threads != _threads)
        {
            var (problem, solver) = Build(threads);
            _problem = problem;
            _tunable = new TunableProblem<MixedAgents>(problem, (_, prices) => solver.Solve(prices));
            _threads = threads;
        }

        // The capacities go in through the run-time parameter API, each checked (a NaN or an
        // infinite capacity from the description is refused by name, never solved).
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < d; j++)
            {
                _tunable!.SetCapacity((i * d) + j, capacities[(i * d) + j], "@" + _placement.Resources[i].Name + "[" + j.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
            }
        }

        SolverResult result;
        if (domainPrices.Length == r * d && HasKnown(domainPrices, assignmentPrices))
        {
            var warm = new double[RowCount(threads)];
            domainPrices.CopyTo(warm);
            var known = 0.0;
            var count = 0;
            for (var t = 0; t < assignmentPrices.Length && t < threads; t++)
            {
                if (double.IsFinite(assignmentPrices[t]))
                {
                    known += assignmentPrices[t];
                    count++;
                }
            }

            var guess = count > 0 ? known / count : 0;
            for (var t = 0; t < threads; t++)
            {
                warm[(r * d) + t] = t < assignmentPrices.Length && double.IsFinite(assignmentPrices[t]) ? assignmentPrices[t] : guess;
            }

            result = _tunable!.Solve(warm);
        }
        else
        {
            result = _tunable!.SolveCold();
        }

        var prices = new double[r * d];
        var loads = new double[r * d];
        Array.Copy(result.Prices, prices, r * d);
        Array.Copy(result.Loads, loads, r * d);
        var assignment = new double[threads];
        Array.Copy(result.Prices, r * d, assignment, 0, threads);
        var shares = new double[threads * d];
        Array.Copy(result.X, shares, threads * d);
        return new PlacementSolution(threads, d, shares, prices, loads, capacities, assignment, scale, result, clock.Elapsed);
    }

    /// <summary>
    /// Rounds a solution to one domain per thread, threads in the given order (the busiest first):
    /// each thread goes to the domain holding its largest share; domains whose share is within
    /// <paramref name="tie"/> of the largest count as equal, and among them the thread's
    /// <paramref name="current"/> domain wins while it still has room for it, else the one with the
    /// most room left (the smallest relative use of its tightest resource once the thread is in),
    /// then the lower domain number. Room counts the threads already rounded onto the domain.
    /// </summary>
    /// <param name="solution">The solve.</param>
    /// <param name="current">Per thread, its current domain or -1.</param>
    /// <param name="tie">Shares this close to the largest are ties.</param>
    public int[] Round(PlacementSolution solution, ReadOnlySpan<int> current, double tie = 0.02)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var d = solution.Domains;
        var r = _placement.Resources.Count;
        var used = new double[r * d];
        var targets = new int[solution.Threads];
        for (var t = 0; t < solution.Threads; t++)
        {
            var best = double.NegativeInfinity;
            for (var j = 0; j < d; j++)
            {
                best = Math.Max(best, solution.Share(t, j));
            }

            var mine = t < current.Length ? current[t] : -1;
            var chosen = -1;
            var chosenRoom = double.NegativeInfinity;
            for (var j = 0; j < d; j++)
            {
                if (solution.Share(t, j) < best - tie)
                {
                    continue;
                }

                var room = Room(solution, used, j);
                if (j == mine && room >= 0)
                {
                    chosen = j;
                    break;
                }

                if (chosen < 0 || room > chosenRoom)
                {
                    chosen = j;
                    chosenRoom = room;
                }
            }

            targets[t] = chosen;
            for (var i = 0; i < r; i++)
            {
                used[(i * d) + chosen] += WholeLoad(i, chosen);
            }
        }

        return targets;
    }

    // The load of resource i on domain j from one thread placed wholly there.
    private double WholeLoad(int i, int j) =>
        _placement.Resources[i].Coefficient[j] * _placement.Assignment.Total / _placement.Assignment.Coefficient[j];

    // Once one more thread is placed on domain j: the smallest free fraction over its resources (< 0 when over).
    private double Room(PlacementSolution solution, double[] used, int j)
    {
        var d = solution.Domains;
        var room = double.PositiveInfinity;
        for (var i = 0; i < _placement.Resources.Count; i++)
        {
            var load = WholeLoad(i, j);
            if (load == 0)
            {
                continue;
            }

            var capacity = solution.Capacities[(i * d) + j];
            room = Math.Min(room, capacity > 0 ? (capacity - used[(i * d) + j] - load) / capacity : double.NegativeInfinity);
        }

        return room;
    }

    private static bool HasKnown(ReadOnlySpan<double> domainPrices, ReadOnlySpan<double> assignmentPrices)
    {
        foreach (var p in domainPrices)
        {
            if (!double.IsFinite(p))
            {
                return false;
            }
        }

        foreach (var p in domainPrices)
        {
            if (p != 0)
            {
                return true;
            }
        }

        foreach (var p in assignmentPrices)
        {
            if (double.IsFinite(p))
            {
                return true;
            }
        }

        return false;
    }

    private (NumProblem<MixedAgents> Problem, AdmmSolver<MixedAgents> Solver) Build(int threads)
    {
        var p = _placement;
        var d = p.DomainCount;
        var r = p.Resources.Count;
        var columns = threads * d;
        var kind = new UtilityKind[columns];
        var weight = new double[columns];
        var offset = new double[columns];
        var shape = new double[columns];
        var lower = new double[columns];
        var upper = new double[columns];
        for (var t = 0; t < threads; t++)
        {
            for (var j = 0; j < d; j++)
            {
                var s = (t * d) + j;
                kind[s] = p.Utility.Family;
                weight[s] = p.Utility.Weight[j];
                offset[s] = p.Utility.Offset[j];
                shape[s] = p.Utility.Shape[j];
                lower[s] = p.Lower[j];
                upper[s] = p.Upper[j];
            }
        }

        var entries = (r + 1) * columns;
        var rows = new int[entries];
        var cols = new int[entries];
        var values = new double[entries];
        var rowCount = RowCount(threads);
        var capacity = new double[rowCount];
        var senses = new RowSense[rowCount];
        var k = 0;
        for (var i = 0; i < r; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var row = (i * d) + j;
                for (var t = 0; t < threads; t++)
                {
                    rows[k] = row;
                    cols[k] = (t * d) + j;
                    values[k++] = p.Resources[i].Coefficient[j];
                }

                capacity[row] = p.Resources[i].Capacity[j];
                senses[row] = RowSense.LessOrEqual;
            }
        }

        for (var t = 0; t < threads; t++)
        {
            var row = (r * d) + t;
            for (var j = 0; j < d; j++)
            {
                rows[k] = row;
                cols[k] = (t * d) + j;
                values[k++] = p.Assignment.Coefficient[j];
            }

            capacity[row] = p.Assignment.Total;
            senses[row] = p.Assignment.Equality ? RowSense.Equal : RowSense.LessOrEqual;
        }

        var matrix = CouplingMatrix.FromTriplets(rowCount, columns, rows, cols, values);
        var problem = new NumProblem<MixedAgents>(matrix, capacity, senses, new MixedAgents(kind, weight, offset, shape, lower, upper));
        return (problem, new AdmmSolver<MixedAgents>(problem, _options));
    }
}
