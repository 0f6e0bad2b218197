using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>What the daemon knows of a thread it senses.</summary>
/// <param name="StartTime">Start time in clock ticks after boot (<c>/proc/&lt;tid&gt;/stat</c>); with the tid it names one thread.</param>
/// <param name="Comm">The thread's command name.</param>
/// <param name="Tgid">Its process.</param>
/// <param name="Placeable">False for kernel threads and the daemon's own threads: no placement applies to them.</param>
internal readonly record struct ThreadInfo(ulong StartTime, string Comm, int Tgid, bool Placeable);

/// <summary>
/// The identities of sensed threads (start time, name, process), read from procfs once per thread
/// (keyed by the sensor's own identity of it, so a reused tid is read again), and the scope: when
/// scope roots are given, only threads of those processes and their descendants count.
/// </summary>
internal sealed class ThreadDirectory
{
    private readonly string _procRoot;
    private readonly HashSet<int> _roots;
    private readonly int _self = Environment.ProcessId;
    private readonly Dictionary<int, (ulong Key, ThreadInfo Info)> _threads = [];
    private readonly Dictionary<int, bool> _scopeOfProcess = [];

    public ThreadDirectory(string procRoot, IEnumerable<int>? scopeRoots)
    {
        _procRoot = procRoot;
        _roots = [.. scopeRoots ?? []];
    }

    public IReadOnlyCollection<int> ScopeRoots => _roots;

    /// <summary>
    /// The processes in scope now (the live roots and their descendants, from a walk of procfs),
    /// ascending; empty without scope roots.
    /// </summary>
    public IReadOnlyList<int> ScopedProcesses()
    {
        var scoped = new List<int>();
        if (_roots.Count == 0)
        {
            return scoped;
        }

        foreach (var entry in Directory.EnumerateDirectories(_procRoot))
        {
            // InScope reads the process's ancestry once per window; a process gone since the
            // listing only costs the kernel's scope set an entry that matches nothing.
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && InScope(pid))
            {
                scoped.Add(pid);
            }
        }

        scoped.Sort();
        return scoped;
    }

    /// <summary>Call once per window: process ancestry is re-read (a process whose parent died leaves the tree).</summary>
    public void BeginWindow() => _scopeOfProcess.Clear();

    /// <summary>
    /// The identity of <paramref name="tid"/>, cached under <paramref name="key"/> (the sensor's
    /// own stamp of the thread, e.g. its kernel start time); false when the thread is gone.
    /// </summary>
    public bool TryGet(int tid, ulong key, out ThreadInfo info)
    {
        if (_threads.TryGetValue(tid, out var known) && known.Key == key)
        {
            info = known.Info;
            return true;
        }

        var stat = ProcStat.TryRead(tid, _procRoot);
        var tgid = stat is null ? null : ReadTgid(tid);
        if (stat is null || tgid is null)
        {
            _threads.Remove(tid);
            info = default;
            return false;
        }

        info = Make(tid, stat, tgid.Value);
        _threads[tid] = (key, info);
        return true;
    }

    /// <summary>Records a thread whose identity the caller read itself (the /proc sensor reads stat anyway).</summary>
    public ThreadInfo Remember(int tid, ulong key, ProcStat stat, int tgid)
    {
        if (_threads.TryGetValue(tid, out var known) && known.Key == key)
        {
            return known.Info;
        }

        var info = Make(tid, stat, tgid);
        _threads[tid] = (key, info);
        return info;
    }

    /// <summary>True when <paramref name="tgid"/> is in scope (always, without scope roots).</summary>
    public bool InScope(int tgid)
    {
        if (_roots.Count == 0)
        {
            return true;
        }

        if (_scopeOfProcess.TryGetValue(tgid, out var known))
        {
            return known;
        }

        var inScope = false;
        for (var (pid, hops) = (tgid, 0); pid > 1 && hops < 64; hops++)
        {
            if (_roots.Contains(pid))
            {
                inScope = true;
                break;
            }

            if (ProcStat.TryRead(pid, _procRoot) is not { } stat)
            {
                break;
            }

            pid = stat.ParentPid;
        }

        _scopeOfProcess[tgid] = inScope;
        return inScope;
    }

    /// <summary>Forgets threads not in <paramref name="alive"/>.</summary>
    public void Prune(HashSet<int> alive)
    {
        if (_threads.Count <= alive.Count)
        {
            return;
        }

        List<int>? gone = null;
        foreach (var tid in _threads.Keys)
        {
            if (!alive.Contains(tid))
            {
                (gone ??= []).Add(tid);
            }
        }

        foreach (var tid in gone ?? [])
        {
            _threads.Remove(tid);
        }
    }

    /// <summary>Forgets one thread.</summary>
    public void Forget(int tid) => _threads.Remove(tid);

    private ThreadInfo Make(int tid, ProcStat stat, int tgid)
    {
        var kernel = stat.IsKernelThread || tid == 2 || stat.ParentPid == 2 || tgid == 2;
        return new ThreadInfo(stat.StartTime, stat.Comm, tgid, !kernel && tgid != _self && tgid > 1);
    }

    private int? ReadTgid(int tid) =>
        int.TryParse(ProcStat.StatusField(tid, "Tgid", _procRoot), NumberStyles.None, CultureInfo.InvariantCulture, out var tgid) ? tgid : null;
}
