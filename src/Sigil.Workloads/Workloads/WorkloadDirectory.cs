using System;
using System.IO;
using System.Linq;

namespace Sigil.Runtime.Workloads;

/// <summary>
/// The one directory a simulated workload may touch. It is created (with a marker file) when
/// missing; an existing directory is accepted only when empty or already marked, so a workload
/// never rewrites files it did not create. Every path a workload uses comes from
/// <see cref="File(string)"/>, which refuses anything but a plain file name.
/// </summary>
public sealed class WorkloadDirectory
{
    /// <summary>The marker file's name.</summary>
    public const string MarkerName = ".sigil-workload";

    private WorkloadDirectory(string path) => Path = path;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) <paramref name="path"/> as a workload directory.</summary>
    /// <exception cref="InvalidOperationException">The directory holds files a workload did not create, or is a system directory.</exception>
    public static WorkloadDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (full == "/" || full.Count(c => c == '/') < 2)
        {
            throw new InvalidOperationException($"'{full}' is too close to the root to be a workload directory; use a directory under /tmp");
        }

        var marker = System.IO.Path.Combine(full, MarkerName);
        if (Directory.Exists(full))
        {
            if (!System.IO.File.Exists(marker) && Directory.EnumerateFileSystemEntries(full).Any())
            {
                throw new InvalidOperationException($"'{full}' holds files no workload created; give an empty or new directory");
            }
        }
        else
        {
            Directory.CreateDirectory(full);
        }

        System.IO.File.WriteAllText(marker, "files here are written by sigil's simulated workloads\n");
        return new WorkloadDirectory(full);
    }

    /// <summary>The path of file <paramref name="name"/> inside the directory.</summary>
    public string File(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\0') || name is "." or ".." || name == MarkerName)
        {
            throw new ArgumentException($"'{name}' is not a plain file name", nameof(name));
        }

        return System.IO.Path.Combine(Path, name);
    }
}
