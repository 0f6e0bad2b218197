using System.Diagnostics;
using System.Text.RegularExpressions;
using Sigil.Daemon.Tests.Infrastructure;

namespace Sigil.Daemon.Tests.Kubernetes;

/// <summary>
/// The image eng/image.sh builds from Debian's packages (mmdebstrap, umoci): it is an OCI layout
/// with a digest, and the daemon from its unpacked root (eng/image-chroot.sh: a private mount
/// namespace and chroot) loads the dwell fibre's eBPF object into this kernel and runs in
/// observation mode until stopped. The root file system is cached by its recipe
/// (~/.cache/sigil-image), so only the first run on a machine pays for mmdebstrap (minutes); the
/// test runs once per CI run.
/// </summary>
public sealed class ImageTests
{
    [Fact]
    public async Task Image_BuiltFromDebianPackages_RunsTheDwellDaemonFromItsRoot()
    {
        using var dir = new TempDirectory();
        var repo = Path.GetFullPath(Path.Combine(ShippedFibres.Folder, ".."));
        var build = await ProcessRunner.RunAsync("bash", [Path.Combine(repo, "eng", "image.sh"), dir.Path, "test"], timeout: TimeSpan.FromMinutes(20));
        Assert.True(build.ExitCode == 0, ProcessRunner.Describe(build));
        Assert.Matches(new Regex(@"^image localhost/sigil@sha256:[0-9a-f]{64} \(\d+ MiB", RegexOptions.Multiline), build.StandardOutput);
        Assert.True(File.Exists(dir.Combine("oci", "index.json")));
        Assert.True(File.Exists(dir.Combine("rootfs", "usr", "lib", "sigil", "dwell", "bpf", "dwell.bpf.o")));

        // The daemon from the image's root, on this kernel, for a few seconds; SIGINT stops it cleanly.
        var pins = "/sys/fs/bpf/sigil-image-test-" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var run = await ProcessRunner.RunAsync(
            "timeout",
            ["--preserve-status", "-s", "INT", "6", Path.Combine(repo, "eng", "image-chroot.sh"), dir.Combine("rootfs"),
             "run", "/usr/lib/sigil/fibres/dwell.sigil", "--metrics-url", "none", "--log-format", "simple", "--table", "false", "--pin-folder", pins],
            timeout: TimeSpan.FromMinutes(2));
        try
        {
            Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(5), $"the daemon stopped after {clock.Elapsed}");
            var output = run.StandardOutput + run.StandardError;
            Assert.Contains("fibre dwell: observation mode", output, StringComparison.Ordinal);
            Assert.Contains("sensor kernel: dwell.bpf.o: 4 program(s) on syscalls:sys_enter_openat, syscalls:sys_enter_close", output, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"fibre dwell: stopped after [1-9][0-9]* tick\(s\)"), output);
        }
        finally
        {
            if (Directory.Exists(pins))
            {
                Directory.Delete(pins, recursive: true);
            }
        }
    }
}
