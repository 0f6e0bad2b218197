using System.Collections.Generic;
using System.Collections.Immutable;

namespace Sigil.Runtime.Enforcement;

/// <summary>Processes the daemon must never act on, besides the ones it always protects.</summary>
/// <param name="AllowedPids">Process ids never acted on.</param>
/// <param name="AllowedComms">Command names (<c>/proc/&lt;pid&gt;/comm</c>, exact match) never acted on.</param>
public sealed record GuardPolicy(ImmutableHashSet<int> AllowedPids, ImmutableHashSet<string> AllowedComms)
{
    /// <summary>No allow-list beyond the built-in protections.</summary>
    public static GuardPolicy None { get; } = new(ImmutableHashSet<int>.Empty, ImmutableHashSet<string>.Empty);

    /// <summary>Executables, as the kernel's (dev, ino), whose processes are never acted on (the fibre's allow exe statements).</summary>
    public ImmutableHashSet<(uint Dev, ulong Ino)> AllowedExecutables { get; init; } = ImmutableHashSet<(uint Dev, ulong Ino)>.Empty;

    /// <summary>cgroup v2 paths (from the hierarchy's root) whose processes, and their descendants', are never acted on.</summary>
    public ImmutableHashSet<string> AllowedCgroups { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>A policy from lists.</summary>
    public static GuardPolicy From(IEnumerable<int> pids, IEnumerable<string> comms) =>
        new(pids.ToImmutableHashSet(), comms.ToImmutableHashSet(System.StringComparer.Ordinal));
}
