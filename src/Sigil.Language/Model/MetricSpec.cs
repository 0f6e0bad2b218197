namespace Sigil.Language.Model;

/// <summary>How a metric aggregates over index members.</summary>
public enum MetricAggregate
{
    /// <summary>Arithmetic mean.</summary>
    Mean,

    /// <summary>Sum.</summary>
    Sum,

    /// <summary>Maximum.</summary>
    Max,

    /// <summary>Minimum.</summary>
    Min,

    /// <summary>Number of members.</summary>
    Count,
}

/// <summary>The role of a name, marked by its sigil.</summary>
public enum SigilRole
{
    /// <summary><c>$</c>: decision / load variable.</summary>
    Variable,

    /// <summary><c>@</c>: resource.</summary>
    Resource,

    /// <summary><c>^</c>: price.</summary>
    Price,
}

/// <summary>An exported metric (<c>metric dwell_seconds_current = mean($hold) target 5;</c>). Value-equatable.</summary>
/// <param name="Name">Validated Prometheus metric name.</param>
/// <param name="Aggregate">The aggregate.</param>
/// <param name="Source">The aggregated family's name.</param>
/// <param name="SourceRole">The family's role.</param>
/// <param name="Unit">The metric's unit.</param>
/// <param name="Target">The autoscaler target, when given.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record MetricSpec(
    string Name,
    MetricAggregate Aggregate,
    string Source,
    SigilRole SourceRole,
    UnitSpec Unit,
    double? Target,
    string Statement);
