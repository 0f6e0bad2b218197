using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting.Placement;

namespace Sigil.Runtime.Hosting.Sensors;

/// <summary>
/// The /proc fallback of the <c>oncpu</c> sensor: once per window (the placement period) it reads
/// every thread's user and system time (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c>, fields 14 and
/// 15) and reports, per thread, the time it ran since the previous window.
/// </summary>
/// <remarks>
/// Its resolution is the kernel's clock tick for these fields (USER_HZ, 100 per second on Linux):
/// a thread that ran less than 10 ms in a window may show 0 or 10 ms. The first window only sets
/// the baseline. Kernel threads and the daemon's own threads are not reported (they cannot be placed).
/// </remarks>
public sealed class ProcTaskOnCpuSensor : ISensor
{
    // USER_HZ: /proc reports times in units of 1/100 s on every Linux architecture (the ABI fixes it).
    private const double TicksPerSecond = 100;
    private readonly string _variable;
    private readonly double _secondsPerUnit;
    private readonly string _procRoot;
    private readonly ThreadDirectory _threads;
    private readonly long _windowTicks;
    private readonly Dictionary<int, (ulong Start, ulong Ticks)> _previous = [];
    private long _windowStart;
    private bool _baseline;
    private ulong _seen;
    private ulong _processed;
    private ulong _filtered;
    private ulong _dropped;

    /// <summary>A sensor of <paramref name="variable"/> (in units of <paramref name="secondsPerUnit"/> seconds).</summary>
    /// <param name="variable">The sensed variable family.</param>
    /// <param name="secondsPerUnit">Seconds in one unit of the variable.</param>
    /// <param name="procRoot">Where procfs is mounted.</param>
    /// <param name="scopeRoots">When not empty, only these processes and their descendants are sensed.</param>
    /// <param name="window">Time between two reads.</param>
    public ProcTaskOnCpuSensor(string variable, double secondsPerUnit = 1, string procRoot = "/proc", IEnumerable<int>? scopeRoots = null, TimeSpan? window = null)
    {
        _variable = variable ?? throw new ArgumentNullException(nameof(variable));
        _secondsPerUnit = secondsPerUnit > 0 ? secondsPerUnit : 1;
        _procRoot = procRoot;
        _threads = new ThreadDirectory(procRoot, scopeRoots);
        _windowTicks = Math.Max(1, (long)((window ?? TimeSpan.FromSeconds(1)).TotalSeconds * Stopwatch.Frequency));
        _windowStart = Stopwatch.GetTimestamp() - _windowTicks;
    }

    /// <inheritdoc/>
    public string Name => "procfs";

    /// <inheritdoc/>
    public string Description => (_threads.ScopeRoots.Count == 0
        ? $"{_procRoot}/<pid>/task/<tid>/stat of every process"
        : $"{_procRoot}/<pid>/task/<tid>/stat of processes {string.Join(',', _threads.ScopeRoots)} and their descendants")
        + $", on-CPU time per thread every {TimeSpan.FromSeconds((double)_windowTicks / Stopwatch.Frequency).TotalSeconds:0.###} s (10 ms resolution)";

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _windowStart < _windowTicks)
        {
            return new SensorFrame(_variable, [], Counters());
        }

        var window = Stopwatch.GetElapsedTime(_windowStart, now);
        _windowStart = now;
        var observations = Scan();
        if (!_baseline)
        {
            // The first scan only learns every thread's total so far.
            _baseline = true;
            return new SensorFrame(_variable, [], Counters());
        }

        return new SensorFrame(_variable, observations, Counters()) { Window = window };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private SensorCounters Counters() => new(_seen, _processed, _filtered, _dropped);

    private List<AgentObservation> Scan()
    {
        _threads.BeginWindow();
        var observations = new List<AgentObservation>();
        var alive = new HashSet<int>();
        foreach (var pid in Numbered(_procRoot))
        {
            if (pid == Environment.ProcessId || !_threads.InScope(pid))
            {
                continue;
            }

            var tasks = Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "task");
            foreach (var tid in Numbered(tasks))
            {
                _seen++;
                var stat = ProcStat.TryRead(tid, tasks);
                if (stat is null)
                {
                    _dropped++;
                    continue;
                }

                alive.Add(tid);
                var info = _threads.Remember(tid, stat.StartTime, stat, pid);
                var before = _previous.TryGetValue(tid, out var seen) && seen.Start == stat.StartTime ? seen.Ticks : (_baseline ? 0UL : stat.CpuTicks);
                _previous[tid] = (stat.StartTime, stat.CpuTicks);
                if (!info.Placeable || stat.CpuTicks <= before)
                {
                    _filtered++;
                    continue;
                }

                _processed++;
                observations.Add(new AgentObservation(tid, stat.StartTime, stat.Comm, [(stat.CpuTicks - before) / TicksPerSecond / _secondsPerUnit]));
            }
        }

        foreach (var tid in _previous.Keys.Where(t => !alive.Contains(t)).ToList())
        {
            _previous.Remove(tid);
        }

        _threads.Prune(alive);
        observations.Sort(static (a, b) => b.Completed[0].CompareTo(a.Completed[0]) is var c && c != 0 ? c : a.Agent.CompareTo(b.Agent));
        return observations;
    }

    private static IEnumerable<int> Numbered(string folder)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(folder).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                yield return id;
            }
        }
    }
}
