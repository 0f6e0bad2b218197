namespace Sigil.Language.Model;

/// <summary>
/// Processes named by their executable or their cgroup: the members of a class, or the allow-list.
/// Value-equatable: paths are strings, in declaration order.
/// </summary>
/// <param name="Executables">Absolute paths of executables (matched in the kernel by the file's device and inode).</param>
/// <param name="Cgroups">cgroup v2 paths from the hierarchy's root, as /proc/PID/cgroup writes them (a cgroup covers its descendants).</param>
public sealed record ProcessSetSpec(EquatableArray<string> Executables, EquatableArray<string> Cgroups)
{
    /// <summary>No process.</summary>
    public static ProcessSetSpec Empty { get; } = new(EquatableArray<string>.Empty, EquatableArray<string>.Empty);

    /// <summary>True when the set names no executable and no cgroup.</summary>
    public bool IsEmpty => Executables.IsEmpty && Cgroups.IsEmpty;
}
