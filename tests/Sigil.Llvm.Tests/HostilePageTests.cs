using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace Sigil.Llvm.Tests;

/// <summary>
/// The shared price page as another local user would attack it, against instrumented builds of
/// samples/llvm/copy.c: a page the daemon could not have written (another user's, writable by
/// others, reached through a link) is not read, and a page cut short under a running program is a
/// failed read (price 0), never SIGBUS.
/// </summary>
[Collection(LlvmCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostilePageTests
{
    private const int ScaleBits = 20;
    private const int Block = 4096;

    private readonly LlvmFixture _fixture;

    public HostilePageTests(LlvmFixture fixture) => _fixture = fixture;

    public static TheoryData<string> Forgeries => ["owned by nobody", "writable by others", "through a link"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Gate_PageTheDaemonCouldNotHaveWritten_IsNotRead(string forgery)
    {
        Assert.True(Toolchain.IsRoot, "the page tests run as root, with nobody as the forger");
        var gate = _fixture.Gate;
        var tag = forgery.Replace(' ', '-');
        var (copy, source, target, page) = gate.CopyCase(tag, Block * 4);

        // A page that would refuse every write of this process.
        var result = PricedRun.Run(copy, [source, target], _fixture.Gate.HookEnvironment(page: page), pid =>
        {
            var real = forgery == "through a link" ? page + ".real" : page;
            PricePage.Write(real, ScaleBits, 16, new Dictionary<int, ulong> { [pid] = 9UL << ScaleBits });
            switch (forgery)
            {
                case "owned by nobody":
                    Toolchain.RunChecked("chown", ["65534:65534", real]);
                    break;
                case "writable by others":
                    File.SetUnixFileMode(real, (UnixFileMode)Convert.ToInt32("666", 8));
                    break;
                default:
                    File.CreateSymbolicLink(page, real);
                    break;
            }
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        var stats = HookStats.Parse("sigil-gate", result.Stderr);
        Assert.Equal("none", stats.Source);
        Assert.Equal(0UL, stats.Refusals);
    }

    [Fact]
    public void Dwell_PageTruncatedWhileTheProgramRuns_FailsOpenWithoutSigbus()
    {
        var dwell = _fixture.Dwell;
        var (copy, source, target, page) = dwell.CopyCase("truncated", Block * 300);
        var environment = dwell.HookEnvironment(page: page);

        // 20 * 100 us = 2 ms per write, 300 writes: the page is cut well before the copy ends.
        var result = PricedRun.Run(
            copy,
            ["-b", "4096", source, target],
            environment,
            pid => PricePage.Write(page, ScaleBits, 16, new Dictionary<int, ulong> { [pid] = 20UL << ScaleBits }),
            _ =>
            {
                Thread.Sleep(150);
                using var cut = new FileStream(page, FileMode.Open, FileAccess.Write);
                cut.SetLength(0);
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        var stats = HookStats.Parse("sigil-dwell", result.Stderr);
        Assert.Equal(0UL, stats.Price);
        Assert.InRange(stats.Backoffs, 1UL, 299UL);
    }
}
