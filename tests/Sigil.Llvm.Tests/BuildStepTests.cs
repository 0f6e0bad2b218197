using System;
using System.IO;
using System.Linq;

namespace Sigil.Llvm.Tests;

/// <summary>
/// eng/llvm.targets: incremental, refuses LLVM headers of another major version at compile time,
/// and the plugin it builds refuses to load into another LLVM at run time; a missing LLVM gets a
/// message, not a failure.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class BuildStepTests
{
    private readonly LlvmFixture _fixture;

    public BuildStepTests(LlvmFixture fixture) => _fixture = fixture;

    [Fact]
    public void Build_Again_RebuildsNothing()
    {
        var dwell = _fixture.Dwell;
        var outputs = new[] { dwell.Plugin, dwell.HookArchive, dwell.HookSharedLibrary };
        var before = outputs.Select(File.GetLastWriteTimeUtc).ToArray();

        var result = dwell.Build("SigilLlvmExtraFlags=");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, outputs.Select(File.GetLastWriteTimeUtc).ToArray());
    }

    [Fact]
    public void Build_HookSourceTouched_RebuildsTheHookOnly()
    {
        var fibre = new EmittedFibre(Fixtures.Fibre("touched", Fixtures.Instrument(Language.Model.InstrumentKind.Calls, ["close"], [Language.Model.HookArgument.Fd], null, "instrument calls(close) pass (fd);")), _fixture.Root).BuildChecked();
        var plugin = File.GetLastWriteTimeUtc(fibre.Plugin);
        var archive = File.GetLastWriteTimeUtc(fibre.HookArchive);
        File.SetLastWriteTimeUtc(Path.Combine(fibre.LlvmFolder, "sigil_touched_hook.h"), DateTime.UtcNow.AddSeconds(5));

        var result = fibre.Build();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(plugin, File.GetLastWriteTimeUtc(fibre.Plugin));
        Assert.True(File.GetLastWriteTimeUtc(fibre.HookArchive) > archive);
    }

    [Fact]
    public void Build_WithoutLlvm14_SaysWhatIsMissingAndBuildsNothing()
    {
        var fibre = new EmittedFibre(Fixtures.Fibre("nollvm", Fixtures.Instrument(Language.Model.InstrumentKind.Calls, ["close"], [Language.Model.HookArgument.Fd], null, "instrument calls(close) pass (fd);")), _fixture.Root);

        var result = fibre.Build("SigilLlvmConfig=llvm-config-99");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("sigil: LLVM 14 was not found (missing: llvm-config-99", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("SigilNollvm.cpp, sigil_nollvm_hook.c were not built", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(fibre.Plugin));
        Assert.False(File.Exists(fibre.HookArchive));
    }

    [Fact]
    public void Build_AgainstOtherLlvmHeaders_FailsWithAClearError()
    {
        // What a plugin source meets under another LLVM: the version check, forced by its macro.
        var folder = Toolchain.NewTemporaryFolder("headers");
        try
        {
            var fibre = new EmittedFibre(Fixtures.Dwell(), folder);

            var result = fibre.Build("SigilLlvmExtraFlags=-DSIGIL_DWELL_EXPECTED_LLVM_MAJOR=15");

            Assert.NotEqual(0, result.ExitCode);
            Assert.Matches(@"SigilDwell\.cpp\(\d+,\d+\): error \w*: ""SigilDwell\.cpp needs the LLVM 14 headers: use llvm-config-14 --cxxflags""", result.Stdout);
            Assert.False(File.Exists(fibre.Plugin));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Plugin_BuiltForAnotherLlvm_IsRefusedByOptAndClang()
    {
        // A plugin that believes it was built against LLVM 15, loaded by LLVM 14.
        var folder = Toolchain.NewTemporaryFolder("runtime");
        try
        {
            var fibre = new EmittedFibre(Fixtures.Dwell(), folder);
            var build = fibre.Build("SigilLlvmExtraFlags=-DSIGIL_DWELL_BUILT_LLVM_MAJOR=15");
            Assert.True(build.ExitCode == 0, build.ToString());
            const string Refusal = "sigil-dwell: this plugin was built against LLVM 15 but is being loaded by LLVM 14; rebuild it with clang++-14 and llvm-config-14, or run it with LLVM 15";

            var module = Path.Combine(fibre.Root, "empty.ll");
            File.WriteAllText(module, "define void @f() {\n  ret void\n}\n");
            var opt = Toolchain.Run(Toolchain.Opt, ["-load-pass-plugin", fibre.Plugin, "-passes=sigil-dwell", "-disable-output", module]);
            var clang = Toolchain.Run(Toolchain.Clang, ["-O2", "-fpass-plugin=" + fibre.Plugin, "-c", Toolchain.CopySample, "-o", Path.Combine(fibre.Root, "copy.o")]);

            Assert.NotEqual(0, opt.ExitCode);
            Assert.Contains(Refusal, opt.Stderr, StringComparison.Ordinal);
            Assert.NotEqual(0, clang.ExitCode);
            Assert.Contains(Refusal, clang.Stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(fibre.Root, "copy.o")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
