using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Sigil.Bpf.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Xunit.Abstractions;

namespace Sigil.Bpf.Tests;

/// <summary>
/// The ransomware fibre's allow-lists by executable and by cgroup, and its class weights, on the
/// running kernel: the same in-place encryption is stopped when run by a plain copy of python and
/// left alone when run by an allow-listed copy or inside an allow-listed cgroup (a descendant of the
/// listed one); a class weight of 0.5 lets three files go where the default lets one.
/// </summary>
[Collection(KernelCollection.Name)]
public sealed class ProcessListTests
{
    private const int CorpusFiles = 20;
    private readonly ITestOutputHelper _output;

    public ProcessListTests(ITestOutputHelper output) => _output = output;

    [KernelFact]
    public void AllowExe_ListedCopy_IsNotActedOn_WhileAPlainCopyIs()
    {
        var folder = RansomwareHarness.Folder("allow-exe");
        var listed = Python(folder, "listed");
        var plain = Python(folder, "plain");

        var spared = Attack(folder, "a", listed, fibre => RansomwareHarness.AllowExecutable(fibre, listed));
        var stopped = Attack(folder, "b", plain, fibre => RansomwareHarness.AllowExecutable(fibre, listed));

        Assert.Equal((0, CorpusFiles), (spared.Run.ExitCode, spared.Damaged));
        Assert.DoesNotContain(spared.Run.Events, static e => e.EventKind == SigilEventKind.Kill);
        Assert.Contains(spared.Run.Events, static e => e.EventKind == SigilEventKind.KillSuppressed);
        Assert.Equal((128 + 9, 1), (stopped.Run.ExitCode, stopped.Damaged));
    }

    [KernelFact]
    public void AllowCgroup_ProcessInADescendant_IsNotActedOn_WhileOneInASiblingIs()
    {
        var root = CgroupFreezer.FindRoot() ?? throw new InvalidOperationException("no cgroup v2 hierarchy");
        var name = "sigil-test-allow-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var listed = Path.Combine(root, name, "listed");
        var child = Path.Combine(listed, "job");
        var sibling = Path.Combine(root, name, "other");
        Directory.CreateDirectory(child);
        Directory.CreateDirectory(sibling);
        try
        {
            var id = ProcessIdentity.Cgroup(root, "/" + name + "/listed", out var problem) ?? throw new InvalidOperationException(problem);
            var folder = RansomwareHarness.Folder("allow-cgroup");
            var spared = Attack(folder, "a", "python3", fibre => RansomwareHarness.AllowCgroup(fibre, id), child);
            var stopped = Attack(folder, "b", "python3", fibre => RansomwareHarness.AllowCgroup(fibre, id), sibling);

            Assert.Equal((0, CorpusFiles), (spared.Run.ExitCode, spared.Damaged));
            Assert.DoesNotContain(spared.Run.Events, static e => e.EventKind == SigilEventKind.Kill);
            Assert.Equal((128 + 9, 1), (stopped.Run.ExitCode, stopped.Damaged));
        }
        finally
        {
            foreach (var dir in new[] { child, sibling, listed, Path.Combine(root, name) })
            {
                try
                {
                    Directory.Delete(dir);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    [KernelFact]
    public void ClassWeight_Half_LetsThreeFilesGo_AndZero_LeavesItUnpriced()
    {
        // Each destroyed file adds weight * 1 to a price that stops at 1.5 (and drains 0.1/s): with
        // 0.5 the third file brings it just below 1.5 and the fourth's first change would cross.
        var folder = RansomwareHarness.Folder("class-weight");
        var python = Python(folder, "weighed");
        var half = Attack(folder, "a", python, fibre => RansomwareHarness.Classify(fibre, 0.5, python));
        var zero = Attack(folder, "b", python, fibre => RansomwareHarness.Classify(fibre, 0, python));

        Assert.Equal((128 + 9, 3), (half.Run.ExitCode, half.Damaged));
        Assert.Equal((0, CorpusFiles), (zero.Run.ExitCode, zero.Damaged));
        Assert.Equal(0, zero.Run.Actions);
        Assert.Equal(0, zero.Run.MaxPrice);
    }

    // A copy of python (its own inode, so its own identity to the kernel).
    private static string Python(string folder, string name)
    {
        var path = Path.Combine(folder, name, "python3");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Shell.RunChecked("cp", "-L", "/usr/bin/python3", path);
        return path;
    }

    // In-place encryption of a fresh corpus by python at PYTHON, as one agent (moved first into CGROUP when given).
    private (AgentRun Run, int Damaged) Attack(string folder, string corpus, string python, Action<BpfFibre> setup, string? cgroup = null)
    {
        var workdir = Path.Combine(folder, corpus);
        var manifest = RansomwareHarness.Corpus(Path.Combine(workdir, "corpus"), CorpusFiles, seed: 31);
        var enter = cgroup is null ? string.Empty : $"echo $$ > {cgroup}/cgroup.procs; ";
        var run = RansomwareHarness.Run($"{enter}exec {python} {RansomwareHarness.Behaviours} run inplace corpus < /dev/null", workdir, TimeSpan.FromSeconds(60), setup);
        var damaged = RansomwareHarness.Damaged(manifest);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{corpus} ({python}{(cgroup is null ? "" : " in " + cgroup)}): exit {run.ExitCode}, damaged {damaged}, kills {run.Events.Count(static e => e.EventKind == SigilEventKind.Kill)}, would-be kills {run.Events.Count(static e => e.EventKind == SigilEventKind.KillSuppressed)}"));
        return (run, damaged);
    }
}
