using System;
using System.Collections.Generic;
using System.IO;
using Sigil.Bpf.Tests.Infrastructure;

namespace Sigil.Bpf.Tests;

/// <summary>Loading without privilege fails with an error that names the cause.</summary>
[Collection(KernelCollection.Name)]
public sealed class PrivilegeTests
{
    public static IEnumerable<object[]> Drops() => new[]
    {
        new object[] { "root without capabilities", new[] { "--inh-caps=-all", "--bounding-set=-all" } },
        new object[] { "nobody", new[] { "--reuid=65534", "--regid=65534", "--clear-groups" } },
    };

    [KernelTheory]
    [MemberData(nameof(Drops))]
    public void Load_WithoutPrivilege_SaysEpermAndWhatIsNeeded(string who, string[] drop)
    {
        var (code, output, error) = Probe(drop);
        Assert.True(code == 3, $"as {who}: exit {code}\n{output}\n{error}");
        Assert.Equal(
            "loading dwell.bpf.o: Operation not permitted (EPERM): loading BPF programs needs CAP_BPF or root (with CAP_PERFMON for tracepoints)",
            output.Split('\n')[0]);
    }

    [KernelFact]
    public void Load_AsRoot_Loads()
    {
        var (code, output, _) = Probe(Array.Empty<string>());
        Assert.Equal(0, code);
        Assert.Equal("loaded", output.Trim());
    }

    // The test assembly's own entry point (Program.Main, load-probe), started through setpriv.
    private static (int Code, string Output, string Error) Probe(string[] drop)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var assembly = typeof(PrivilegeTests).Assembly.Location;
        var arguments = new List<string>(drop) { "--", dotnet, assembly, "load-probe", BpfObjects.Dwell };
        return Shell.Run("setpriv", arguments, TimeSpan.FromMinutes(1), workingDirectory: Path.GetTempPath());
    }
}
