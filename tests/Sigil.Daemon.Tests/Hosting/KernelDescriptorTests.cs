using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Emit.Daemon;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// The descriptor the build writes beside a fibre's eBPF object is the one source of the kernel's
/// names and constants: the Coq proof states the same fixed-point constants, and the daemon loads
/// exactly these into the kernel.
/// </summary>
[Collection(Sequential.Name)]
public sealed class KernelDescriptorTests
{
    private static readonly Regex s_coqKernel = new(
        @"\{\| fx_bits := (?<bits>\d+)%Z; fx_step := (?<step>\d+)%Z; fx_budget := (?<budget>\d+)%Z;\s+fx_load_max := (?<loadMax>\d+)%Z; fx_price_max := (?<priceMax>\d+)%Z \|\}",
        RegexOptions.CultureInvariant);

    [Fact]
    public void Descriptor_DwellConstants_AreTheProofs_AndWhatTheDaemonLoadsIntoTheKernel()
    {
        // The build's output: the object, its descriptor, and the Coq file coqc checked.
        var objectPath = KernelObjects.Dwell;
        var descriptor = BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(objectPath));
        var coq = File.ReadAllText(Path.Combine(Path.GetDirectoryName(objectPath)!, "..", "coq", "dwell.v"));
        var proved = s_coqKernel.Match(coq);
        Assert.True(proved.Success, "the Coq file states no fixed_point record");
        var fp = descriptor.FixedPoint!;
        Assert.Equal(
            (proved.Groups["bits"].Value, proved.Groups["step"].Value, proved.Groups["budget"].Value, proved.Groups["loadMax"].Value, proved.Groups["priceMax"].Value),
            (I(fp.ScaleBits), I(fp.StepFixed), I(fp.BudgetFixed), I(fp.LoadMaxFixed), I(fp.PriceMaxFixed)));

        // The object was built from the source in fibres/ (its SHA-256 is recorded).
        var source = ShippedFibres.PathOf("dwell");
        Assert.Contains(BpfDescriptorFile.Digests([new("dwell.sigil", File.ReadAllText(source))]).Single(), descriptor.Sources);

        // The daemon's path: the shipped fibre, mapped as `sigil run` maps it, opened and attached
        // (scoped to an idle child, so nothing is priced); then read back from the kernel's maps.
        var fibre = DaemonFibreMapper.Map(ShippedFibres.Compile("dwell"), out var problems);
        Assert.True(fibre is not null, string.Join("; ", problems));
        using var idle = Process.Start("sleep", "30");
        try
        {
            using var kernel = BpfKernelFibre.Open(fibre!, objectPath, [(uint)idle.Id]);
            kernel.Attach();
            var obj = kernel.Bpf.Object;
            var rodata = obj.Maps.Single(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal));
            var bytes = new byte[rodata.ValueSize];
            Assert.True(rodata.TryLookup(BitConverter.GetBytes(0u), bytes), "the kernel's .rodata map has no entry 0");
            long Tunable(string name)
            {
                var (offset, size) = obj.Btf!.FindVariable(".rodata", name)!.Value;
                return size == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) : BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(offset));
            }

            Assert.Equal(
                (fp.ScaleBits, fp.StepFixed, fp.BudgetFixed, fp.LoadMaxFixed, fp.PriceMaxFixed, fp.NanosecondsPerUnit),
                ((int)Tunable("fx_scale_bits"), Tunable("fx_step"), Tunable("fx_budget"), Tunable("fx_load_max"), Tunable("fx_price_max"), Tunable("fx_ns_per_unit")));

            // The thresholds in the control map, read from the kernel: the descriptor's.
            var control = kernel.Bpf.ReadControl();
            Assert.Equal((descriptor.ThrottlePrice, descriptor.KillPrice), ((long?)control.ThrottlePrice, (long?)control.KillPrice));
            Assert.Equal(descriptor.PriceMap, kernel.Bpf.PriceMap!.Name);
        }
        finally
        {
            idle.Kill();
        }
    }

    [Fact]
    public void BpfKernelFibre_FibreOfAnotherVersion_IsRefusedWithTheDifferences()
    {
        var e = Assert.Throws<IOException>(() => BpfKernelFibre.Open(Fixtures.Dwell(budget: 0.25, throttle: 0.5), KernelObjects.Dwell));
        Assert.Contains("was compiled from another version of fibre 'dwell'", e.Message, StringComparison.Ordinal);
        Assert.Contains("the budget is 5 in the object, 0.25 in the fibre", e.Message, StringComparison.Ordinal);
        Assert.Contains("the throttle price is 5 in the object, 0.5 in the fibre", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BpfKernelFibre_BadDescriptor_IsAClearErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        var copy = dir.Combine("dwell.bpf.o");
        File.Copy(KernelObjects.Dwell, copy);
        var fibre = Fixtures.Dwell();

        var missing = Assert.Throws<IOException>(() => BpfKernelFibre.Open(fibre, copy));
        Assert.Contains(dir.Combine("dwell.bpf.json") + ": error: the eBPF object's descriptor cannot be read", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.Combine("dwell.bpf.json"), "{ \"format\": 1, \"fibre\": \"dwell\" ");
        var truncated = Assert.Throws<IOException>(() => BpfKernelFibre.Open(fibre, copy));
        Assert.StartsWith(dir.Combine("dwell.bpf.json") + "(", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("not an eBPF object descriptor", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_SearchedObject_BuiltFromAnotherSource_IsPassedOver()
    {
        using var dir = new TempDirectory();
        var folder = dir.Combine("build");
        Directory.CreateDirectory(Path.Combine(folder, "dwell", "bpf"));
        foreach (var file in new[] { "dwell.bpf.o", "dwell.bpf.json" })
        {
            File.Copy(Path.Combine(Path.GetDirectoryName(KernelObjects.Dwell)!, file), Path.Combine(folder, "dwell", "bpf", file));
        }

        var fibre = Fixtures.Dwell();
        var same = new BpfKernelFibreFactory(null, folder) { SourceFile = ShippedFibres.PathOf("dwell") };
        Assert.Equal(Path.Combine(folder, "dwell", "bpf", "dwell.bpf.o"), same.Find(fibre));

        var edited = dir.Combine("dwell.sigil");
        File.WriteAllText(edited, File.ReadAllText(ShippedFibres.PathOf("dwell")) + "\n// edited\n");
        var other = new BpfKernelFibreFactory(null, folder) { SourceFile = edited };
        Assert.Null(other.Find(fibre));
        var e = Assert.Throws<IOException>(() => other.Open(fibre, "/sys/fs/bpf", "/sys/kernel/tracing"));
        Assert.Contains($"passed over: {Path.Combine(folder, "dwell", "bpf", "dwell.bpf.o")} was built from another version of dwell.sigil", e.Message, StringComparison.Ordinal);
    }

    private static string I(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
