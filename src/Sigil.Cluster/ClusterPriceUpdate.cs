using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Sigil.Cluster;

/// <summary>A load key the updater did not count, and why.</summary>
/// <param name="Node">The node named by the key.</param>
/// <param name="Reason">What was wrong.</param>
public readonly record struct IgnoredLoad(string Node, string Reason);

/// <summary>The outcome of one round's update.</summary>
/// <param name="Record">The next record.</param>
/// <param name="Ignored">The keys not counted.</param>
/// <param name="Live">The nodes counted.</param>
/// <param name="Excess">Desired cluster load minus what is available to the live nodes.</param>
public sealed record ClusterRound(PriceRecord Record, IReadOnlyList<IgnoredLoad> Ignored, int Live, double Excess);

/// <summary>
/// The cluster row's update, once per round, as a pure function of the previous record and the
/// load keys of one etcd revision, so that a new updater continues exactly where the old one stopped.
/// </summary>
/// <remarks>
/// <para>Price. Every node solves its local problem exactly, so its desired load d_n(lambda) is
/// non-increasing in the price and the cluster's dual is one-dimensional per cluster row: the
/// updater finds the root of the excess demand <c>sum_n d_n(lambda) - B</c> by Newton steps on
/// the nodes' summed slopes (each node publishes d d_n / d lambda with its load), safeguarded by the
/// bracket of the root (log-scale bisection, regula falsi). It moves the price only on a fresh
/// aggregate (the nodes yet to answer the current price carry at most <see cref="LagFraction"/>
/// of the load).</para>
/// <para>Shares. Whatever the price, the cluster total stays within B: each node caps its cluster
/// load at its granted share. Shares follow the desired loads (rationed proportionally when they
/// exceed the budget, the spare split evenly otherwise); a decrease is granted at once, an increase
/// only out of budget that no node may still be using: the updater holds, per node, the largest
/// share granted since the round the node last acknowledged, and keeps the sum of these holds plus
/// the floors of nodes yet to join within B. A node whose key is gone keeps its hold for
/// <see cref="ClusterSettings.ReserveRounds"/> (plus two) rounds: it may be cut off rather than
/// dead, and then runs on that share until it drops to its floor.</para>
/// </remarks>
public static class ClusterPriceUpdate
{
    /// <summary>Relative tolerance of the excess demand at which the price is taken as converged.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Rounds a live node may lag behind the current price before the updater stops waiting for it.</summary>
    public const int StragglerRounds = 4;

    /// <summary>
    /// The share of the desired load that nodes yet to answer the current price may carry for the
    /// aggregate to count as fresh (with few nodes, one node is more than this: all must answer).
    /// </summary>
    public const double LagFraction = 0.01;

    /// <summary>The longest node name a key may carry.</summary>
    public const int MaxNodeName = 63;

