using System;
using Prometheus;
using Sigil.Runtime.Metrics;

namespace Sigil.Cluster;

/// <summary>A node's cluster metrics, in the runtime's Prometheus registry.</summary>
public sealed class ClusterMetrics
{
    private readonly Gauge _price;
    private readonly Gauge _share;
    private readonly Gauge _cap;
    private readonly Gauge _desired;
    private readonly Gauge _applied;
    private readonly Gauge _mode;
    private readonly Gauge _fallback;
    private readonly Gauge _updater;
    private readonly Gauge _round;
    private readonly Gauge _contact;
    private readonly Gauge _power;
    private readonly Gauge _gain;
    private readonly Gauge _offset;
    private readonly Counter _failures;
    private readonly Counter _requests;
    private readonly Counter _ignored;
    private readonly string[] _labels;

    /// <summary>Registers the cluster families in <paramref name="registry"/>.</summary>
    public ClusterMetrics(CollectorRegistry registry, string fibre, string resource)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _labels = [fibre, resource];
        _price = registry.CreateGauge("sigil_cluster_price", "The cluster price the node applies.", "fibre", "resource");
        _share = registry.CreateGauge("sigil_cluster_share", "The node's granted share of the cluster budget.", "fibre", "resource");
        _cap = registry.CreateGauge("sigil_cluster_cap", "The cap on the node's cluster load in force (its share, or its floor).", "fibre", "resource");
        _desired = registry.CreateGauge("sigil_cluster_load_desired", "The node's desired cluster load at the price.", "fibre", "resource");
        _applied = registry.CreateGauge("sigil_cluster_load_applied", "The cluster load the node applies.", "fibre", "resource");
        _mode = registry.CreateGauge("sigil_cluster_mode", "1 for the node's standing: joining, joined, fallback or floor.", "fibre", "resource", "mode");
        _fallback = registry.CreateGauge("sigil_cluster_fallback", "1 while etcd is out of reach and the node runs on its local budget.", "fibre", "resource");
        _updater = registry.CreateGauge("sigil_cluster_updater", "1 while the node is the elected updater.", "fibre", "resource");
        _round = registry.CreateGauge("sigil_cluster_round", "The last cluster round the node read.", "fibre", "resource");
        _contact = registry.CreateGauge("sigil_cluster_etcd_contact_age_seconds", "Seconds since the node last reached etcd.", "fibre", "resource");
        _power = registry.CreateGauge("sigil_cluster_node_power_watts", "The node's sensed power.", "fibre", "resource");
        _gain = registry.CreateGauge("sigil_cluster_model_gain", "The fitted gain of sensed over modelled cluster load (1: the fibre's model).", "fibre", "resource");
        _offset = registry.CreateGauge("sigil_cluster_model_offset", "The fitted sensed load beside the jobs (0: the fibre's model).", "fibre", "resource");
        _failures = registry.CreateCounter("sigil_cluster_etcd_failures_total", "etcd operations that failed.", "fibre", "resource");
        _requests = registry.CreateCounter("sigil_cluster_etcd_requests_total", "etcd requests sent.", "fibre", "resource");
        _ignored = registry.CreateCounter("sigil_cluster_ignored_keys_total", "Load keys ignored while this node was the updater (corrupt, NaN, negative, over bound).", "fibre", "resource");
    }

    /// <summary>The registry.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Publishes a node round.</summary>
    public void Publish(ClusterNodeStatus status, double watts)
    {
        ArgumentNullException.ThrowIfNull(status);
        _price.WithLabels(_labels).Set(status.Price);
        _share.WithLabels(_labels).Set(status.Share);
        _cap.WithLabels(_labels).Set(status.Cap);
        _desired.WithLabels(_labels).Set(status.Desired);
        _applied.WithLabels(_labels).Set(status.Applied);
        foreach (var mode in Enum.GetValues<ClusterMode>())
        {
            _mode.WithLabels(_labels[0], _labels[1], mode.ToString().ToLowerInvariant()).Set(mode == status.Mode ? 1 : 0);
        }

        _fallback.WithLabels(_labels).Set(status.Mode is ClusterMode.Fallback or ClusterMode.Floor ? 1 : 0);
        _updater.WithLabels(_labels).Set(status.Updater ? 1 : 0);
        _round.WithLabels(_labels).Set(status.Round);
        _contact.WithLabels(_labels).Set(status.ContactAge);
        _power.WithLabels(_labels).Set(watts);
        _gain.WithLabels(_labels).Set(status.Gain);
        _offset.WithLabels(_labels).Set(status.Offset);
        _failures.WithLabels(_labels).IncTo(status.Failures);
        _requests.WithLabels(_labels).IncTo(status.Requests);
        _ignored.WithLabels(_labels).IncTo(status.Ignored);
    }
}
