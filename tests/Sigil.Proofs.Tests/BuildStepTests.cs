using System;
using System.Diagnostics;
using System.IO;
using Sigil.Language.Emit.Coq;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>eng/coq.targets, run on its own over generated files: a good fibre file compiles, a bad one fails the build.</summary>
public sealed class BuildStepTests
{
    private readonly ITestOutputHelper _output;

    public BuildStepTests(ITestOutputHelper output) => _output = output;

    [CoqFact]
    public void CoqTargets_CheckTheFibreFiles_AndFailTheBuildOnARejectedOne()
    {
        var folder = Path.Combine(Coq.Options.WorkDirectory!, "build-step-" + Guid.NewGuid().ToString("N"));
        var good = Path.Combine(folder, "good", "dwell.v");
        var bad = Path.Combine(folder, "bad", "dwell.v");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllText(good, CoqEmitter.Emit(Fixtures.Dwell()).Content);
        File.WriteAllText(bad, CoqEmitter.Emit(Fixtures.Dwell(throttle: 5, kill: 3)).Content);

        var (goodExit, goodOutput) = MsBuild(good);
        Assert.True(goodExit == 0, goodOutput);
        Assert.True(File.Exists(Path.ChangeExtension(good, ".vo")), goodOutput);

        var (badExit, badOutput) = MsBuild(bad);
        Assert.NotEqual(0, badExit);
        Assert.Contains("Cannot find witness", badOutput);
        Assert.False(File.Exists(Path.ChangeExtension(bad, ".vo")));
    }

    private (int Exit, string Output) MsBuild(string file)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Coq.Repository,
        };
        foreach (var argument in new[] { "msbuild", Path.Combine("eng", "coq.targets"), "-nologo", "-t:SigilCheckCoq", "-p:SigilCoqSourceFiles=" + file })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "dotnet msbuild did not finish");
        var output = stdout.Result + stderr.Result;
        _output.WriteLine(output);
        return (process.ExitCode, output);
    }
}
