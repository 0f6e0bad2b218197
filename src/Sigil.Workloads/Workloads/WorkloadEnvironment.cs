using System;
using System.Collections.Generic;

namespace Sigil.Runtime.Workloads;

/// <summary>
/// The environment a simulated workload process is started with. Tiered compilation is off: its
/// background compiler thread comes and goes as methods get hot (often while the process is
/// CPU-throttled), and each new thread costs the process a few short file opens of the runtime's
/// own (<c>/sys/devices/system/cpu/possible</c>, <c>/proc/self/task/*/comm</c>). The dwell fibre
/// rightly counts those closes as short holds, which pull the workload's price back down and
/// would blur what the simulation shows.
/// </summary>
public static class WorkloadEnvironment
{
    /// <summary>The variables set, by name.</summary>
    public static IReadOnlyDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_TieredCompilation"] = "0",
    };

    /// <summary>Sets <see cref="Variables"/> in <paramref name="environment"/> (a ProcessStartInfo's).</summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var (name, value) in Variables)
        {
            environment[name] = value;
        }
    }
}
