using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sigil.Runtime.Hosting;

namespace Sigil.Cli;

/// <summary>
/// The daemon's JSON configuration file (<c>--config</c>). Every key is optional and the command
/// line overrides it. Unknown keys are errors, so is <c>arm</c>: enforcement is armed only by the
/// explicit <c>--arm</c> flag.
/// </summary>
internal sealed record DaemonConfigFile(
    string? MetricsUrl = null,
    string? StateDirectory = null,
    string? Sensor = null,
    int[]? Scope = null,
    int[]? AllowPids = null,
    string[]? AllowComms = null,
    string? Tick = null,
    bool? WakeOnDecision = null,
    string? PricePage = null,
    string? PinFolder = null,
    string? ProcfsInterval = null,
    string? CheckpointInterval = null,
    string? KillGrace = null,
    string? BpfFs = null,
    string? TraceFs = null,
    int? TopAgents = null,
    string? LogFormat = null,
    string? PlacementPeriod = null,
    int? PlacementThreads = null,
    int? PlacementHold = null,
    bool? Arm = null)
{
    public static DaemonConfigFile Read(string path)
    {
        string text;
        try
        {
            text = Sigil.Runtime.Security.BoundedFile.ReadText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: cannot read the configuration: {e.Message}");
        }

        DaemonConfigFile? config;
        try
        {
            config = JsonSerializer.Deserialize(text, DaemonConfigJsonContext.Default.DaemonConfigFile);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"({line + 1},{(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
            throw new CliException(CliExitCodes.BadInput, $"{path}{where}: error: malformed configuration: {e.Message}");
        }

        if (config is null)
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: error: the configuration must be a JSON object");
        }

        if (config.Arm is not null)
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: error: 'arm' cannot be configured: enforcement is armed only by the --arm flag");
        }

        return config;
    }

    public DaemonOptions ApplyTo(DaemonOptions options, string path)
    {
        var sensor = Sensor switch
        {
            null => options.Sensor,
            "kernel" => SensorChoice.Kernel,
            "procfs" => SensorChoice.Procfs,
            _ => throw new CliException(CliExitCodes.BadInput, $"{path}: error: sensor '{Sensor}' is not one of kernel, procfs"),
        };
        var format = LogFormat switch
        {
            null => options.LogFormat,
            "json" => Runtime.Hosting.LogFormat.Json,
            "simple" => Runtime.Hosting.LogFormat.Simple,
            "none" => Runtime.Hosting.LogFormat.None,
            _ => throw new CliException(CliExitCodes.BadInput, $"{path}: error: logFormat '{LogFormat}' is not one of json, simple, none"),
        };
        return options with
        {
            MetricsUrl = MetricsUrl is null ? options.MetricsUrl : (MetricsUrl == "none" ? null : MetricsUrl),
            StateDirectory = StateDirectory ?? options.StateDirectory,
            Sensor = sensor,
            Scope = Scope ?? options.Scope,
            AllowPids = AllowPids ?? options.AllowPids,
            AllowComms = AllowComms ?? options.AllowComms,
            Tick = Tick is null ? options.Tick : Durations.Parse(Tick, $"{path}: tick"),
            WakeOnDecision = WakeOnDecision ?? options.WakeOnDecision,
            PricePage = PricePage is null ? options.PricePage : (PricePage == "none" ? null : PricePage),
            PinFolder = PinFolder is null ? options.PinFolder : (PinFolder == "none" ? null : PinFolder),
            ProcfsInterval = ProcfsInterval is null ? options.ProcfsInterval : Durations.Parse(ProcfsInterval, $"{path}: procfsInterval"),
            CheckpointInterval = CheckpointInterval is null ? options.CheckpointInterval : Durations.Parse(CheckpointInterval, $"{path}: checkpointInterval"),
            KillGrace = KillGrace is null ? options.KillGrace : Durations.Parse(KillGrace, $"{path}: killGrace"),
            BpfFs = BpfFs ?? options.BpfFs,
            TraceFs = TraceFs ?? options.TraceFs,
            TopAgents = TopAgents ?? options.TopAgents,
            LogFormat = format,
            PlacementPeriod = PlacementPeriod is null ? options.PlacementPeriod : Durations.Parse(PlacementPeriod, $"{path}: placementPeriod"),
            PlacementThreads = PlacementThreads ?? options.PlacementThreads,
            PlacementHold = PlacementHold ?? options.PlacementHold,
        };
    }
}

[JsonSourceGenerationOptions(
    AllowDuplicateProperties = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(DaemonConfigFile))]
internal sealed partial class DaemonConfigJsonContext : JsonSerializerContext
{
}
