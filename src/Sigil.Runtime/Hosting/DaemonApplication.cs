using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting;

/// <summary>The parts a daemon is assembled from.</summary>
/// <param name="Fibre">The fibre.</param>
/// <param name="Sensor">The sensor (the kernel fibre itself when it senses).</param>
/// <param name="Solver">The solver step.</param>
/// <param name="Enforcer">The actuator.</param>
/// <param name="Kernel">The kernel side, when the kernel sensor is used.</param>
/// <param name="Store">The checkpoint store, or null for no state.</param>
public sealed record DaemonParts(DaemonFibre Fibre, ISensor Sensor, ISolverStep Solver, Enforcer Enforcer, IKernelFibre? Kernel, CheckpointStore? Store);

/// <summary>
/// The daemon as a Generic Host: the tick loop (<see cref="DaemonService"/>) and, when enabled,
/// the metrics server (<see cref="MetricsServer"/>), with console logging (JSON by default) and
/// graceful shutdown on SIGTERM and Ctrl+C.
/// </summary>
public sealed class DaemonApplication : IAsyncDisposable
{
    private DaemonApplication(IHost host, DaemonEngine engine, DaemonService service, MetricsServer? metrics, DaemonHealth health)
    {
        Host = host;
        Engine = engine;
        Service = service;
        MetricsServer = metrics;
        Health = health;
    }

    /// <summary>The host.</summary>
    public IHost Host { get; }

    /// <summary>The control loop.</summary>
    public DaemonEngine Engine { get; }

    /// <summary>The hosted tick loop.</summary>
    public DaemonService Service { get; }

    /// <summary>The metrics server, when enabled.</summary>
    public MetricsServer? MetricsServer { get; }

    /// <summary>Tick-loop health.</summary>
    public DaemonHealth Health { get; }

    /// <summary>The registry.</summary>
    public Prometheus.CollectorRegistry Registry => Engine.Metrics.Registry;

    /// <summary>Assembles a daemon. <paramref name="sequence"/> is the latest checkpoint's number.</summary>
    public static DaemonApplication Build(DaemonParts parts, DaemonOptions options, long sequence = 0, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(options);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "sigil",
            Args = [],
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        ConfigureLogging(builder.Logging, options.LogFormat);
        logging?.Invoke(builder.Logging);

        var registry = MetricsExposition.NewRegistry();
        var metrics = new DaemonMetrics(registry, parts.Fibre, parts.Sensor.Name, options.TopAgents);
        var health = new DaemonHealth(options.Tick);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(health);
        builder.Services.AddSingleton(sp => new DaemonEngine(
            parts.Fibre, options, parts.Sensor, parts.Solver, parts.Enforcer, metrics,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Sigil.Daemon"), parts.Kernel));
        if (options.MetricsUrl is not null)
        {
            if (!DaemonOptions.TryParseMetricsUrl(options.MetricsUrl, out var url, out var problem))
            {
                throw new ArgumentException(problem, nameof(options));
            }

            builder.Services.AddSingleton(sp => new MetricsServer(registry, health, url!, sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsServer>());
        }

        builder.Services.AddSingleton(sp => new DaemonService(
            sp.GetRequiredService<DaemonEngine>(), options, health, parts.Store, parts.Enforcer, parts.Kernel, sequence,
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<DaemonService>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DaemonService>());

        var host = builder.Build();

        // The first kernel decision must not wait for the report path to be compiled.
        host.Services.GetRequiredService<DaemonEngine>().WarmReportPath(host.Services.GetServices<ConsoleFormatter>());
        return new DaemonApplication(
            host,
            host.Services.GetRequiredService<DaemonEngine>(),
            host.Services.GetRequiredService<DaemonService>(),
            options.MetricsUrl is null ? null : host.Services.GetRequiredService<MetricsServer>(),
            health);
    }

    /// <summary>Starts the metrics server and the tick loop.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => Host.StartAsync(cancellationToken);

    /// <summary>Stops gracefully (final checkpoint, disarm, release).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => Host.StopAsync(cancellationToken);

    /// <summary>Waits until the host shuts down (SIGTERM, Ctrl+C, or a failed loop).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => Host.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (MetricsServer is not null)
        {
            await MetricsServer.DisposeAsync().ConfigureAwait(false);
        }

        if (Host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            Host.Dispose();
        }
    }

    /// <summary>Console logging in <paramref name="format"/>, on standard error, framework noise at Warning and above.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging, LogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);

        // Start-up failures are reported once, as one line, by the launcher; the host's own
        // report repeats them with a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);

        // A connection beyond the metrics server's limit is closed at once; a warning line for each
        // would let any local user flood the log (and the daemon's CPU) at the rate they connect.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Error);
        switch (format)
        {
            case LogFormat.Json:
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.IncludeScopes = false;
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
                });
                break;
            case LogFormat.Simple:
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                    o.ColorBehavior = LoggerColorBehavior.Disabled;
                });
                break;
            case LogFormat.None:
                return;
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