    /// <summary>Computes the next round.</summary>
    /// <param name="settings">The cluster row.</param>
    /// <param name="previous">The last record, or null before the first round.</param>
    /// <param name="loads">The load keys of one revision: node name to raw value.</param>
    /// <param name="updater">The updater's node name, written into the record.</param>
    public static ClusterRound Next(ClusterSettings settings, PriceRecord? previous, IReadOnlyDictionary<string, string> loads, string updater)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loads);
        var round = (previous?.Round ?? 0) + 1;
        var before = previous?.Nodes ?? new SortedDictionary<string, NodeGrant>(StringComparer.Ordinal);
        var search = previous?.Search ?? PriceSearch.Start;
        var price = previous?.Price ?? 0;

        // 1. Read and check every key; known nodes come first when the declared node count is reached.
        var ignored = new List<IgnoredLoad>();
        var live = new SortedDictionary<string, LoadRecord>(StringComparer.Ordinal);
        var capacityLeft = settings.MaxNodes - before.Count;
        foreach (var (node, raw) in loads.OrderBy(kv => before.ContainsKey(kv.Key) ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (Check(settings, node, raw, previous?.Round ?? 0, out var load) is { } problem)
            {
                ignored.Add(new IgnoredLoad(node, problem));
                continue;
            }

            if (!before.ContainsKey(node))
            {
                if (capacityLeft <= 0)
                {
                    ignored.Add(new IgnoredLoad(node, $"the fibre declares at most {settings.MaxNodes} nodes"));
                    continue;
                }

                capacityLeft--;
            }

            live.Add(node, load!);
        }

        // 2. What each node may still be using, and which nodes the budget must still hold for.
        var entries = new SortedDictionary<string, (double HeldBefore, double Desired, int Missing, bool Live)>(StringComparer.Ordinal);
        foreach (var (node, grant) in before)
        {
            if (live.TryGetValue(node, out var load))
            {
                var acked = load.Round >= (previous?.Round ?? 0);
                entries[node] = (acked ? grant.Share : grant.Held, load.Load, 0, true);
            }
            else if (grant.Missing + 1 <= settings.ReserveRounds + 2)
            {
                entries[node] = (grant.Held, 0, grant.Missing + 1, false);
            }
        }

        foreach (var (node, load) in live)
        {
            if (!entries.ContainsKey(node))
            {
                // A joining node runs at its floor until it reads its first grant.
                entries[node] = (Math.Max(settings.NodeFloor, 0), load.Load, 0, true);
            }
        }

        var unknownFloors = Math.Max(0, settings.MaxNodes - entries.Count) * settings.NodeFloor;
        var missingHeld = entries.Values.Where(e => !e.Live).Sum(e => e.HeldBefore);
        var available = Math.Max(0, settings.Budget - unknownFloors - missingHeld);
        var liveCount = entries.Values.Count(e => e.Live);
        var desired = entries.Values.Where(e => e.Live).Sum(e => e.Desired);

        // 3. Shares: targets from the desired loads, decreases at once, increases out of free budget.
        var room = Math.Max(0, settings.Budget - unknownFloors - entries.Values.Sum(e => e.HeldBefore));
        var targets = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (node, e) in entries)
        {
            targets[node] = !e.Live ? e.HeldBefore
                : desired <= available ? e.Desired + ((available - desired) / liveCount)
                : e.Desired * (available / desired);
        }

        var increase = entries.Sum(kv => Math.Max(0, targets[kv.Key] - kv.Value.HeldBefore));
        var granted = increase > 0 ? Math.Min(1, room / increase) : 1;
        var nodes = new SortedDictionary<string, NodeGrant>(StringComparer.Ordinal);
        foreach (var (node, e) in entries)
        {
            var target = targets[node];
            var share = target <= e.HeldBefore ? target : e.HeldBefore + (granted * (target - e.HeldBefore));
            nodes[node] = new NodeGrant(share, Math.Max(e.HeldBefore, share), e.Desired, e.Missing);
        }

        // 4. Price: only on a fresh aggregate (every live node, stragglers aside, answered the current price).
        var members = ClusterRecordKeys.Fingerprint(live.Keys);
        if (!string.Equals(members, search.Members, StringComparison.Ordinal))
        {
            search = PriceSearch.Start with { PricedRound = search.PricedRound, Members = members };
        }

        var excess = desired - available;
        // Fresh: the nodes that have not yet answered the current price (stragglers aside) carry at
        // most LagFraction of the desired load. Waiting for every one of N nodes stalls the price
        // as N grows (at 1,000 nodes some node is nearly always a round behind); a stale load from
        // a small fraction of the nodes shifts the excess by at most that fraction of the demand.
        var lagging = live.Values.Where(l => l.Round < search.PricedRound && round - l.Round <= StragglerRounds).Sum(l => l.Load);
        var fresh = liveCount > 0 && live.Values.Any(l => l.Round >= search.PricedRound)
            && (live.Values.All(l => l.Round >= search.PricedRound || round - l.Round > StragglerRounds) || lagging <= LagFraction * desired);
        AdmmState? admm = null;
        if (settings.AdmmRho is { } rho)
        {
            // ADMM: the iterate moves once every live node answered it; the price is rho u.
            admm = previous?.Admm ?? ClusterAdmm.Start;
            if (previous is not null && ClusterAdmm.Step(admm, live.Values, available, round) is { } next)
            {
                admm = next;
                price = rho * next.U;
                search = search with { Converged = ClusterAdmm.Converged(next, available), PricedRound = round };
            }
        }
        else if (fresh && previous is not null)
        {
            var slope = live.Values.Sum(l => l.Slope);
            (price, search) = Search(settings, price, excess, slope, liveCount, available, search, round);
        }

        var record = new PriceRecord(round, price, settings.Budget, updater, nodes, ignored.Count, search, admm);
        return new ClusterRound(record, ignored, liveCount, excess);
    }

    /// <summary>Parses and checks one load key: null when it may be counted, else what is wrong.</summary>
    public static string? Check(ClusterSettings settings, string node, string raw, long currentRound, out LoadRecord? record)
    {
        record = null;
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(node) || node.Length > MaxNodeName || node.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return $"node name '{Printable(node)}' is not [A-Za-z0-9._-]{{1,{MaxNodeName}}}";
        }

        LoadRecord? load;
        try
        {
            load = JsonSerializer.Deserialize(raw, ClusterJsonContext.Default.LoadRecord);
        }
        catch (JsonException e)
        {
            return $"corrupt value: {e.Message}";
        }

        if (load is null)
        {
            return "corrupt value: null";
        }

        if (!double.IsFinite(load.Load) || !double.IsFinite(load.Applied) || !double.IsFinite(load.Floor))
        {
            return $"load {load.Load} (applied {load.Applied}, floor {load.Floor}) is not a finite number";
        }

        if (load.Load < 0 || load.Applied < 0 || load.Floor < 0)
        {
            return $"load {load.Load} (applied {load.Applied}, floor {load.Floor}) is negative";
        }

        if (load.Load > settings.NodeLoadMax * (1 + 1e-9) || load.Applied > settings.NodeLoadMax * (1 + 1e-9))
        {
            return $"load {load.Load} is above one node's bound {settings.NodeLoadMax}";
        }

        if (!double.IsFinite(load.Slope) || load.Slope > 0)
        {
            return $"slope {load.Slope} is not a finite number <= 0 (a node's load cannot rise with the price)";
        }

        if (load.Round < 0 || load.Round > currentRound)
        {
            return $"acknowledges round {load.Round}, but the cluster is at round {currentRound}";
        }

        record = load;
        return null;
    }

    // One price move on a fresh aggregate: Newton on the excess demand with the nodes' summed
    // slopes (the dual step scaled by the aggregate curvature, so the step does not grow with the
    // number of nodes), safeguarded by the bracket of the root; where no node's load responds at
    // this price (slope 0), an expansion by the fibre's dual step per node, doubling.
    private static (double Price, PriceSearch Search) Search(ClusterSettings settings, double price, double excess, double slope, int liveCount, double available, PriceSearch s, long round)
    {
        var tolerance = Tolerance * Math.Max(available, 1e-6 * settings.NodeLoadMax);
        if (Math.Abs(excess) <= tolerance || (price <= 0 && excess <= 0))
        {
            return (price, s with { Converged = true, PricedRound = s.PricedRound });
        }

        s = s with { Converged = false };
        if ((excess > 0 && s.High >= 0 && price >= s.High) || (excess < 0 && s.LowExcess > 0 && price <= s.Low))
        {
            // The loads moved under the bracket (jobs changed): search again from here.
            s = PriceSearch.Start with { Members = s.Members };
        }

        // A bracket end is known once a price on that side has been measured since the search
        // (re)started: Low by a positive excess, High by a non-negative price with a negative one.
        var side = excess > 0 ? 1 : -1;
        if (excess > 0)
        {
            var halve = s.LastSide == 1 && s.High >= 0;
            s = s with { Low = price, LowExcess = excess, HighExcess = halve ? s.HighExcess / 2 : s.HighExcess };
        }
        else
        {
            var halve = s.LastSide == -1 && s.LowExcess > 0;
            s = s with { High = price, HighExcess = excess, LowExcess = halve ? s.LowExcess / 2 : s.LowExcess };
        }

        var newton = slope < 0 ? price - (excess / slope) : double.NaN;
        var bracketed = s.High >= 0 && s.LowExcess > 0;
        double next;
        if (bracketed)
        {
            var margin = 1e-3 * (s.High - s.Low);
            if (newton > s.Low + margin && newton < s.High - margin)
            {
                next = newton;
            }
            else if (s.Low > 0 && s.High > 10 * s.Low)
            {
                // A bracket over more than a decade: bisect on the log scale.
                next = Math.Sqrt(s.Low * s.High);
            }
            else if (s.Low >= s.High)
            {
                next = 0.5 * (s.Low + s.High);
            }
            else
            {
                next = s.Low - (s.LowExcess * (s.High - s.Low) / (s.HighExcess - s.LowExcess));
                if (!(next > s.Low + margin && next < s.High - margin))
                {
                    next = 0.5 * (s.Low + s.High);
                }
            }

            s = s with { Stride = 0 };
        }
        else if (double.IsFinite(newton) && (side > 0 ? newton > price : newton < price))
        {
            // One end unknown: Newton, but at most a decade per round, so a nearly flat aggregate
            // (few loads respond yet) cannot throw the price far past the root.
            next = side > 0 ? Math.Min(newton, Math.Max(10 * price, price + (settings.Step * excess / liveCount))) : Math.Max(newton, 0.1 * price);
            s = s with { Stride = Math.Abs(next - price) };
        }
        else
        {
            // No load responds at this price: expand towards the unknown end by the fibre's dual
            // step times the excess per live node (the same first move at 3 nodes as at 1,000),
            // doubling the stride while the excess keeps its sign.
            var stride = s.LastSide == side && s.Stride > 0 ? 2 * s.Stride : settings.Step * Math.Abs(excess) / Math.Max(1, liveCount);
            next = price + (side * stride);
            s = s with { Stride = stride };
        }

        s = s with { LastSide = side };
        if (!double.IsFinite(next) || next < 0)
        {
            next = 0;
        }

        return (next, s with { PricedRound = round });
    }

    private static string Printable(string text) =>
        new(text.Take(MaxNodeName).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
