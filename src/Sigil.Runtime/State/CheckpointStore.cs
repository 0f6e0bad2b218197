using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Sigil.Runtime.State;

/// <summary>Where a loaded state came from.</summary>
public enum CheckpointSource
{
    /// <summary>No usable checkpoint: the daemon starts fresh.</summary>
    None,

    /// <summary>The current checkpoint.</summary>
    Current,

    /// <summary>The previous checkpoint, because the current one was missing or bad.</summary>
    Previous,
}

/// <summary>The outcome of <see cref="CheckpointStore.Load"/>.</summary>
/// <param name="State">The state, or null when none was usable.</param>
/// <param name="Source">Which file it came from.</param>
/// <param name="Problems">Each bad file found, with the reason and where it was moved.</param>
public sealed record CheckpointLoadResult(DaemonState? State, CheckpointSource Source, IReadOnlyList<string> Problems);

/// <summary>
/// Checkpoints of one fibre's state in one directory: <c>&lt;fibre&gt;.state</c> and the previous good
/// one, <c>&lt;fibre&gt;.state.prev</c>.
/// </summary>
/// <remarks>
/// A save writes a temporary file in the same directory, fsyncs it, moves the current file to
/// <c>.prev</c> and the temporary file to current (both renames, atomic on one file system), then
/// fsyncs the directory. A crash at any point leaves either a complete current file, or no
/// current file and a complete previous one: a load never sees a half-written checkpoint, and
/// loses at most the save in flight. A bad file (truncated, corrupt, unknown version) is reported,
/// moved aside to <c>.corrupt-&lt;time&gt;</c>, and the previous good checkpoint is used.
/// </remarks>
public sealed class CheckpointStore
{
    private readonly string _directory;
    private readonly string _fibre;

    /// <summary>A store for <paramref name="fibre"/> in <paramref name="directory"/> (created if missing).</summary>
    public CheckpointStore(string directory, string fibre)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(fibre);
        if (fibre.IndexOfAny(['/', '\0']) >= 0 || fibre is "." or "..")
        {
            throw new ArgumentException($"'{fibre}' cannot name a checkpoint file", nameof(fibre));
        }

        _directory = Path.GetFullPath(directory);
        _fibre = fibre;
        CurrentPath = Path.Combine(_directory, fibre + ".state");
        PreviousPath = CurrentPath + ".prev";
        TemporaryPath = CurrentPath + ".tmp";
    }

    /// <summary>The current checkpoint's path.</summary>
    public string CurrentPath { get; }

    /// <summary>The previous good checkpoint's path.</summary>
    public string PreviousPath { get; }

    /// <summary>The temporary file a save writes first.</summary>
    public string TemporaryPath { get; }

    /// <summary>
    /// Takes the store's lock file (<c>&lt;fibre&gt;.lock</c>, an exclusive advisory lock), so that two
    /// daemons never write one fibre's checkpoints. Dispose the result to release it.
    /// </summary>
    /// <exception cref="IOException">Another process holds the lock.</exception>
    public IDisposable AcquireLock()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, _fibre + ".lock");
        try
        {
            // On Unix, FileShare.None is an exclusive flock(2) held for the stream's life.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"the state directory '{_directory}' is in use by another sigil daemon for fibre '{_fibre}' ({e.Message})", e);
        }
    }

    /// <summary>Saves <paramref name="state"/> durably and atomically (see the type's remarks).</summary>
    public void Save(DaemonState state)
    {
        var bytes = CheckpointFormat.Encode(state);
        Directory.CreateDirectory(_directory);
        using (var stream = new FileStream(TemporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        if (File.Exists(CurrentPath))
        {
            File.Move(CurrentPath, PreviousPath, overwrite: true);
        }

        File.Move(TemporaryPath, CurrentPath, overwrite: false);
        DirectorySync.Fsync(_directory);
    }

    /// <summary>
    /// Loads the newest good checkpoint. Never throws for a bad file: it is reported in the
    /// result's problems and moved aside, and the previous checkpoint is tried.
    /// </summary>
    public CheckpointLoadResult Load()
    {
        var problems = new List<string>();

        // A temporary file is a save that did not finish; the previous renames never happened.
        TryDelete(TemporaryPath);

        foreach (var (path, source) in new[] { (CurrentPath, CheckpointSource.Current), (PreviousPath, CheckpointSource.Previous) })
        {
            byte[] bytes;
            try
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot be read: {e.Message}");
                continue;
            }

            if (!CheckpointFormat.TryDecode(bytes, out var state, out var problem))
            {
                problems.Add($"{path}: {problem}; moved aside to {Quarantine(path)}");
                continue;
            }

            if (!string.Equals(state!.Fibre, _fibre, StringComparison.Ordinal))
            {
                problems.Add($"{path}: belongs to fibre '{state.Fibre}', not '{_fibre}'; ignored");
                continue;
            }

            return new CheckpointLoadResult(state, source, problems);
        }

        return new CheckpointLoadResult(null, CheckpointSource.None, problems);
    }

    private static string Quarantine(string path)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var target = $"{path}.corrupt-{stamp}";
        for (var n = 1; File.Exists(target); n++)
        {
            target = $"{path}.corrupt-{stamp}-{n}";
        }

        try
        {
            File.Move(path, target);
            return target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(not moved: {e.Message})";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: the next save truncates it.
        }
    }
}
