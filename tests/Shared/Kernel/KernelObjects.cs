using System;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;

namespace Sigil.Testing;

/// <summary>
/// The shipped fibres' compiled eBPF objects, and variants of dwell's with the descriptor a
/// hand-made fixture would compile to (the daemon refuses an object whose descriptor disagrees
/// with the fibre it runs). Shared by the daemon and LLVM tests.
/// </summary>
internal static class KernelObjects
{
    private static readonly Lazy<string> s_dwell = new(() => Find("dwell"));

    private static readonly Lazy<string> s_variants = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"sigil-daemon-tests-objects-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // In use or gone: the temporary folder is cleaned by the system.
            }
        };
        return folder;
    });

    private static int s_serial;

    /// <summary>dwell.bpf.o.</summary>
    public static string Dwell => s_dwell.Value;

    private static readonly Lazy<string> s_ransomware = new(() => Find("ransomware"));

    /// <summary>ransomware.bpf.o.</summary>
    public static string Ransomware => s_ransomware.Value;

    /// <summary>
    /// dwell.bpf.o with the descriptor the compiler writes for <paramref name="spec"/> (a variant of
    /// the shipped dwell: same programs and maps, other constants), in a folder of its own.
    /// </summary>
    public static string DwellFor(FibreSpec spec) => WithDescriptor(Dwell, BpfEmitter.Describe(spec));

    /// <summary>
    /// dwell.bpf.o with a descriptor whose kernel constants are those of the hand-made daemon
    /// fixture <paramref name="fibre"/> at the shipped object's scale: what compiling a dwell with
    /// these numbers would write.
    /// </summary>
    public static string DwellFor(DaemonFibre fibre)
    {
        var shipped = BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(Dwell));
        var fp = shipped.FixedPoint!;
        long Fixed(double value) => FixedPoint.ToFixed(value, fp.ScaleBits);
        long? Threshold(ActionKind kind) => fibre.Rules.FirstOrDefault(r => r.Kind == kind) is { } rule ? Fixed(rule.Threshold) : null;
        return WithDescriptor(Dwell, shipped with
        {
            FixedPoint = fp with
            {
                StepFixed = Fixed(fibre.Step),
                BudgetFixed = Fixed(fibre.Rows[0].Budget),
                LoadMaxFixed = double.IsFinite(fibre.LoadMax) ? Fixed(fibre.LoadMax) : fp.LoadMaxFixed,
                PriceMaxFixed = double.IsFinite(fibre.PriceMax) ? Fixed(fibre.PriceMax) : fp.PriceMaxFixed,
            },
            ThrottlePrice = Threshold(ActionKind.Throttle),
            KillPrice = Threshold(ActionKind.Kill),
        });
    }

    private static string WithDescriptor(string objectPath, BpfObjectDescription descriptor)
    {
        var folder = Path.Combine(s_variants.Value, Interlocked.Increment(ref s_serial).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, Path.GetFileName(objectPath));
        File.Copy(objectPath, copy, overwrite: true);
        File.WriteAllText(BpfDescriptorReader.PathBeside(copy), BpfDescriptorFile.Write(descriptor));
        return copy;
    }

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
