using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Cluster;

/// <summary>
/// Where a <see cref="PriceRecord"/> lives in etcd. The record is split so that a node reads only
/// what it needs: <c>{prefix}/price</c> holds the round, the price and the search (its
/// <see cref="PriceRecord.Nodes"/> empty), and <c>{prefix}/grants/{bucket}</c> holds the grants of
/// the nodes whose name hashes to that bucket. A node reads the price key and its own bucket in
/// one transaction (one request, one revision); the updater reads them all the same way and writes
/// them all in its one fenced transaction, so every revision holds one whole round.
/// </summary>
/// <remarks>
/// One key with every grant would make each node read and parse N grants per read: at 1,000 nodes
/// that is about 100 kB twice per node round, 200 MB per round through etcd and the nodes' JSON
/// parsers. With buckets of at most <see cref="NodesPerBucket"/> nodes a node reads about 3 kB.
/// The bucket count is at most <see cref="MaxBuckets"/>, so the updater's transaction stays within
/// etcd's default limit of 128 operations (<c>--max-txn-ops</c>).
/// </remarks>
public static class ClusterRecordKeys
{
    /// <summary>Nodes per grant bucket, at the declared node count.</summary>
    public const int NodesPerBucket = 32;

    /// <summary>The most grant buckets (with the price key, within etcd's 128 operations per transaction).</summary>
    public const int MaxBuckets = 100;

    /// <summary>The key of the record's header (round, price, search).</summary>
    public static string Price(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.KeyPrefix + "/price";
    }

    /// <summary>The number of grant buckets for the fibre's declared node count.</summary>
    public static int Buckets(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Math.Clamp((settings.MaxNodes + NodesPerBucket - 1) / NodesPerBucket, 1, MaxBuckets);
    }

    /// <summary>The key of bucket <paramref name="bucket"/>.</summary>
    public static string Bucket(ClusterSettings settings, int bucket)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.KeyPrefix + "/grants/" + bucket.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bucket of node <paramref name="node"/>: FNV-1a of its UTF-8 name, the same on every machine and run.</summary>
    public static int BucketOf(ClusterSettings settings, string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (int)(Fnv(node) % (uint)Buckets(settings));
    }

    /// <summary>The keys a node reads every round: the price key and its bucket.</summary>
    public static string[] NodeKeys(ClusterSettings settings, string node) => [Price(settings), Bucket(settings, BucketOf(settings, node))];

    /// <summary>Every key of the record: the price key first, then each bucket.</summary>
    public static string[] AllKeys(ClusterSettings settings) =>
        [Price(settings), .. Enumerable.Range(0, Buckets(settings)).Select(b => Bucket(settings, b))];

    /// <summary>The keys and values that store <paramref name="record"/> (every bucket, an empty one as <c>{}</c>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Split(ClusterSettings settings, PriceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buckets = new SortedDictionary<string, NodeGrant>[Buckets(settings)];
        for (var b = 0; b < buckets.Length; b++)
        {
            buckets[b] = new SortedDictionary<string, NodeGrant>(StringComparer.Ordinal);
        }

        foreach (var (node, grant) in record.Nodes)
        {
            buckets[BucketOf(settings, node)][node] = grant;
        }

        var header = record with { Nodes = new SortedDictionary<string, NodeGrant>(StringComparer.Ordinal) };
        var result = new List<KeyValuePair<string, string>>(buckets.Length + 1) { new(Price(settings), JsonSerializer.Serialize(header, ClusterJsonContext.Default.PriceRecord)) };
        for (var b = 0; b < buckets.Length; b++)
        {
            result.Add(new(Bucket(settings, b), JsonSerializer.Serialize(buckets[b], ClusterJsonContext.Default.SortedDictionaryStringNodeGrant)));
        }

        return result;
    }

    /// <summary>
    /// Joins what a read of some of the record's keys returned: null when there is no price key;
    /// <see cref="ClusterRecordCorruptException"/> when a key read is corrupt. The record's
    /// <see cref="PriceRecord.Nodes"/> holds the grants of the buckets read.
    /// </summary>
    public static PriceRecord? Join(ClusterSettings settings, IReadOnlyDictionary<string, string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!keys.TryGetValue(Price(settings), out var raw))
        {
            return null;
        }

        var header = Parse(raw, ClusterJsonContext.Default.PriceRecord);
        if (header is not { Nodes: not null, Search: not null })
        {
            throw new ClusterRecordCorruptException("the price record is corrupt");
        }

        var nodes = new SortedDictionary<string, NodeGrant>(StringComparer.Ordinal);
        foreach (var (key, value) in keys)
        {
            if (key.StartsWith(settings.KeyPrefix + "/grants/", StringComparison.Ordinal))
            {
                var bucket = Parse(value, ClusterJsonContext.Default.SortedDictionaryStringNodeGrant)
                    ?? throw new ClusterRecordCorruptException($"grant bucket '{key}' is corrupt");
                foreach (var (node, grant) in bucket)
                {
                    if (grant is null)
                    {
                        throw new ClusterRecordCorruptException($"grant bucket '{key}' is corrupt");
                    }

                    nodes[node] = grant;
                }
            }
        }

        return header with { Nodes = nodes };
    }

    /// <summary>Reads the whole record (the updater's read, and the tests' and the simulation's watch).</summary>
    public static async Task<PriceRecord?> ReadAsync(IClusterStore store, ClusterSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Join(settings, await store.GetKeysAsync(AllKeys(settings), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A fingerprint of a set of node names (count and FNV-1a), short whatever the number of nodes.</summary>
    public static string Fingerprint(IEnumerable<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ulong hash = 14695981039346656037;
        var count = 0;
        foreach (var node in nodes)
        {
            foreach (var b in Encoding.UTF8.GetBytes(node + "\n"))
            {
                hash = (hash ^ b) * 1099511628211;
            }

            count++;
        }

        return count.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    private static T? Parse<T>(string raw, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(raw, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>A key of the price record holds something that is not a record.</summary>
public sealed class ClusterRecordCorruptException(string message) : Exception(message);
