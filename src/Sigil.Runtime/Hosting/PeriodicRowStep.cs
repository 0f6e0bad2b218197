using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The daemon's periodic solve of per-agent rows that hold decided terms as well as sensed ones:
/// <c>couple @lease[t] &gt;= $hold[t] + $grant[t];</c> with <c>$hold</c> sensed and <c>$grant</c>
/// decided by its utility. Each tick that brings a new sample, the agents with a sensed load
/// become one instance of the fibre's problem, with the sensed loads as data:
/// <code>
///   maximise  sum_t sum_j U_j(y_tj)
///   subject to  sum_j b_rj y_tj &lt;= c_r - clamp(a_r x_t, 0, LoadMax)    (every agent t, every row r)
///               y_tj in [m_j, M_j]
/// </code>
/// built as a <see cref="NumProblem{TAgents}"/> over <see cref="MixedAgents"/> (columns agent-major,
/// rows agent-major in fibre order, as the generated code lays out a fibre's instance) and solved
/// by the fibre's method. The price of row r of agent t is that solve's price, capped at
/// <see cref="DaemonFibre.PriceMax"/>; actuators act on it as on an online price.
/// </summary>
/// <remarks>
/// The penalty method is run with its weight fixed (no growth): a measured load may alone exceed
/// a budget, and the penalised optimum then still has a finite price, <c>mu</c> times the row's
/// overload, which is what the daemon should act on. ADMM solves feasible instances only: an agent
/// whose sensed load leaves its decided variables no room (the row cannot hold at any decision)
/// is left out of that period's solve and keeps its price; the step's primal residual reports its
/// overload (docs/daemon.md says so).
/// </remarks>
public sealed class PeriodicRowStep : ISolverStep
{
    private readonly DaemonFibre _fibre;
    private readonly PeriodicSolve _solve;
    private readonly string[] _decided;
    private readonly int[][] _rowColumns;
    private readonly double[] _leastLoad;
    private readonly Dictionary<int, double[]> _sensed = [];

    /// <summary>The step for <paramref name="fibre"/>, which must have a <see cref="DaemonFibre.Periodic"/> solve.</summary>
    public PeriodicRowStep(DaemonFibre fibre)
    {
        _fibre = fibre ?? throw new ArgumentNullException(nameof(fibre));
        _solve = fibre.Periodic ?? throw new ArgumentException($"fibre '{fibre.Name}' is not solved per period", nameof(fibre));

        // One column per agent and distinct decided variable; each row's terms point at theirs.
        _decided = fibre.Rows.SelectMany(r => r.Decided ?? []).Select(d => d.Variable).Distinct(StringComparer.Ordinal).ToArray();
        _rowColumns = fibre.Rows.Select(r => (r.Decided ?? []).Select(d => Array.IndexOf(_decided, d.Variable)).ToArray()).ToArray();

        // The least load each row's decided terms can put on it, within their bounds.
        _leastLoad = fibre.Rows.Select(r => (r.Decided ?? []).Sum(d => d.Coefficient >= 0 ? d.Coefficient * d.Lower : d.Coefficient * d.Upper)).ToArray();
    }

    /// <inheritdoc/>
    public string Name => _solve.Method == SolverKind.Penalty ? "penalty (per period)" : "admm (per period)";

    /// <summary>The latest solve's result, or null before the first.</summary>
    public SolverResult? Last { get; private set; }

