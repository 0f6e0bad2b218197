using Microsoft.Extensions.Logging;

namespace Sigil.Runtime.Hosting;

/// <summary>The daemon's log events (source-generated, structured).</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(1, LogLevel.Information, "fibre {Fibre}: {Mode}; sensor {Sensor}: {SensorDescription}; solver {Solver}; tick {TickMs} ms")]
    public static partial void Started(ILogger logger, string fibre, string mode, string sensor, string sensorDescription, string solver, double tickMs);

    [LoggerMessage(2, LogLevel.Information, "fibre {Fibre}: restored {Prices} price(s) and {Counters} counter(s) from checkpoint {Sequence} ({Source})")]
    public static partial void Restored(ILogger logger, string fibre, int prices, int counters, long sequence, string source);

    [LoggerMessage(3, LogLevel.Warning, "fibre {Fibre}: checkpoint problem: {Problem}")]
    public static partial void CheckpointProblem(ILogger logger, string fibre, string problem);

    [LoggerMessage(4, LogLevel.Warning, "fibre {Fibre}: {Kind} pid {Pid}: {Detail}")]
    public static partial void Action(ILogger logger, string fibre, string kind, int pid, string detail);

    [LoggerMessage(5, LogLevel.Information, "fibre {Fibre}: observation mode: would {Kind} pid {Pid}: {Detail}")]
    public static partial void WouldAct(ILogger logger, string fibre, string kind, int pid, string detail);

    [LoggerMessage(6, LogLevel.Warning, "fibre {Fibre}: {Kind} pid {Pid} not done: {Detail}")]
    public static partial void ActionNotDone(ILogger logger, string fibre, string kind, int pid, string detail);

    [LoggerMessage(7, LogLevel.Error, "fibre {Fibre}: checkpoint failed: {Error}")]
    public static partial void CheckpointFailed(ILogger logger, string fibre, string error);

    [LoggerMessage(8, LogLevel.Critical, "fibre {Fibre}: the tick loop failed and the daemon stops")]
    public static partial void TickFailed(ILogger logger, string fibre, System.Exception error);

    [LoggerMessage(9, LogLevel.Information, "fibre {Fibre}: stopped after {Ticks} tick(s); final checkpoint {Sequence}; enforcement off")]
    public static partial void Stopped(ILogger logger, string fibre, long ticks, long sequence);

    [LoggerMessage(10, LogLevel.Information, "fibre {Fibre}: metrics at {Address}/metrics, health at {Address}/healthz")]
    public static partial void Serving(ILogger logger, string fibre, string address);

    [LoggerMessage(11, LogLevel.Warning, "fibre {Fibre}: {Problem}")]
    public static partial void Problem(ILogger logger, string fibre, string problem);

    [LoggerMessage(12, LogLevel.Information, "fibre {Fibre}: placement: {Note}")]
    public static partial void PlacementNote(ILogger logger, string fibre, string note);
}
