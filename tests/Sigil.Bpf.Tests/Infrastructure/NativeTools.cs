using System;
using System.IO;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>The tests' C helpers (Native/*.c), built once per run with gcc.</summary>
public static class NativeTools
{
    private static readonly Lazy<string> s_workload = new(() => Build("workload", "-O2"));
    private static readonly Lazy<string> s_fixedHarness = new(() => Build(
        "fixed_harness",
        "-O2",
        "-fsanitize=undefined",
        "-fno-sanitize-recover=all",
        "-I" + Path.Combine(Repository.Root, "bpf")));

    /// <summary>Native/workload.c: controlled file and CPU activity.</summary>
    public static string Workload => s_workload.Value;

    /// <summary>Native/fixed_harness.c: bpf/sigil_fixed.h and sigil_guard.h compiled for the host, undefined behaviour trapped.</summary>
    public static string FixedHarness => s_fixedHarness.Value;

    private static string Build(string name, params string[] flags)
    {
        var source = Path.Combine(Repository.TestSource, "Native", name + ".c");
        var output = Path.Combine(Repository.Scratch("native"), name);
        var arguments = new System.Collections.Generic.List<string> { "-Wall", "-Wextra", "-Werror" };
        arguments.AddRange(flags);
        arguments.AddRange(new[] { source, "-o", output });
        Shell.RunChecked("gcc", arguments.ToArray());
        return output;
    }
}
