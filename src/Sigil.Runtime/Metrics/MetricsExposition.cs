using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Prometheus;

namespace Sigil.Runtime.Metrics;

/// <summary>
/// The daemon's metric families on a prometheus-net <see cref="CollectorRegistry"/>, and their
/// exposition in the Prometheus text format 0.0.4.
/// </summary>
/// <remarks>
/// <para>
/// Each daemon owns a private registry (<see cref="NewRegistry"/>), never prometheus-net's static
/// default one: a private registry holds only the families registered here, with no process,
/// .NET runtime or meter metrics, and two daemons (or tests) in one process never share series.
/// </para>
/// <para>
/// What prometheus-net 8.2.1 writes, as opposed to the exposition this project wrote by hand
/// before: families in registration order and series in the order they were first created
/// (not sorted); infinities as <c>Infinity</c>/<c>-Infinity</c> (Go's float parser, and so
/// Prometheus, reads both); exponents in lower case (<c>1e-300</c>). It writes HELP text
/// verbatim, so a line feed in a HELP text would break the exposition: the factories here
/// escape HELP text (backslash and line feed) before handing it over.
/// </para>
/// </remarks>
public static class MetricsExposition
{
    /// <summary>The HTTP content type of the exposition: <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    public static string ContentType => PrometheusConstants.TextContentTypeWithVersionAndEncoding;

    /// <summary>A new, empty, private registry (no default metrics).</summary>
    public static CollectorRegistry NewRegistry() => Prometheus.Metrics.NewCustomRegistry();

    /// <summary>Registers a counter family. Its name must end in <c>_total</c>.</summary>
    public static Counter CreateCounter(this CollectorRegistry registry, string name, string help, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter '{name}' must end in _total", nameof(name));
        }

        return Factory(registry).CreateCounter(name, EscapeHelp(help), labelNames);
    }

    /// <summary>Registers a gauge family.</summary>
    public static Gauge CreateGauge(this CollectorRegistry registry, string name, string help, params string[] labelNames) =>
        Factory(registry).CreateGauge(name, EscapeHelp(help), labelNames);

    /// <summary>Registers a gauge family published whole (per-agent series).</summary>
    public static GaugeSnapshot CreateGaugeSnapshot(this CollectorRegistry registry, string name, string help, params string[] labelNames) =>
        new(registry, registry.CreateGauge(name, help, labelNames));

    /// <summary>Writes the exposition, UTF-8 encoded, to <paramref name="stream"/>.</summary>
    public static Task WriteToAsync(this CollectorRegistry registry, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.CollectAndExportAsTextAsync(stream, cancellationToken);
    }

    /// <summary>The exposition as text (tests and benchmarks; the server streams <see cref="WriteToAsync"/>).</summary>
    public static string Render(this CollectorRegistry registry)
    {
        using var buffer = new MemoryStream();
        registry.WriteToAsync(buffer).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// HELP text as the format wants it on the wire: backslash as <c>\\</c> and line feed as
    /// <c>\n</c>. Hand-written because prometheus-net writes HELP text verbatim.
    /// </summary>
    public static string EscapeHelp(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return help.AsSpan().IndexOfAny('\\', '\n') < 0 ? help : help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static IMetricFactory Factory(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Prometheus.Metrics.WithCustomRegistry(registry);
    }
}
