using System;
using System.Collections.Generic;

namespace Sigil.Runtime.Hosting;

/// <summary>Where the daemon's loads come from.</summary>
public enum SensorChoice
{
    /// <summary>The fibre's eBPF programs in the kernel.</summary>
    Kernel,

    /// <summary>The /proc fallback sensor (span loads only).</summary>
    Procfs,
}

/// <summary>The format of the daemon's logs.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line (Microsoft.Extensions.Logging JSON console).</summary>
    Json,

    /// <summary>Human-readable single lines.</summary>
    Simple,

    /// <summary>No console logs (the live table shows the state instead).</summary>
    None,
}

/// <summary>How the daemon runs. Defaults are safe: observation only, metrics on loopback.</summary>
public sealed record DaemonOptions
{
    /// <summary>The default metrics address: loopback only.</summary>
    public const string DefaultMetricsUrl = "http://127.0.0.1:9464";

    /// <summary>Carry out actions. False (the default) is observation mode: actions are logged and counted only.</summary>
    public bool Arm { get; init; }

    /// <summary>Tick period: sense, solve, act.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// With a sensor that can wake the loop (the eBPF sensor), tick at once when the kernel makes
    /// a decision (throttle, release, kill) instead of at the next period.
    /// </summary>
    public bool WakeOnDecision { get; init; } = true;

    /// <summary>
    /// The shared price page the daemon keeps for instrumented programs' hooks (docs/llvm.md), with
    /// <c>{fibre}</c> standing for the fibre's name; null keeps none. Per-agent fibres with an
    /// exported price only.
    /// </summary>
    public string? PricePage { get; init; } = DefaultPricePage;

    /// <summary>The default price page path.</summary>
    public const string DefaultPricePage = Sigil.Descriptors.Hooks.PricePages.Folder + "/{fibre}" + Sigil.Descriptors.Hooks.PricePages.Extension;

    /// <summary>
    /// The bpffs folder where the fibre's exported price map is pinned for hooks to open (eBPF
    /// sensor only; removed at shutdown), with <c>{bpffs}</c> standing for <see cref="BpfFs"/> and
    /// <c>{fibre}</c> for the fibre's name; null pins nothing.
    /// </summary>
    public string? PinFolder { get; init; } = DefaultPinFolder;

    /// <summary>The default pin folder, where the generated hooks look first.</summary>
    public const string DefaultPinFolder = "{bpffs}/sigil/{fibre}";

    /// <summary>Where /metrics and /healthz are served (http://host:port), or null for no endpoint. Port 0 picks a free port.</summary>
    public string? MetricsUrl { get; init; } = DefaultMetricsUrl;

    /// <summary>Directory of the state checkpoints.</summary>
    public string StateDirectory { get; init; } = "/var/lib/sigil";

    /// <summary>Checkpoint period.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The bpffs mount.</summary>
    public string BpfFs { get; init; } = "/sys/fs/bpf";

    /// <summary>The tracefs mount.</summary>
    public string TraceFs { get; init; } = "/sys/kernel/tracing";

    /// <summary>The mount table read to find the cgroup cpu controller, bpffs and tracefs.</summary>
    public string MountInfo { get; init; } = "/proc/self/mountinfo";

    /// <summary>Where procfs is mounted.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>The sensor.</summary>
    public SensorChoice Sensor { get; init; } = SensorChoice.Kernel;

    /// <summary>For the /proc sensor: time between two scans of every process's descriptors.</summary>
    public TimeSpan ProcfsInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When not empty, only these processes are sensed: for the /proc sensor and placement fibres
    /// these processes and their descendants; for the kernel sensor of a per-process fibre these
    /// processes (the eBPF object's scope set).
    /// </summary>
    public IReadOnlyList<int> Scope { get; init; } = [];

    /// <summary>Process ids never acted on.</summary>
    public IReadOnlyList<int> AllowPids { get; init; } = [];

    /// <summary>Command names never acted on.</summary>
    public IReadOnlyList<string> AllowComms { get; init; } = [];

