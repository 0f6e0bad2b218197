namespace Sigil.Runtime.Metrics;

/// <summary>Validation of metric names before they reach the registry.</summary>
public static class MetricNames
{
    /// <summary>
    /// True when <paramref name="name"/> matches <c>[a-zA-Z_][a-zA-Z0-9_]*</c>: the rule prometheus-net
    /// enforces when a family is created (it has no public validator, so the daemon checks a fibre's
    /// names with this one first and reports a problem instead of an exception). Colons, which the
    /// data model allows, are reserved for recording rules; the binder refuses them too (SIG1033).
    /// </summary>
    public static bool IsValidMetricName(string? name) => Sigil.Descriptors.Identifiers.IsPlain(name);
}
