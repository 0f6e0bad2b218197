using Microsoft.Extensions.Logging;

namespace Sigil.Cluster;

/// <summary>The cluster protocol's log events (source-generated, structured).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(101, LogLevel.Warning, "cluster node {Node}: {Mode}: etcd out of reach for {Seconds:F1} s ({Problem})")]
    public static partial void Fallback(ILogger logger, string node, string mode, double seconds, string problem);

    [LoggerMessage(102, LogLevel.Information, "cluster node {Node}: elected updater")]
    public static partial void Elected(ILogger logger, string node);

    [LoggerMessage(103, LogLevel.Warning, "cluster node {Node}: updater round failed: {Problem}")]
    public static partial void UpdaterFailed(ILogger logger, string node, string problem);

    [LoggerMessage(104, LogLevel.Warning, "cluster: load key of node '{Node}' ignored: {Reason}")]
    public static partial void IgnoredKey(ILogger logger, string node, string reason);

    [LoggerMessage(105, LogLevel.Error, "cluster node {Node}: the price record is corrupt; continuing from the last record this node wrote, if any")]
    public static partial void CorruptRecord(ILogger logger, string node);

    [LoggerMessage(106, LogLevel.Error, "cluster node {Node}: applying the allocation failed: {Problem}")]
    public static partial void ApplyFailed(ILogger logger, string node, string problem);

    [LoggerMessage(107, LogLevel.Warning, "cluster node {Node}: no power reading this round: {Problem}")]
    public static partial void NoReading(ILogger logger, string node, string problem);
}
