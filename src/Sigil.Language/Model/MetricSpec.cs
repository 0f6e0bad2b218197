using Sigil.Runtime.Hosting;

namespace Sigil.Language.Model;

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
    MetricAggregateKind Aggregate,
    string Source,
    MetricSourceKind SourceRole,
    UnitSpec Unit,
    double? Target,
    string Statement);