    /// <inheritdoc/>
    public SolverStepResult Step(SensorFrame frame, AgentTable agents, long tick)
    {
        var changed = false;
        foreach (var observation in frame.Agents)
        {
            if (observation.Completed.Count == 0 || agents.Get(observation.Agent, observation.StartTime, observation.Name) is not { } state)
            {
                continue;
            }

            var sample = observation.Completed[^1];
            var loads = _sensed.TryGetValue(state.Agent, out var known) ? known : _sensed[state.Agent] = new double[_fibre.Rows.Count];
            for (var r = 0; r < _fibre.Rows.Count; r++)
            {
                var row = _fibre.Rows[r];
                if (string.Equals(row.Variable, frame.Variable, StringComparison.Ordinal))
                {
                    loads[r] = Math.Clamp(row.Coefficient * sample, 0, _fibre.LoadMax);
                }
            }

            state.LastSeenTick = tick;
            state.LastSample = sample;
            state.LastActiveTick = tick;
            changed = true;
        }

        // Agents the table forgot leave the instance.
        foreach (var gone in _sensed.Keys.Where(a => agents.Find(a) is null).ToList())
        {
            _sensed.Remove(gone);
            changed = true;
        }

        if (!changed || _sensed.Count == 0)
        {
            return new SolverStepResult(0, 0, 0);
        }

        // ADMM solves feasible instances: an agent whose sensed load alone leaves its decided
        // variables no room is left out and keeps its price (the penalty method prices it).
        var rows = _fibre.Rows.Count;
        double dual = 0, overload = 0;
        var order = new List<int>();
        foreach (var agent in _sensed.Keys.Order())
        {
            var excess = _solve.Method == SolverKind.Admm ? Enumerable.Range(0, rows).Max(r => _sensed[agent][r] + _leastLoad[r] - _fibre.Rows[r].Budget) : 0;
            if (excess > 0)
            {
                overload = Math.Max(overload, excess);
                var state = agents.Find(agent)!;
                for (var r = 0; r < rows; r++)
                {
                    state.Loads[r] = _sensed[agent][r] + _leastLoad[r];
                }
            }
            else
            {
                order.Add(agent);
            }
        }

        if (order.Count == 0)
        {
            return new SolverStepResult(0, overload, 0);
        }

        var result = Solve(order.Select(a => _sensed[a]).ToArray());
        Last = result;
        for (var i = 0; i < order.Count; i++)
        {
            var state = agents.Find(order[i])!;
            for (var r = 0; r < rows; r++)
            {
                var price = Math.Min(_fibre.PriceMax, Math.Max(0, result.Prices[(i * rows) + r]));
                dual = Math.Max(dual, Math.Abs(price - state.Prices[r]));
                state.Prices[r] = price;
                state.Loads[r] = _sensed[order[i]][r] + result.Loads[(i * rows) + r];
            }
        }

        return new SolverStepResult(result.Iterations, Math.Max(overload, result.PrimalResidual), dual);
    }

    /// <summary>
    /// Solves the instance of agents whose sensed row loads are <paramref name="sensedLoads"/>
    /// (one array per agent, in row order), by the fibre's method and settings.
    /// </summary>
    public SolverResult Solve(IReadOnlyList<double[]> sensedLoads)
    {
        ArgumentNullException.ThrowIfNull(sensedLoads);
        var n = sensedLoads.Count;
        var rows = _fibre.Rows.Count;
        var k = _decided.Length;
        var kind = new UtilityKind[n * k];
        var weight = new double[n * k];
        var offset = new double[n * k];
        var shape = new double[n * k];
        var lower = new double[n * k];
        var upper = new double[n * k];
        var capacity = new double[n * rows];
        var senses = new RowSense[n * rows];
        var triplets = new List<(int Row, int Column, double Value)>();
        for (var i = 0; i < n; i++)
        {
            for (var r = 0; r < rows; r++)
            {
                var row = _fibre.Rows[r];
                capacity[(i * rows) + r] = row.Budget - sensedLoads[i][r];
                var terms = row.Decided ?? [];
                for (var j = 0; j < terms.Count; j++)
                {
                    var term = terms[j];
                    var column = (i * k) + _rowColumns[r][j];
                    triplets.Add(((i * rows) + r, column, term.Coefficient));
                    (kind[column], weight[column], offset[column], shape[column], lower[column], upper[column]) =
                        (term.Utility, term.Weight, term.Offset, term.Shape, term.Lower, term.Upper);
                }
            }
        }

        var problem = new NumProblem<MixedAgents>(
            CouplingMatrix.FromTriplets(n * rows, n * k, triplets.Select(t => t.Row).ToArray(), triplets.Select(t => t.Column).ToArray(), triplets.Select(t => t.Value).ToArray()),
            capacity,
            senses,
            new MixedAgents(kind, weight, offset, shape, lower, upper));
        return _solve.Method == SolverKind.Penalty
            ? new PenaltySolver<MixedAgents>(problem, new PenaltyOptions
            {
                Mu = _solve.Parameter,
                MuGrowth = 1,
                AbsoluteTolerance = _solve.AbsoluteTolerance,
                RelativeTolerance = _solve.RelativeTolerance,
                FeasibilityTolerance = _solve.FeasibilityTolerance,
                MaxIterations = _solve.MaxIterations,
            }).Solve()
            : new AdmmSolver<MixedAgents>(problem, new AdmmOptions
            {
                Rho = _solve.Parameter,
                AdaptiveRho = !_solve.FixedRho,
                AbsoluteTolerance = _solve.AbsoluteTolerance,
                RelativeTolerance = _solve.RelativeTolerance,
                FeasibilityTolerance = _solve.FeasibilityTolerance,
                MaxIterations = _solve.MaxIterations,
            }).Solve();
    }
}
