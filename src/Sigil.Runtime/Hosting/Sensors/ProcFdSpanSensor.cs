using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Enumeration;
using System.Text;

namespace Sigil.Runtime.Hosting.Sensors;

/// <summary>
/// A userspace sensor for span loads keyed by (pid, fd): how long each regular file stays open,
/// sampled by scanning <c>/proc/&lt;pid&gt;/fd</c> once per scan interval (one second by default,
/// whatever the daemon's tick). It is the fallback for hosts (and runs) without the fibre's eBPF
/// sensor, and it is coarser: a span is known to within one scan, and files opened and closed
/// between two scans are not seen at all (they carry no dwell to speak of). Files that vanish
/// because their process exited are dropped, as the kernel sensor (which counts close(2)) would.
/// It reads nothing but /proc.
/// </summary>
public sealed class ProcFdSpanSensor : ISensor
{
    private const int TargetMax = 4096;
    private readonly string _variable;
    private readonly double _secondsPerUnit;
    private readonly string _procRoot;
    private readonly byte[] _procRootBytes;
    private readonly HashSet<int> _scopeRoots;
    private readonly TimeSpan _interval;
    private readonly int _self = Environment.ProcessId;
    private readonly Dictionary<(int Pid, int Fd), OpenFile> _open = [];
    private readonly Dictionary<int, Process> _processes = [];
    private readonly Dictionary<int, List<double>> _completed = [];
    private readonly byte[] _target = new byte[TargetMax];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _previousScan = double.NaN;
    private long _generation;
    private ulong _seen;
    private ulong _processed;
    private ulong _filtered;
    private ulong _dropped;

    /// <summary>A sensor for <paramref name="variable"/>.</summary>
    /// <param name="variable">The sensed variable family.</param>
    /// <param name="secondsPerUnit">Seconds in one unit of the variable (1 for seconds).</param>
    /// <param name="procRoot">Where procfs is mounted.</param>
    /// <param name="scopeRoots">When not empty, only these processes and their descendants are sensed.</param>
    /// <param name="interval">Time between two scans (calls in between return an empty frame).</param>
    public ProcFdSpanSensor(string variable, double secondsPerUnit = 1, string procRoot = "/proc", IEnumerable<int>? scopeRoots = null, TimeSpan? interval = null)
    {
        _variable = variable ?? throw new ArgumentNullException(nameof(variable));
        if (!(secondsPerUnit > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(secondsPerUnit));
        }

        _secondsPerUnit = secondsPerUnit;
        _procRoot = Path.TrimEndingDirectorySeparator(procRoot);
        _procRootBytes = Encoding.UTF8.GetBytes(_procRoot);
        _scopeRoots = [.. scopeRoots ?? []];
        _interval = interval ?? TimeSpan.FromSeconds(1);
    }

    /// <inheritdoc/>
    public string Name => "procfs";

    /// <inheritdoc/>
    public string Description => (_scopeRoots.Count == 0
        ? $"{_procRoot}/<pid>/fd scan of every process"
        : $"{_procRoot}/<pid>/fd scan of processes {string.Join(',', _scopeRoots)} and their descendants")
        + string.Create(CultureInfo.InvariantCulture, $" every {_interval.TotalSeconds:0.###} s (file hold times to within one scan)");

    /// <summary>Files currently tracked as open.</summary>
    public int OpenFiles => _open.Count;

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        var now = _clock.Elapsed.TotalSeconds;
        if (!double.IsNaN(_previousScan) && now - _previousScan < _interval.TotalSeconds - 0.005)
        {
            return new SensorFrame(_variable, [], Counters);
        }

        var previous = double.IsNaN(_previousScan) ? now : _previousScan;
        _generation++;
        _completed.Clear();
        ReadProcesses();
        foreach (var (pid, process) in _processes)
        {
            if (process.Generation == _generation && pid != _self && !process.Stat.IsKernelThread && InScope(pid))
            {
                ScanFds(pid, process, now, previous);
            }
        }

        // Whatever was open at the previous scan and is not now was closed in between; files of a
        // process that exited went without close(2), and those of one that left the scope or could
        // not be read are unknown: both are dropped.
        List<(int, int)>? closed = null;
        foreach (var (key, file) in _open)
        {
            if (file.Generation == _generation)
            {
                continue;
            }

            (closed ??= []).Add(key);
            if (_processes.TryGetValue(key.Pid, out var owner) && owner.Scanned == _generation
                && owner.Stat.StartTime == file.StartTime && owner.Stat.State != (byte)'Z')
            {
                Complete(key.Pid, file, now);
            }
        }

        if (closed is not null)
        {
            foreach (var key in closed)
            {
                _open.Remove(key);
            }
        }

        _previousScan = now;
        var agents = new List<AgentObservation>(_completed.Count);
        foreach (var (pid, spans) in _completed)
        {
            var process = _processes.GetValueOrDefault(pid);
            agents.Add(new AgentObservation(pid, process?.Stat.StartTime ?? 0, process?.Comm ?? string.Empty, spans.ToArray()));
        }

