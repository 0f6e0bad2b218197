using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format 0.0.4) and <c>/healthz</c> with Kestrel on one
/// address, loopback unless configured otherwise. A hosted service of the daemon's host, started
/// before the tick loop and stopped after it.
/// </summary>
public sealed class MetricsServer : IHostedService, IAsyncDisposable
{
    private readonly CollectorRegistry _registry;
    private readonly DaemonHealth _health;
    private readonly Uri _url;
    private readonly ILoggerFactory _loggers;
    private WebApplication? _app;

    /// <summary>A server for <paramref name="registry"/> at <paramref name="url"/> (http://ip:port; port 0 picks one).</summary>
    public MetricsServer(CollectorRegistry registry, DaemonHealth health, Uri url, ILoggerFactory loggers)
    {
        _registry = registry;
        _health = health;
        _url = url;
        _loggers = loggers;
    }

    /// <summary>
    /// Kestrel's limits for a scrape endpoint: a bounded number of connections (each holds a
    /// descriptor, and the daemon's descriptors are for enforcement and checkpoints first: see
    /// <see cref="DescriptorBudget"/>; more are accepted and closed at once), small headers, no
    /// body, and short timeouts, so idle or slow clients cannot pile up.
    /// </summary>
    public static void Limit(KestrelServerLimits limits, int connections)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxConcurrentConnections = connections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.MaxRequestBodySize = 0;
        limits.MaxRequestHeaderCount = 32;
        limits.MaxRequestHeadersTotalSize = 8 * 1024;
        limits.MaxRequestLineSize = 1024;
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);
        limits.Http2.MaxStreamsPerConnection = 8;
    }

    /// <summary>The connections this server allows at once (set when it starts).</summary>
    public int MaxConnections { get; private set; }

    /// <summary>The bound address (port resolved), once started.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The IP address a metrics URL's host names: <c>localhost</c> is loopback; other names are refused.</summary>
    public static IPAddress ResolveHost(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.IsLoopback && url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip)
            ? ip
            : throw new ArgumentException($"metrics host '{url.Host}' must be an IP address (or localhost)", nameof(url));
    }

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // An empty builder: configuration comes from the daemon's command line and its named
        // config file only, never from an appsettings.json in the working directory or from
        // environment variables (CreateSlimBuilder reads both, and either could add a listener).
        MaxConnections = DescriptorBudget.Connections(DescriptorBudget.RaiseToHard());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "sigil-metrics", Args = [], ContentRootPath = "/" });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(_loggers);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            Limit(k.Limits, MaxConnections);
            k.Listen(ResolveHost(_url), _url.Port);
        });
        var app = builder.Build();
        app.MapGet("/metrics", WriteMetrics);
        app.MapGet("/healthz", WriteHealth);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        Address = bound is null ? _url : new Uri(bound);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task WriteMetrics(HttpContext context)
    {
        // Collected into memory first, so that the response carries a Content-Length and a client
        // that stops reading cannot hold the registry's collection open.
        using var buffer = new MemoryStream(8192);
        await _registry.WriteToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        context.Response.ContentType = MetricsExposition.ContentType;
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteHealth(HttpContext context)
    {
        var (healthy, text) = _health.Check();
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Addresses for logs.</summary>
    public IEnumerable<string> Describe() => Address is null ? [] : [Address.ToString().TrimEnd('/')];
}
