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

        // The daemon from the image's root, on this kernel: once it has started (however long a
        // loaded machine makes that), it runs three seconds more, then SIGINT stops it cleanly.
        // image-chroot.sh execs down to sigil, so the process started here is the daemon.
        var pins = "/sys/fs/bpf/sigil-image-test-" + Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(repo, "eng", "image-chroot.sh"), dir.Combine("rootfs"), "run", "/usr/lib/sigil/fibres/dwell.sigil", "--metrics-url", "none", "--log-format", "simple", "--table", "false", "--pin-folder", pins })
        {
            start.ArgumentList.Add(argument);
        }

        using var daemon = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var started = new TaskCompletionSource();
        void Collect(object sender, DataReceivedEventArgs e)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("fibre dwell: observation mode", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        }

        daemon.OutputDataReceived += Collect;
        daemon.ErrorDataReceived += Collect;
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(started.Task, daemon.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            Assert.True(started.Task.IsCompleted, "the daemon did not start:\n" + output);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(daemon.HasExited, "the daemon stopped by itself:\n" + output);
            Process.Start("kill", ["-INT", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.True(daemon.WaitForExit(TimeSpan.FromMinutes(1)), "the daemon did not stop on SIGINT");
            daemon.WaitForExit();
            var text = output.ToString();
            Assert.True(daemon.ExitCode == 0, $"exit {daemon.ExitCode}:\n{text}");
            using var descriptor = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.Combine("rootfs", "usr", "lib", "sigil", "dwell", "bpf", "dwell.bpf.json")));
            var programs = descriptor.RootElement.GetProperty("programs").GetArrayLength();
            Assert.Contains($"sensor kernel: dwell.bpf.o: {programs} program(s) on syscalls:sys_enter_openat, syscalls:sys_enter_close", text, StringComparison.Ordinal);
            Assert.Matches(new Regex(@"fibre dwell: stopped after [1-9][0-9]* tick\(s\)"), text);
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill();
            }

            if (Directory.Exists(pins))
            {
                Directory.Delete(pins, recursive: true);
            }
        }
    }
}
