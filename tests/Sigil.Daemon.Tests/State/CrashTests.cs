using System.Diagnostics;
using System.Text.RegularExpressions;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.State;
using Sigil.Runtime.Workloads;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.State;

[Collection(Sequential.Name)]
public sealed partial class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillNine_AtRandomMoments_NeverCorrupts_AndLosesAtMostTheSaveInFlight()
    {
        using var dir = new TempDirectory();
        var random = new Random(20251122);
        long lastReported = 0;
        var rounds = 0;
        var fallbacks = 0;
        var deadline = Stopwatch.StartNew();
        while (rounds < 25 && deadline.Elapsed < TimeSpan.FromSeconds(40))
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { ProcessRunner.SigilDll, "workload", "checkpointer", "--dir", dir.Path })
            {
                info.ArgumentList.Add(arg);
            }

            using var child = Process.Start(info)!;
            var saved = 0L;
            string? loadedLine = null;
            var gotSave = new TaskCompletionSource();
            child.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                if (e.Data.StartsWith("loaded ", StringComparison.Ordinal))
                {
                    loadedLine = e.Data;
                }

                var m = SavedLine().Match(e.Data);
                if (m.Success)
                {
                    Interlocked.Exchange(ref saved, long.Parse(m.Groups[1].Value));
                    gotSave.TrySetResult();
                }
            };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();

            // Let it save at least once, then kill it at a random moment of its loop.
            await gotSave.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(random.Next(1, 120));
            child.Kill();
            Assert.True(child.WaitForExit(10_000), "the checkpointer did not die");
            child.WaitForExit(); // and every line it wrote before dying has been read
            var reported = Interlocked.Read(ref saved);

            Assert.NotNull(loadedLine);
            Assert.EndsWith("consistent", loadedLine);
            Assert.DoesNotContain("INCONSISTENT", loadedLine);
            var resumedFrom = long.Parse(loadedLine!.Split(' ')[1]);
            Assert.True(resumedFrom >= lastReported, $"round {rounds}: resumed from {resumedFrom}, but {lastReported} had been reported saved");

            var loaded = new CheckpointStore(dir.Path, CheckpointLoop.Fibre).Load();
            Assert.NotNull(loaded.State);
            Assert.Empty(loaded.Problems);
            Assert.True(CheckpointLoop.IsConsistent(loaded.State!), $"round {rounds}: checkpoint {loaded.State!.Sequence} is inconsistent");
            Assert.InRange(loaded.State!.Sequence, reported, reported + 1);
            if (loaded.Source == CheckpointSource.Previous)
            {
                fallbacks++;
            }

            lastReported = reported;
            rounds++;
        }

        output.WriteLine($"{rounds} kill -9 rounds, last sequence {lastReported}, {fallbacks} recovered from the previous checkpoint");
        Assert.True(rounds >= 5, $"only {rounds} rounds ran");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.corrupt-*"));
    }

    [GeneratedRegex("^saved (\\d+)$")]
    private static partial Regex SavedLine();
}
