using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sigil.Cluster;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;

namespace Sigil.Cli.Commands;

/// <summary>What <c>sigil run</c> needs to run one node of a cluster fibre.</summary>
internal sealed record ClusterRunOptions(
    string? Etcd,
    string? Node,
    string? CaFile,
    string? CertFile,
    string? KeyFile,
    TimeSpan? Round,
    TimeSpan? Lease,
    IReadOnlyList<int> Jobs,
    bool Arm,
    IReadOnlyList<int> AllowPids,
    IReadOnlyList<string> AllowComms,
    string SysRoot,
    string? MetricsUrl,
    bool PowerFit = true);

/// <summary>A cluster fibre's numbers for one node as the cluster runtime takes them: the cluster row and the template of a job.</summary>
/// <param name="Settings">The cluster row (budget, node count, dual step, a node's load bound and floor).</param>
/// <param name="JobTemplate">Every job's utility, bounds and coefficients (the agents of the dynamic index).</param>
/// <param name="NodeLimit">The node row's budget (infinite when the fibre has no node row).</param>
/// <param name="MaxJobs">The dynamic index's capacity.</param>
/// <param name="Unit">The cluster resource's unit, for messages.</param>
internal sealed record ClusterFibre(ClusterSettings Settings, ClusterJob JobTemplate, double NodeLimit, int MaxJobs, string Unit)
{
    /// <summary>The cluster runtime's view of the node description the build wrote (daemon/&lt;fibre&gt;.cluster.json).</summary>
    public static ClusterFibre From(ClusterDescription d) => new(
        new ClusterSettings
        {
            Fibre = d.Fibre,
            Resource = d.Resource,
            Budget = d.Budget,
            MaxNodes = d.MaxNodes,
            Step = d.Step,
            AdmmRho = d.AdmmRho,
            NodeLoadMax = d.NodeLoadMax,
            NodeFloor = 0,
        },
        new ClusterJob("job", d.Job.Weight, d.Job.Alpha, d.Job.Offset, d.Job.Lower, d.Job.Upper, d.Job.ClusterCoefficient, d.Job.NodeCoefficient),
        d.NodeLimit,
        d.MaxJobs,
        d.Unit);
}

