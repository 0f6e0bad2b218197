namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>The eBPF objects the build compiled (src/Sigil.Fibres' output).</summary>
internal static class KernelObjects
{
    private static readonly Lazy<string> s_dwell = new(() => Find("dwell"));

    /// <summary>dwell.bpf.o.</summary>
    public static string Dwell => s_dwell.Value;

    private static readonly Lazy<string> s_ransomware = new(() => Find("ransomware"));

    /// <summary>ransomware.bpf.o.</summary>
    public static string Ransomware => s_ransomware.Value;

    private static string Find(string fibre)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            // The configuration the tests were built in first: the other one's object may be stale.
            var ours = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            foreach (var configuration in new[] { ours, ours == "Debug" ? "Release" : "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "Sigil.Fibres", "bin", configuration, "net10.0", "sigil", fibre, "bpf", fibre + ".bpf.o");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"{fibre}.bpf.o was not built (the build compiles it with clang-14; run eng/setup.sh)");
    }
}
