using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Sigil.Runtime.Security;

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
/// <para>
/// The directory is a <see cref="SecureDirectory"/> (created 0700; refused when another user owns
/// it or can write it); every file is opened relative to it without following links, the
/// temporary file is created exclusively, the lock is 0600, and a checkpoint is trusted only when
/// it is a regular file of the daemon's user that no one else can write: a file another user
/// planted or forged is refused as a whole, whatever its digest says.
/// </para>
/// </remarks>
public sealed class CheckpointStore : IDisposable
{
    /// <summary>The mode the state directory is created with.</summary>
    public const int DirectoryMode = 0x1C0; // 0700

    /// <summary>The mode of checkpoint and lock files.</summary>
    public const int FileMode = 0x180; // 0600

    private const int MaxFile = 64 * 1024 * 1024;
    private readonly string _directory;
    private readonly string _fibre;
    private SecureDirectory? _open;

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

    private string CurrentName => _fibre + ".state";

    private string PreviousName => _fibre + ".state.prev";

    private string TemporaryName => _fibre + ".state.tmp";

    /// <summary>
    /// Takes the store's lock file (<c>&lt;fibre&gt;.lock</c>, mode 0600, an exclusive advisory lock), so
    /// that two daemons never write one fibre's checkpoints. Dispose the result to release it.
    /// </summary>
    /// <exception cref="IOException">Another process holds the lock, or the directory is unsafe.</exception>
    public IDisposable AcquireLock()
    {
        try
        {
            return Directory().Lock(_fibre + ".lock");
        }
        catch (UnsafeFileException)
        {
            throw;
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
        var directory = Directory();
        using (var file = directory.CreateExclusive(TemporaryName, FileMode))
        {
            RandomAccess.Write(file, bytes, 0);
            SecureDirectory.Sync(file);
        }

        if (directory.Exists(CurrentName))
        {
            directory.Rename(CurrentName, PreviousName);
        }

        directory.Rename(TemporaryName, CurrentName);
        directory.Sync();
    }

    /// <summary>
    /// Loads the newest good checkpoint. Never throws for a bad file: it is reported in the
    /// result's problems and moved aside, and the previous checkpoint is tried.
    /// </summary>
    public CheckpointLoadResult Load()
    {
        var problems = new List<string>();
        SecureDirectory directory;
        try
        {
            directory = Directory();

            // A temporary file is a save that did not finish; the previous renames never happened.
            directory.Delete(TemporaryName);
        }
        catch (IOException e)
        {
            problems.Add(e.Message);
            return new CheckpointLoadResult(null, CheckpointSource.None, problems);
        }

        foreach (var (name, path, source) in new[] { (CurrentName, CurrentPath, CheckpointSource.Current), (PreviousName, PreviousPath, CheckpointSource.Previous) })
        {
            byte[]? bytes;
            try
            {
                bytes = directory.ReadTrusted(name, MaxFile);
                if (bytes is null)
                {
                    continue;
                }
            }
            catch (UnsafeFileException e)
            {
                problems.Add($"{e.Message}; moved aside to {Quarantine(directory, name, path)}");
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot be read: {e.Message}");
                continue;
            }

            if (!CheckpointFormat.TryDecode(bytes, out var state, out var problem))
            {
                problems.Add($"{path}: {problem}; moved aside to {Quarantine(directory, name, path)}");
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

    /// <inheritdoc/>
    public void Dispose() => _open?.Dispose();

    private SecureDirectory Directory() => _open ??= SecureDirectory.Open(_directory, DirectoryMode);

    private static string Quarantine(SecureDirectory directory, string name, string path)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var target = $"{name}.corrupt-{stamp}";
        for (var n = 1; directory.Exists(target); n++)
        {
            target = $"{name}.corrupt-{stamp}-{n}";
        }

        try
        {
            directory.Rename(name, target);
            return Path.Combine(Path.GetDirectoryName(path)!, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(not moved: {e.Message})";
        }
    }
}
