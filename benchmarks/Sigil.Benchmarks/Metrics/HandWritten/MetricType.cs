namespace Sigil.Benchmarks.Metrics.HandWritten;

/// <summary>The metric types of the Prometheus text format this registry writes.</summary>
public enum MetricType
{
    /// <summary>A monotonically increasing total; its name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,
}