        agents.Sort(static (a, b) => a.Agent.CompareTo(b.Agent));
        return new SensorFrame(_variable, agents, Counters);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private SensorCounters Counters => new(_seen, _processed, _filtered, _dropped);

    // Every process's stat, once per scan. The command name is decoded only for a new process.
    private void ReadProcesses()
    {
        Span<byte> comm = stackalloc byte[64];
        var pids = new FileSystemEnumerable<int>(
            _procRoot,
            static (ref FileSystemEntry entry) => int.TryParse(entry.FileName, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0,
            new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) => entry.IsDirectory && entry.FileName.Length > 0 && char.IsAsciiDigit(entry.FileName[0]),
        };
        foreach (var pid in pids)
        {
            if (pid <= 0 || !ProcFs.TryReadStat(_procRootBytes, pid, out var stat, comm, out var commLength))
            {
                continue;
            }

            if (!_processes.TryGetValue(pid, out var process) || process.Stat.StartTime != stat.StartTime)
            {
                process = new Process(Encoding.UTF8.GetString(comm[..commLength]));
                _processes[pid] = process;
            }

            process.Stat = stat;
            process.Generation = _generation;
        }

        List<int>? gone = null;
        foreach (var (pid, process) in _processes)
        {
            if (process.Generation != _generation)
            {
                (gone ??= []).Add(pid);
            }
        }

        if (gone is not null)
        {
            foreach (var pid in gone)
            {
                _processes.Remove(pid);
            }
        }
    }

    private bool InScope(int pid)
    {
        if (_scopeRoots.Count == 0)
        {
            return true;
        }

        for (var (p, hops) = (pid, 0); p > 1 && hops < 64; hops++)
        {
            if (_scopeRoots.Contains(p))
            {
                return true;
            }

            if (!_processes.TryGetValue(p, out var process) || process.Generation != _generation)
            {
                return false;
            }

            p = process.Stat.ParentPid;
        }

        return false;
    }

    private void ScanFds(int pid, Process process, double now, double previous)
    {
        var dir = ProcFs.OpenFdDirectory(_procRootBytes, pid, out var denied);
        if (dir == 0)
        {
            // Not ours to read (no CAP_SYS_PTRACE for another user's process), or it exited.
            if (denied)
            {
                _dropped++;
            }

            return;
        }

        process.Scanned = _generation;
        try
        {
            while (ProcFs.NextFd(dir, _target, out var fd, out var length))
            {
                _seen++;
                if (length <= 0 || !IsRegularFilePath(_target.AsSpan(0, length)))
                {
                    _filtered++;
                    continue;
                }

                var target = _target.AsSpan(0, length);
                var key = (pid, fd);
                if (_open.TryGetValue(key, out var file))
                {
                    if (file.StartTime == process.Stat.StartTime && target.SequenceEqual(file.Target))
                    {
                        file.LastSeen = now;
                        file.Generation = _generation;
                        continue;
                    }

                    // The descriptor was closed and reused (or the pid was) since the previous scan.
                    Complete(pid, file, now);
                }

                _open[key] = new OpenFile(process.Stat.StartTime, target.ToArray(), previous, now) { Generation = _generation };
            }
        }
        finally
        {
            ProcFs.CloseDirectory(dir);
        }
    }

    // The file was opened between the scan before it was first seen and that scan, and closed
    // between its last sighting and now: the midpoints are the unbiased estimate.
    private void Complete(int pid, OpenFile file, double now)
    {
        var opened = (file.PreviousScan + file.FirstSeen) / 2;
        var closedAt = (file.LastSeen + now) / 2;
        var seconds = Math.Max(0, closedAt - opened);
        if (!_completed.TryGetValue(pid, out var spans))
        {
            _completed[pid] = spans = [];
        }

        spans.Add(seconds / _secondsPerUnit);
        _processed++;
    }

    private static bool IsRegularFilePath(ReadOnlySpan<byte> target) =>
        target.Length > 0 && target[0] == (byte)'/'
        && !target.StartsWith("/dev/"u8)
        && !target.StartsWith("/proc/"u8)
        && !target.StartsWith("/sys/"u8)
        && !target.StartsWith("/memfd:"u8);

    private sealed class Process(string comm)
    {
        public string Comm { get; } = comm;

        public StatFields Stat { get; set; }

        public long Generation { get; set; }

        public long Scanned { get; set; }
    }

    private sealed class OpenFile(ulong startTime, byte[] target, double previousScan, double firstSeen)
    {
        public ulong StartTime { get; } = startTime;

        public byte[] Target { get; } = target;

        public double PreviousScan { get; } = previousScan;

        public double FirstSeen { get; } = firstSeen;

        public double LastSeen { get; set; } = firstSeen;

        public long Generation { get; set; }
    }
}
