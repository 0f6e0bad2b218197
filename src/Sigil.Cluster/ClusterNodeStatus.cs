namespace Sigil.Cluster;

/// <summary>How a node stands with the cluster.</summary>
public enum ClusterMode
{
    /// <summary>Not yet granted a share: it runs at its floor.</summary>
    Joining,

    /// <summary>It reads the cluster price and its share every round.</summary>
    Joined,

    /// <summary>etcd has been out of reach longer than the fallback bound: it runs on its last granted share.</summary>
    Fallback,

    /// <summary>Out of reach so long that the updater may have given its share away: it runs at its floor.</summary>
    Floor,
}

/// <summary>One node's view after a round. Value-equatable.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Mode">Its standing.</param>
/// <param name="Round">The last record round it read.</param>
/// <param name="Price">The cluster price it applies.</param>
/// <param name="Share">Its granted share of the cluster budget.</param>
/// <param name="Cap">The cap on its cluster load in force (its share, or its floor).</param>
/// <param name="Desired">Its desired cluster load at the price (no cap).</param>
/// <param name="Applied">The cluster load it applies.</param>
/// <param name="NodePrice">The price of its own row.</param>
/// <param name="Updater">True while it is the elected updater.</param>
/// <param name="ContactAge">Seconds since it last reached etcd.</param>
/// <param name="Failures">etcd operations that failed so far.</param>
/// <param name="Requests">etcd requests sent so far.</param>
/// <param name="Ignored">Load keys this node ignored while it was the updater, in total.</param>
/// <param name="Gain">The fitted gain of sensed over modelled cluster load (1 without a sensed reading): the loads above are in sensed units.</param>
/// <param name="Offset">The fitted offset: the sensed load beside the jobs (0 without a sensed reading).</param>
/// <param name="Model">The modelled cluster load of the allocation applied (the fibre's coefficients, no gain, no offset; 0 before the first).</param>
public sealed record ClusterNodeStatus(
    string Node,
    ClusterMode Mode,
    long Round,
    double Price,
    double Share,
    double Cap,
    double Desired,
    double Applied,
    double NodePrice,
    bool Updater,
    double ContactAge,
    long Failures,
    long Requests,
    long Ignored,
    double Gain = 1,
    double Offset = 0,
    double Model = 0);
