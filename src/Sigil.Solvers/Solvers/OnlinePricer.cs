using System;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// The online (sensed) dual pricer: each tick the loads <c>a_l x</c> are measured (for dwell, the
/// seconds a process held its files) rather than computed, and every row's price follows
/// Dwell-Fiber's update <c>pi_l &lt;- [pi_l + gamma_l (load_l - c_l)]+</c> (unprojected on <c>==</c>
/// rows). No agent step is computed here: the agents are real processes that respond to the
/// exported prices.
/// </summary>
/// <remarks>
/// Allocation-free after construction, deterministic, not thread-safe. The bounded-drift
/// certificate of the projected update applies with <c>G</c> bounding the sensed load error.
/// </remarks>
public sealed class OnlinePricer
{
    private readonly double[] _capacity;
    private readonly RowSense[] _senses;
    private readonly double[] _step;
    private readonly double[] _price;

    /// <summary>Creates a pricer with one step <paramref name="step"/> for every row.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a budget, step or price is out of range.</exception>
    public OnlinePricer(double[] capacity, RowSense[] senses, double step, ReadOnlySpan<double> initialPrices = default)
        : this(capacity, senses, Fill(capacity, step), initialPrices)
    {
    }

    /// <summary>Creates a pricer with a step per row.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a budget, step or price is out of range.</exception>
    public OnlinePricer(double[] capacity, RowSense[] senses, ReadOnlySpan<double> steps, ReadOnlySpan<double> initialPrices = default)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(senses);
        int rows = capacity.Length;
        CouplingMatrix.CheckLength(senses.Length, rows, nameof(senses));
        CouplingMatrix.CheckLength(steps.Length, rows, nameof(steps));
        if (!initialPrices.IsEmpty)
        {
            CouplingMatrix.CheckLength(initialPrices.Length, rows, nameof(initialPrices));
        }

        _capacity = capacity;
        _senses = senses;
        _step = steps.ToArray();
        _price = new double[rows];
        for (int l = 0; l < rows; l++)
        {
            if (!double.IsFinite(capacity[l]))
            {
                throw new ArgumentException($"Row {l}: budget {capacity[l]} is not finite.", nameof(capacity));
            }

            if (!(_step[l] > 0) || !double.IsFinite(_step[l]))
            {
                throw new ArgumentException($"Row {l}: step must be finite and > 0, got {_step[l]}.", nameof(steps));
            }

            double p = initialPrices.IsEmpty ? 0 : initialPrices[l];
            if (!double.IsFinite(p) || (senses[l] == RowSense.LessOrEqual && p < 0))
            {
                throw new ArgumentException($"Row {l}: initial price {p} is out of range.", nameof(initialPrices));
            }

            _price[l] = p;
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count => _price.Length;

    /// <summary>The current prices.</summary>
    public ReadOnlySpan<double> Prices => _price;

    /// <summary>Ticks applied so far (whole-vector updates).</summary>
    public long Ticks { get; private set; }

    /// <summary>The budgets (live: edits apply to the next update).</summary>
    public double[] Capacity => _capacity;

    /// <summary>One tick: every row's price moves against its measured overload.</summary>
    /// <exception cref="ArgumentException">The load vector has the wrong length.</exception>
    public void Update(ReadOnlySpan<double> loads)
    {
        CouplingMatrix.CheckLength(loads.Length, _price.Length, nameof(loads));
        for (int l = 0; l < _price.Length; l++)
        {
            _price[l] = Next(l, loads[l]);
        }

        Ticks++;
    }

    /// <summary>
    /// Updates one row from its measured load (an event-driven sensor, e.g. one process's file
    /// closing) and returns its new price. Non-finite loads are ignored (the price is kept).
    /// </summary>
    public double Update(int row, double load)
    {
        _price[row] = Next(row, load);
        return _price[row];
    }

    /// <summary>The path price <c>q_s = sum_l A_ls pi_l</c> an agent sees.</summary>
    public double PathPrice(CouplingMatrix coupling, int agent)
    {
        ArgumentNullException.ThrowIfNull(coupling);
        return coupling.PathPrice(agent, _price);
    }

    /// <summary>Sets every price (for example, restored from persisted state).</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length or a price is out of range.</exception>
    public void SetPrices(ReadOnlySpan<double> prices)
    {
        CouplingMatrix.CheckLength(prices.Length, _price.Length, nameof(prices));
        for (int l = 0; l < prices.Length; l++)
        {
            if (!double.IsFinite(prices[l]) || (_senses[l] == RowSense.LessOrEqual && prices[l] < 0))
            {
                throw new ArgumentException($"Row {l}: price {prices[l]} is out of range.", nameof(prices));
            }
        }

        prices.CopyTo(_price);
    }

    private double Next(int l, double load)
    {
        if (!double.IsFinite(load))
        {
            return _price[l];
        }

        double p = _price[l] + _step[l] * (load - _capacity[l]);
        return _senses[l] == RowSense.LessOrEqual && p < 0 ? 0 : p;
    }

    private static double[] Fill(double[] capacity, double step)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        var steps = new double[capacity.Length];
        Array.Fill(steps, step);
        return steps;
    }
}
