using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace Sigil.Cluster;

/// <summary>
/// What the updater writes once per round under <c>{prefix}/price</c>: the cluster price, and
/// per node the share of the budget it may use and what the updater still holds for it.
/// </summary>
/// <param name="Round">The round, from 1; a node acknowledges the round it applied.</param>
/// <param name="Price">The cluster price lambda &gt;= 0.</param>
/// <param name="Budget">The cluster budget B the record was computed for.</param>
/// <param name="Updater">The node that wrote it.</param>
/// <param name="Nodes">Per node, by name, in ordinal order.</param>
/// <param name="Ignored">Keys ignored in this round (corrupt, NaN, negative, over the node's bound), counted.</param>
/// <param name="Search">Where the price search stands (the bracket of the root of the excess demand).</param>
/// <param name="Admm">The ADMM iterate when the fibre solves by <c>admm</c> (null for the dual search).</param>
public sealed record PriceRecord(long Round, double Price, double Budget, string Updater, SortedDictionary<string, NodeGrant> Nodes, int Ignored, PriceSearch Search, AdmmState? Admm = null);

/// <summary>
/// The updater's half of one sharing-ADMM iteration (<see cref="ClusterAdmm"/>): the scaled dual
/// u and the term every node adds to its prox centre.
/// </summary>
/// <param name="Iteration">The iteration, from 0; a node answers it once with its next x_i.</param>
/// <param name="U">The scaled dual u &gt;= 0 of the cluster row (the price is rho u).</param>
/// <param name="Offset">xbar - zbar + u: node i's prox centre is its last x_i minus this.</param>
/// <param name="Average">xbar, the mean load of the live nodes that answered.</param>
/// <param name="Residual">The primal residual |xbar - zbar| times the node count (load over the budget share).</param>
/// <param name="Change">The dual residual over rho: the node count times the change of zbar (load).</param>
public sealed record AdmmState(long Iteration, double U, double Offset, double Average, double Residual, double Change);

/// <summary>
/// The cluster price search: the excess demand <c>e(lambda) = sum_n d_n(lambda) - B</c> is
/// non-increasing in lambda (every node solves its local problem exactly), so the updater brackets
/// its root and steps by Newton on the nodes' summed slopes, safeguarded by the bracket.
/// </summary>
/// <param name="PricedRound">The round whose price the current one is; a fresh aggregate needs every live node's acknowledgement of it.</param>
/// <param name="Low">The largest price seen with excess demand (e &gt; 0).</param>
/// <param name="LowExcess">e at <paramref name="Low"/> (scaled by the Illinois rule).</param>
/// <param name="High">The least price seen with spare budget (e &lt; 0); negative while none is known.</param>
/// <param name="HighExcess">e at <paramref name="High"/> (scaled by the Illinois rule).</param>
/// <param name="LastSide">+1 when the last update moved <paramref name="Low"/>, -1 for <paramref name="High"/>, 0 at the start.</param>
/// <param name="Members">A fingerprint of the live nodes the bracket was measured with (<see cref="ClusterRecordKeys.Fingerprint"/>); a change restarts the search.</param>
/// <param name="Converged">True when the last fresh excess was within tolerance.</param>
/// <param name="Stride">The last move while one bracket end was unknown (doubled while the excess keeps its sign).</param>
public sealed record PriceSearch(long PricedRound, double Low, double LowExcess, double High, double HighExcess, int LastSide, string Members, bool Converged, double Stride = 0)
{
    /// <summary>The search before any round.</summary>
    public static PriceSearch Start { get; } = new(0, 0, 0, -1, 0, 0, "", false);
}

/// <summary>One node's entry in a <see cref="PriceRecord"/>.</summary>
/// <param name="Share">The share of the cluster budget granted in this round: the node caps its cluster load here.</param>
/// <param name="Held">The most this node may be using: the largest share granted since the round it last acknowledged.</param>
/// <param name="Desired">The load it asked for (0 while its key is gone).</param>
/// <param name="Missing">Rounds its key has been missing (its lease expired or it never wrote); 0 while live.</param>
public sealed record NodeGrant(double Share, double Held, double Desired, int Missing);

/// <summary>
/// What a node writes under <c>{prefix}/loads/{node}</c>, bound to its lease, once per round.
/// </summary>
/// <param name="Round">The record round it read and applied (its acknowledgement).</param>
/// <param name="Load">The cluster load it desires at that round's price (its local optimum without a cap).</param>
/// <param name="Applied">The cluster load it applies (capped at its share).</param>
/// <param name="Floor">The least cluster load its jobs' lower bounds force.</param>
/// <param name="Time">Its wall clock in Unix milliseconds (for people; the protocol never reads it).</param>
/// <param name="Slope">d Load / d price at that price (&lt;= 0): the node's curvature, which the updater sums to scale its price step.</param>
/// <param name="Iteration">Under ADMM, the iteration whose x-update <paramref name="Load"/> is (-1 before the first).</param>
public sealed record LoadRecord(long Round, double Load, double Applied, double Floor, long Time, double Slope = 0, long Iteration = -1);

/// <summary>The JSON of the records (source-generated, invariant).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PriceRecord))]
[JsonSerializable(typeof(LoadRecord))]
[JsonSerializable(typeof(SortedDictionary<string, NodeGrant>))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