    /// <summary>
    /// Behaviour fibres: executables (absolute paths) with a class weight that scales every event of
    /// their processes in the kernel (0.1: a tenth of the weight, ten times the budget, as for
    /// archivers; 0 spares them). The kernel knows them by device and inode.
    /// </summary>
    public IReadOnlyDictionary<string, double> ExecutableWeights { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Time between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Agents exported per resource in the per-agent metrics (plus one aggregate).</summary>
    public int TopAgents { get; init; } = 10;

    /// <summary>An agent counts in the fibre's variable metrics for this long after its latest sample.</summary>
    public TimeSpan ActiveWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An agent with no price and no sample for this long is forgotten.</summary>
    public TimeSpan AgentIdle { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Placement fibres: how often the placement is solved (and the on-CPU window the sensor reports over).</summary>
    public TimeSpan PlacementPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Placement fibres: at most this many threads (the busiest in the window) are placed per solve; the rest are counted.</summary>
    public int PlacementThreads { get; init; } = 256;

    /// <summary>Placement fibres: a thread moves only when the same new domain wins this many solves in a row.</summary>
    public int PlacementHold { get; init; } = 2;

    /// <summary>Where sysfs is mounted (the CPU topology of placement domains).</summary>
    public string SysRoot { get; init; } = "/sys";

    /// <summary>Log format.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>Problems with the options themselves (before anything touches the system).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Tick < TimeSpan.FromMilliseconds(10) || Tick > TimeSpan.FromMinutes(1))
        {
            problems.Add($"tick {Tick.TotalMilliseconds} ms is out of range (10 ms to 60 s)");
        }

        if (CheckpointInterval < Tick || CheckpointInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"checkpoint interval {CheckpointInterval.TotalSeconds} s is out of range (one tick to one hour)");
        }

        if (MetricsUrl is not null && !TryParseMetricsUrl(MetricsUrl, out _, out var problem))
        {
            problems.Add(problem!);
        }

        foreach (var (path, weight) in ExecutableWeights)
        {
            if (!System.IO.Path.IsPathFullyQualified(path) || !double.IsFinite(weight) || weight < 0 || weight > 1000)
            {
                problems.Add($"executable weight '{path}={weight}': needs an absolute path and a weight between 0 and 1000");
            }
        }

        if (ProcfsInterval < TimeSpan.FromMilliseconds(10) || ProcfsInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"procfs scan interval {ProcfsInterval.TotalMilliseconds} ms is out of range (10 ms to 60 s)");
        }

        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            problems.Add("the state directory is empty");
        }

        if (KillGrace < TimeSpan.Zero || KillGrace > TimeSpan.FromMinutes(5))
        {
            problems.Add($"kill grace {KillGrace.TotalSeconds} s is out of range (0 to 300 s)");
        }

        // A period shorter than the tick solves every tick (the loop cannot do better).
        if (PlacementPeriod < TimeSpan.FromMilliseconds(10) || PlacementPeriod > TimeSpan.FromMinutes(10))
        {
            problems.Add($"placement period {PlacementPeriod.TotalMilliseconds} ms is out of range (10 ms to 10 minutes)");
        }

        if (PlacementThreads is < 1 or > 4096)
        {
            problems.Add($"placement threads {PlacementThreads} is out of range (1 to 4096)");
        }

        if (PlacementHold is < 1 or > 100)
        {
            problems.Add($"placement hold {PlacementHold} is out of range (1 to 100 solves)");
        }

        if (TopAgents is < 0 or > 1000)
        {
            problems.Add($"top agents {TopAgents} is out of range (0 to 1000)");
        }

        foreach (var pid in AllowPids)
        {
            if (pid <= 0)
            {
                problems.Add($"allow-listed pid {pid} is not a process id");
            }
        }

        foreach (var pid in Scope)
        {
            if (pid <= 0)
            {
                problems.Add($"scope pid {pid} is not a process id");
            }
        }

        return problems;
    }

    /// <summary>Parses a metrics address <c>http://host:port</c>.</summary>
    public static bool TryParseMetricsUrl(string url, out Uri? uri, out string? problem)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttp)
        {
            problem = $"metrics URL '{url}' is not an http://host:port address";
            return false;
        }

        if (parsed.AbsolutePath != "/" || parsed.Query.Length > 0 || parsed.UserInfo.Length > 0)
        {
            problem = $"metrics URL '{url}' must be just http://host:port (the paths are /metrics and /healthz)";
            return false;
        }

        if (url.IndexOf(':', "http://".Length) < 0 && !parsed.Host.StartsWith('['))
        {
            problem = $"metrics URL '{url}' needs an explicit port";
            return false;
        }

        uri = parsed;
        problem = null;
        return true;
    }
}