/// <summary>
/// <c>sigil run fibre.sigil --etcd URL</c> for a fibre with a cluster resource: one node of the
/// cluster (its jobs are the processes in <c>--scope</c>), and a candidate for the updater. Prints
/// the start-up facts to stderr and one JSON status line per node round to stdout.
/// </summary>
internal static class ClusterRun
{
    public static async Task<int> RunAsync(string path, ClusterFibre fibre, ClusterRunOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Etcd))
        {
            throw new CliException(CliExitCodes.BadInput, $"fibre '{fibre.Settings.Fibre}' has the cluster resource '@{fibre.Settings.Resource}': give the etcd endpoints with --etcd http://host:2379[,…]");
        }

        var name = options.Node ?? NodeName(Environment.MachineName);
        var settings = fibre.Settings with
        {
            Round = options.Round ?? fibre.Settings.Round,
            LeaseTtl = options.Lease ?? fibre.Settings.LeaseTtl,
        };
        settings = settings with { FallbackAfter = settings.LeaseTtl * 2 / 3 };
        var bad = settings.Validate();
        if (bad.Count > 0)
        {
            throw new CliException(CliExitCodes.BadInput, string.Join("; ", bad));
        }

        if (options.Jobs.Count > fibre.MaxJobs)
        {
            throw new CliException(CliExitCodes.BadInput, $"{options.Jobs.Count} jobs in --scope, but the fibre's job index holds at most {fibre.MaxJobs}");
        }

        var endpoint = new EtcdEndpoint(options.Etcd, options.CaFile, options.CertFile, options.KeyFile);
        foreach (var file in new[] { options.CaFile, options.CertFile, options.KeyFile })
        {
            if (file is not null && !File.Exists(file))
            {
                throw new CliException(CliExitCodes.BadInput, $"TLS file '{file}' does not exist");
            }
        }

        var jobs = options.Jobs.Select(pid => fibre.JobTemplate with { Name = pid.ToString(CultureInfo.InvariantCulture) }).ToList();
        var problem = new NodeProblem(jobs, fibre.NodeLimit);
        var sensor = new NodePowerSensor(fibre.JobTemplate.NodeCoefficient > 0 ? fibre.JobTemplate.NodeCoefficient : fibre.JobTemplate.ClusterCoefficient, options.SysRoot);
        var cpu = CgroupCpu.Detect(out var cgroupProblem);
        var guard = new ProcessGuard(GuardPolicy.From(options.AllowPids, options.AllowComms));
        using var actuator = new JobQuotaActuator(fibre.Settings.Fibre, cpu, guard, options.Arm);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning));
        // Logs go to stderr with the start-up facts; stdout carries only the JSON status lines.
        var logger = loggers.CreateLogger("sigil.cluster");
        await Console.Error.WriteLineAsync(
            $"cluster node '{name}': fibre '{fibre.Settings.Fibre}' ({Path.GetFileName(path)}), @{fibre.Settings.Resource} budget {Fmt(settings.Budget)} {fibre.Unit} over at most {settings.MaxNodes} nodes; "
            + $"etcd {endpoint.Endpoints}{(endpoint.Tls ? " (TLS)" : string.Empty)} under {settings.KeyPrefix}; cluster row by {(settings.AdmmRho is { } rho ? $"admm (rho {Fmt(rho)})" : "the dual price search")}; round {settings.Round.TotalMilliseconds} ms, lease {settings.LeaseTtl.TotalSeconds} s, fallback after {settings.FallbackAfter.TotalSeconds:0.##} s; "
            + $"{jobs.Count} job(s), node limit {Fmt(fibre.NodeLimit)} {fibre.Unit}; sensor: {sensor.Source}; "
            + (options.PowerFit
                ? $"power model: sensed = gain x model + offset, fitted online by recursive least squares (forgetting factor {Fmt(PowerModelFit.Forgetting)}, gain in [{Fmt(PowerModelFit.MinGain)}, {Fmt(PowerModelFit.MaxGain)}], offset in [0, {Fmt(settings.NodeLoadMax)}] {fibre.Unit}); "
                : "power model: the fibre's (--power-fit off: the sensed power is reported only); ")
            + $"actuator: CPU quota ({(actuator.Armed ? "armed" : options.Arm ? "not armed: " + cgroupProblem : "observation")})").ConfigureAwait(false);

        using var store = new EtcdClusterStore(endpoint, settings.RequestTimeout);
        using var node = new ClusterNode(name, settings, problem, store, logger: logger);
        var metrics = new ClusterMetrics(Sigil.Runtime.Metrics.MetricsExposition.NewRegistry(), fibre.Settings.Fibre, fibre.Settings.Resource);
        var health = new DaemonHealth(settings.Round);
        await using var server = options.MetricsUrl is { } url && url != "none" ? new MetricsServer(metrics.Registry, health, new Uri(url), loggers) : null;
        if (server is not null)
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"cluster node '{name}': metrics at {string.Join(", ", server.Describe())}/metrics").ConfigureAwait(false);
        }

        // One reading per node round: the node takes it at the start of its round when it fits its
        // model to the sensed power; else the status line takes it.
        var lastPower = 0.0;
        double? Sense()
        {
            var watts = sensor.Read();
            lastPower = watts ?? lastPower;
            return watts;
        }

        if (options.PowerFit)
        {
            node.SensedLoad = Sense;
        }

        node.Applied += (solution, status) =>
        {
            if (!options.PowerFit)
            {
                Sense();
            }

            health.Beat();
            metrics.Publish(status, lastPower);
            for (var j = 0; j < jobs.Count; j++)
            {
                actuator.Apply(options.Jobs[j], solution.X[j]);
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(new ClusterStatusLine(status, lastPower), ClusterCliJsonContext.Default.ClusterStatusLine));
        };
        await node.RunAsync(cancellationToken).ConfigureAwait(false);
        return CliExitCodes.Ok;
    }

    // A host name as a node name: [A-Za-z0-9._-], at most 63 characters.
    private static string NodeName(string host)
    {
        var clean = new string(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').Take(ClusterPriceUpdate.MaxNodeName).ToArray());
        return clean.Length == 0 ? "node" : clean;
    }

    private static string Fmt(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>One status line: the node's round and the sensed power.</summary>
internal sealed record ClusterStatusLine(ClusterNodeStatus Status, double Power);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ClusterStatusLine))]
internal sealed partial class ClusterCliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
