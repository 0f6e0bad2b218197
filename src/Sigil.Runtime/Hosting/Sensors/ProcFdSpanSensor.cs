using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting.Sensors;

/// <summary>
/// A userspace sensor for span loads keyed by (pid, fd): how long each regular file stays open,
/// sampled by scanning <c>/proc/&lt;pid&gt;/fd</c> once per tick. It is the fallback for hosts (and
/// runs) without the fibre's eBPF sensor, and it is coarser: a span is known to within one tick,
/// and files opened and closed between two scans are not seen at all (they carry no dwell to
/// speak of). It reads nothing but /proc.
/// </summary>
public sealed partial class ProcFdSpanSensor : ISensor
{
    private readonly string _variable;
    private readonly double _secondsPerUnit;
    private readonly string _procRoot;
    private readonly HashSet<int> _scopeRoots;
    private readonly int _self = Environment.ProcessId;
    private readonly Dictionary<(int Pid, int Fd), OpenFile> _open = [];
    private readonly Dictionary<int, ProcStat> _stats = [];
    private readonly Dictionary<int, List<double>> _completed = [];
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
    public ProcFdSpanSensor(string variable, double secondsPerUnit = 1, string procRoot = "/proc", IEnumerable<int>? scopeRoots = null)
    {
        _variable = variable ?? throw new ArgumentNullException(nameof(variable));
        if (!(secondsPerUnit > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(secondsPerUnit));
        }

        _secondsPerUnit = secondsPerUnit;
        _procRoot = procRoot;
        _scopeRoots = [.. scopeRoots ?? []];
    }

    /// <inheritdoc/>
    public string Name => "procfs";

    /// <inheritdoc/>
    public string Description => _scopeRoots.Count == 0
        ? $"{_procRoot}/<pid>/fd scan of every process (file hold times to within one tick)"
        : $"{_procRoot}/<pid>/fd scan of processes {string.Join(',', _scopeRoots)} and their descendants (file hold times to within one tick)";

    /// <summary>Files currently tracked as open.</summary>
    public int OpenFiles => _open.Count;

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        var now = _clock.Elapsed.TotalSeconds;
        var previous = double.IsNaN(_previousScan) ? now : _previousScan;
        _generation++;
        _completed.Clear();
        ReadStats();
        foreach (var (pid, stat) in _stats)
        {
            if (pid == _self || stat.IsKernelThread || !InScope(pid))
            {
                continue;
            }

            ScanFds(pid, stat, now, previous);
        }

        // Whatever was open at the previous scan and is not now has been closed in between. A
        // process that exited closed its files without close(2), as the kernel sensor sees it:
        // those are dropped, not counted as holds.
        List<(int, int)>? closed = null;
        foreach (var (key, file) in _open)
        {
            if (file.Generation != _generation)
            {
                (closed ??= []).Add(key);
                if (_stats.TryGetValue(key.Pid, out var owner) && owner.StartTime == file.StartTime && owner.State != 'Z')
                {
                    Complete(key.Pid, file, now);
                }
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
            var stat = _stats.GetValueOrDefault(pid);
            agents.Add(new AgentObservation(pid, stat?.StartTime ?? 0, stat?.Comm ?? string.Empty, spans.ToArray()));
        }

        agents.Sort(static (a, b) => a.Agent.CompareTo(b.Agent));
        return new SensorFrame(_variable, agents, new SensorCounters(_seen, _processed, _filtered, _dropped));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void ReadStats()
    {
        _stats.Clear();
        foreach (var dir in Directory.EnumerateDirectories(_procRoot))
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (ProcStat.TryRead(pid, _procRoot) is { } stat)
            {
                _stats[pid] = stat;
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

            if (!_stats.TryGetValue(p, out var stat))
            {
                return false;
            }

            p = stat.ParentPid;
        }

        return false;
    }

    private void ScanFds(int pid, ProcStat stat, double now, double previous)
    {
        IEnumerable<string> entries;
        var fdDir = Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "fd");
        try
        {
            entries = Directory.EnumerateFileSystemEntries(fdDir);
            foreach (var entry in entries)
            {
                _seen++;
                if (!int.TryParse(Path.GetFileName(entry.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
                {
                    continue;
                }

                var target = ReadLink(entry);
                if (target is null || !IsRegularFilePath(target))
                {
                    _filtered++;
                    continue;
                }

                var key = (pid, fd);
                if (_open.TryGetValue(key, out var file))
                {
                    if (file.StartTime == stat.StartTime && string.Equals(file.Target, target, StringComparison.Ordinal))
                    {
                        file.LastSeen = now;
                        file.Generation = _generation;
                        continue;
                    }

                    // The descriptor was closed and reused (or the pid was) since the previous scan.
                    Complete(pid, file, now);
                }

                _open[key] = new OpenFile(stat.StartTime, target, previous, now) { Generation = _generation };
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited mid-scan, or its descriptors are not ours to read.
            if (e is UnauthorizedAccessException)
            {
                _dropped++;
            }
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

    private static bool IsRegularFilePath(string target) =>
        target.StartsWith('/')
        && !target.StartsWith("/dev/", StringComparison.Ordinal)
        && !target.StartsWith("/proc/", StringComparison.Ordinal)
        && !target.StartsWith("/sys/", StringComparison.Ordinal)
        && !target.StartsWith("/memfd:", StringComparison.Ordinal);

    private static unsafe string? ReadLink(string path)
    {
        var buffer = stackalloc byte[4096];
        var n = ReadLinkNative(path, buffer, 4096);
        return n <= 0 ? null : Encoding.UTF8.GetString(buffer, (int)n);
    }

    [LibraryImport("libc", EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial nint ReadLinkNative(string path, byte* buffer, nuint size);

    private sealed class OpenFile(ulong startTime, string target, double previousScan, double firstSeen)
    {
        public ulong StartTime { get; } = startTime;

        public string Target { get; } = target;

        public double PreviousScan { get; } = previousScan;

        public double FirstSeen { get; } = firstSeen;

        public double LastSeen { get; set; } = firstSeen;

        public long Generation { get; set; }
    }
}
