using System;
using System.Collections.Generic;

namespace Sigil.Cluster;

/// <summary>
/// The numbers of one cluster row, as the fibre declares them, and the protocol's timing.
/// Every node and the updater must run with the same row numbers (they come from the same fibre).
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The fibre's name; keys live under <c>/sigil/{fibre}/{resource}/</c> unless <see cref="Prefix"/> says otherwise.</summary>
    public required string Fibre { get; init; }

    /// <summary>The cluster resource.</summary>
    public required string Resource { get; init; }

    /// <summary>The cluster budget B.</summary>
    public required double Budget { get; init; }

    /// <summary>The most nodes the fibre declares (<c>cluster max N</c>); keys of further nodes are ignored and counted.</summary>
    public required int MaxNodes { get; init; }

    /// <summary>The dual step gamma of the cluster price (unused under ADMM, <see cref="AdmmRho"/>).</summary>
    public required double Step { get; init; }

    /// <summary>
    /// The ADMM penalty rho when the fibre asks for <c>solve admm</c> (the sharing form of
    /// consensus ADMM, <see cref="ClusterAdmm"/>); null for the dual price search.
    /// </summary>
    public double? AdmmRho { get; init; }

    /// <summary>The largest cluster load one node can put (its jobs at their upper bounds): a larger load is corrupt.</summary>
    public required double NodeLoadMax { get; init; }

    /// <summary>The least cluster load a node's jobs' lower bounds force (budget held for a node before it joins).</summary>
    public double NodeFloor { get; init; }

    /// <summary>The key prefix (default <c>/sigil/{fibre}/{resource}</c>).</summary>
    public string? Prefix { get; init; }

    /// <summary>Time between two rounds.</summary>
    public TimeSpan Round { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The node lease's time to live: a dead node's load stops counting this long after its last keep-alive.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A node that has not reached etcd for this long says it runs on its local budget (its last granted share).</summary>
    public TimeSpan FallbackAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Rounds the updater keeps holding a missing node's share. A node cut off from etcd for
    /// <see cref="FloorAfter"/> drops to its floor, which is no later than the updater gives the
    /// share away (the updater counts missing rounds only after the node's lease expired).
    /// </summary>
    public int ReserveRounds { get; init; } = 40;

    /// <summary>
    /// Node rounds (two per round) over which a node back in touch with etcd after a fallback
    /// raises its cap linearly from what it applied while cut off to its grant (a decrease applies at once).
    /// </summary>
    public int RejoinRounds { get; init; } = 10;

    /// <summary>Deadline of one etcd request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node cut off from etcd keeps its last share before it drops to its floor.</summary>
    public TimeSpan FloorAfter => Round * ReserveRounds;

    /// <summary>The key prefix in force.</summary>
    public string KeyPrefix => Prefix ?? $"/sigil/{Fibre}/{Resource}";

    /// <summary>Problems with the numbers (none for settings built from a checked fibre).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(Budget >= 0) || !double.IsFinite(Budget))
        {
            problems.Add($"cluster budget {Budget} must be finite and >= 0");
        }

        if (MaxNodes < 1)
        {
            problems.Add($"cluster node count {MaxNodes} must be at least 1");
        }

        if (AdmmRho is null && (!(Step > 0) || !double.IsFinite(Step)))
        {
            problems.Add($"cluster step {Step} must be positive and finite");
        }

        if (AdmmRho is { } rho && !(rho > 0 && double.IsFinite(rho)))
        {
            problems.Add($"ADMM rho {rho} must be positive and finite");
        }

        if (!(NodeLoadMax > 0) || !double.IsFinite(NodeLoadMax))
        {
            problems.Add($"node load bound {NodeLoadMax} must be positive and finite");
        }

        if (!(NodeFloor >= 0) || NodeFloor * MaxNodes > Budget)
        {
            problems.Add($"{MaxNodes} nodes at their floor {NodeFloor} need more than the budget {Budget}");
        }

        if (Round <= TimeSpan.Zero || LeaseTtl < TimeSpan.FromSeconds(1) || FallbackAfter <= TimeSpan.Zero || ReserveRounds < 1 || RejoinRounds < 0)
        {
            problems.Add("round, fallback and reserve must be positive and the lease at least 1 s (etcd's unit)");
        }

        return problems;
    }
}
