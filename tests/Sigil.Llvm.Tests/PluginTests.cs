using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Language.Emit.Llvm;
using Sigil.Runtime.Instrumentation;

namespace Sigil.Llvm.Tests;

/// <summary>
/// The generated pass plugins, built by eng/llvm.targets, run by clang-14 and opt-14 on
/// samples/llvm/copy.c: hook calls stand at exactly the sites the fibre names.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class PluginTests
{
    private static readonly ulong s_writeSite = LlvmSites.CallSiteId("write_all", "write", 0);
    private static readonly ulong s_pwriteSite = LlvmSites.CallSiteId("copy_positioned", "pwrite", 0);

    private readonly LlvmFixture _fixture;

    public PluginTests(LlvmFixture fixture) => _fixture = fixture;

    [Fact]
    public void ClangO2_DwellPlugin_GuardsEveryWriteAndPwriteAndNothingElse()
    {
        var dwell = _fixture.Dwell;
        var ir = Path.Combine(dwell.Root, "copy.O2.ll");
        Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-Wall", "-Werror", "-fpass-plugin=" + dwell.Plugin, "-S", "-emit-llvm", Toolchain.CopySample, "-o", ir]);
        var module = IrModule.Parse(File.ReadAllText(ir));

        var hooks = module.CallsTo("sigil_dwell_update").ToList();
        var guarded = module.CallsTo("write").Concat(module.CallsTo("pwrite")).ToList();
        Assert.Equal(2, guarded.Count);
        Assert.Equal(guarded.Count, hooks.Count);
        Assert.Equal(2, module.Functions.Sum(f => f.Instructions.Count(i => i.Contains("load atomic i64, i64* @sigil_dwell_price monotonic", StringComparison.Ordinal))));

        var sites = new List<ulong>();
        foreach (var (function, block, instruction) in hooks)
        {
            // call i32 @sigil_dwell_update(i32 0, i64 <site>, i64 %fd, i64 0): the hook's block
            // falls through to the block whose first call is the write (or pwrite), on the same fd.
            var match = Regex.Match(instruction, @"@sigil_dwell_update\(i32 0, i64 (-?\d+), i64 (%[\w.]+), i64 0\)");
            Assert.True(match.Success, instruction);
            sites.Add(unchecked((ulong)long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)));
            // (-O2 may turn the sign extension of a known non-negative fd into a zero extension)
            var fd = Regex.Match(function.Definition(match.Groups[2].Value), @"= [sz]ext i32 (%[\w.]+) to i64").Groups[1].Value;
            Assert.NotEmpty(fd);

            Assert.NotNull(block.Successor);
            var next = function.Block(block.Successor!).Instructions.First(i => i.Contains(" call ", StringComparison.Ordinal));
            Assert.Matches(@"call i64 @p?write\(i32 noundef " + Regex.Escape(fd) + ",", next);
        }

        Assert.Equal(new[] { s_writeSite, s_pwriteSite }.OrderBy(s => s), sites.OrderBy(s => s));
    }

    [Fact]
    public void Opt_DwellPass_MatchesFileCheck()
    {
        var dwell = _fixture.Dwell;
        var input = CompileUnoptimised(dwell.Root);
        var output = Path.Combine(dwell.Root, "copy.opt.ll");
        Toolchain.RunChecked(Toolchain.Opt, ["-load-pass-plugin", dwell.Plugin, "-passes=" + dwell.PassName, "-S", input, "-o", output]);

        FileCheck("copy.dwell.check", output, ("WRITE_SITE", s_writeSite), ("PWRITE_SITE", s_pwriteSite));
    }

    [Fact]
    public void Opt_DwellPassTwice_InstrumentsOnce()
    {
        var dwell = _fixture.Dwell;
        var input = CompileUnoptimised(dwell.Root);
        var output = Path.Combine(dwell.Root, "copy.twice.ll");
        Toolchain.RunChecked(Toolchain.Opt, ["-load-pass-plugin", dwell.Plugin, $"-passes={dwell.PassName},{dwell.PassName}", "-S", input, "-o", output]);

        FileCheck("copy.dwell.check", output, ("WRITE_SITE", s_writeSite), ("PWRITE_SITE", s_pwriteSite));
    }

    [Fact]
    public void Opt_WithoutThePass_FailsFileCheck()
    {
        var input = CompileUnoptimised(_fixture.Dwell.Root);
        var result = RunFileCheck("copy.dwell.check", input, ("WRITE_SITE", s_writeSite), ("PWRITE_SITE", s_pwriteSite));
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public void Opt_GatePass_RefusesWritesWatchesReadsAndGuardsAnEntry()
    {
        var gate = _fixture.Gate;
        var input = CompileUnoptimised(gate.Root);
        var output = Path.Combine(gate.Root, "copy.opt.ll");
        var result = Toolchain.RunChecked(Toolchain.Opt, ["-load-pass-plugin", gate.Plugin, "-passes=" + gate.PassName, "-S", input, "-o", output], environment: new Dictionary<string, string> { ["SIGIL_GATE_VERBOSE"] = "1" });
        Toolchain.RunChecked(Toolchain.Opt, ["-passes=verify", "-disable-output", output]);

        FileCheck(
            "copy.gate.check",
            output,
            ("ENTRY_SITE", LlvmSites.EntrySiteId("copy_positioned")),
            ("READ_SITE", LlvmSites.CallSiteId("copy_stream", "read", 0)),
            ("WRITE_SITE", s_writeSite));
        Assert.Contains("sigil-gate: pattern 'foo*' matched no call", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pattern 'read'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ClangO0_SiteList_NamesTheSourceLinesOfTheCalls()
    {
        var dwell = _fixture.Dwell;
        var list = Path.Combine(dwell.Root, "sites-O0.txt");
        File.Delete(list);
        Toolchain.RunChecked(
            Toolchain.Clang,
            ["-O0", "-g", "-fpass-plugin=" + dwell.Plugin, "-c", Toolchain.CopySample, "-o", Path.Combine(dwell.Root, "copy.O0.o")],
            environment: new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = list });

        var source = File.ReadAllLines(Toolchain.CopySample);
        int LineOf(string text) => Array.FindIndex(source, l => l.Contains(text, StringComparison.Ordinal)) + 1;
        var lines = File.ReadAllLines(list).Select(l => l.Split('\t')).OrderBy(f => f[1], StringComparer.Ordinal).ToList();
        Assert.Collection(
            lines,
            pwrite =>
            {
                Assert.Equal($"0x{s_pwriteSite:x16}", pwrite[0]);
                Assert.Equal("copy_positioned/pwrite#0", pwrite[1]);
                Assert.Equal("before", pwrite[2]);
                Assert.Equal("0", pwrite[3]);
                Assert.Matches($@"copy\.c:{LineOf("pwrite(out, buf")}:\d+$", pwrite[4]);
            },
            write =>
            {
                Assert.Equal($"0x{s_writeSite:x16}", write[0]);
                Assert.Equal("write_all/write#0", write[1]);
                Assert.Matches($@"copy\.c:{LineOf("write(fd, buf, size)")}:\d+$", write[4]);
            });
    }

    [Fact]
    public void Clang_SitesAtO0AndO2_AreTheSame()
    {
        var dwell = _fixture.Dwell;
        string Sites(string level)
        {
            var list = Path.Combine(dwell.Root, $"sites{level}.txt");
            File.Delete(list);
            Toolchain.RunChecked(
                Toolchain.Clang,
                [level, "-fpass-plugin=" + dwell.Plugin, "-c", Toolchain.CopySample, "-o", Path.Combine(dwell.Root, $"copy{level}.o")],
                environment: new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = list });
            return string.Join("\n", File.ReadAllLines(list).Select(l => string.Join('\t', l.Split('\t').Take(4))).Order(StringComparer.Ordinal));
        }

        Assert.Equal(Sites("-O0"), Sites("-O2"));
        Assert.Equal(Sites("-O0"), Sites("-O3"));
    }

    [Fact]
    public void Clang_PatternsMatchingNothing_AreSilent_UnlessVerbose()
    {
        // A file with nothing to instrument says nothing (in a program of many files most match
        // nothing); SIGIL_DWELL_VERBOSE=1 names each pattern that matched nothing.
        var dwell = _fixture.Dwell;
        var source = Path.Combine(dwell.Root, "quiet.c");
        File.WriteAllText(source, "#include <stdio.h>\nint main(void) { return puts(\"no writes here\") < 0; }\n");
        var quiet = Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-fpass-plugin=" + dwell.Plugin, "-c", source, "-o", Path.Combine(dwell.Root, "quiet.o")]);
        Assert.Equal(string.Empty, quiet.Stderr);

        var result = Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-fpass-plugin=" + dwell.Plugin, "-c", source, "-o", Path.Combine(dwell.Root, "quiet.o")], environment: new Dictionary<string, string> { ["SIGIL_DWELL_VERBOSE"] = "1" });
        Assert.Contains("sigil-dwell: pattern 'write' matched no call", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"warning: sigil-dwell: pattern 'pwrite' matched no call in {source} ({Fixtures.DwellStatement})", result.Stderr, StringComparison.Ordinal);
    }

    [BpfFact]
    public void Clang_CallsThroughFunctionPointers_AreCoveredByAWrapper()
    {
        // SQLite's pattern: write and pwrite kept in a table of function pointers and called
        // through it. The table gets the wrapper's address; the wrapper's direct call is the site.
        var dwell = _fixture.Dwell;
        var source = Path.Combine(dwell.Root, "table.c");
        File.WriteAllText(source, """
            #include <fcntl.h>
            #include <stdint.h>
            #include <stdio.h>
            #include <unistd.h>
            static struct { const char *name; void *call; } syscalls[] = {
                {"write", (void *)write},
                {"pwrite", (void *)pwrite},
            };
            #define osWrite ((ssize_t(*)(int, const void *, size_t))syscalls[0].call)
            #define osPwrite ((ssize_t(*)(int, const void *, size_t, off_t))syscalls[1].call)
            int main(int argc, char **argv) {
                int fd = open(argc > 1 ? argv[1] : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
                if (fd < 0 || osWrite(fd, "abc", 3) != 3 || osPwrite(fd, "XY", 2, 1) != 2)
                    return 1;
                return close(fd) != 0 ? 2 : 0;
            }
            """);
        var list = Path.Combine(dwell.Root, "table-sites.txt");
        File.Delete(list);
        var program = Path.Combine(dwell.Root, "table");
        var compile = Toolchain.RunChecked(
            Toolchain.Clang,
            ["-O2", "-fpass-plugin=" + dwell.Plugin, source, "-o", program, "-pthread", dwell.HookArchive],
            environment: new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = list });

        var keys = File.ReadAllLines(list).Select(l => l.Split('\t')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "__sigil_dwell_via_pointer_pwrite/pwrite#0", "__sigil_dwell_via_pointer_write/write#0" }, keys);
        Assert.DoesNotContain("sigil-dwell:", compile.Stderr, StringComparison.Ordinal);
        Assert.Equal($"sigil-dwell: {program}: 2 site(s) in 1 of 1 translation unit(s), 2 function(s) wrapped for calls through pointers", InstrumentationSummary.Read(program).Single().Line(program));

        // The program still writes what it wrote, and its calls through the table reach the hook.
        var target = Path.Combine(dwell.Root, "table.out");
        using var map = new PriceMap("price_dwell");
        var run = PricedRun.Run(program, [target], new Dictionary<string, string> { ["SIGIL_DWELL_PRICE_MAP"] = map.Path, ["SIGIL_DWELL_PRICE_PAGE"] = string.Empty, ["SIGIL_DWELL_STATS"] = "1" }, pid => map.Set(pid, 1UL << 20));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("aXY", File.ReadAllText(target));
        Assert.Equal(2UL, HookStats.Parse("sigil-dwell", run.Stderr).Updates);
    }

    [Fact]
    public void Clang_ProgramOfThreeFiles_CompilesSilently_AndSummarisesInOneLine()
    {
        // As make builds: each file compiled alone, then linked. a.c and b.c both take pwrite's
        // address (the same linkonce wrapper, and its site, in both objects: once in the program);
        // c.c calls nothing the fibre names.
        var dwell = _fixture.Dwell;
        var folder = Directory.CreateDirectory(Path.Combine(dwell.Root, "three")).FullName;
        var files = new Dictionary<string, string>
        {
            ["a.c"] = """
                #include <unistd.h>
                ssize_t (*a_pwrite)(int, const void *, size_t, off_t) = pwrite;
                int a(int fd) { return write(fd, "a", 1) == 1 ? 0 : 1; }
                """,
            ["b.c"] = """
                #include <unistd.h>
                ssize_t (*b_pwrite)(int, const void *, size_t, off_t) = pwrite;
                int b(int fd) { return pwrite(fd, "b", 1, 1) == 1 && pwrite(fd, "c", 1, 2) == 1 ? 0 : 1; }
                """,
            ["c.c"] = """
                #include <fcntl.h>
                int a(int fd);
                int b(int fd);
                int main(int argc, char **argv) {
                    int fd = open(argc > 1 ? argv[1] : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
                    return fd < 0 ? 2 : a(fd) + b(fd);
                }
                """,
        };
        var list = Path.Combine(folder, "sites.txt");
        File.Delete(list);
        var objects = new List<string>();
        foreach (var (name, text) in files)
        {
            var source = Path.Combine(folder, name);
            File.WriteAllText(source, text);
            var obj = Path.ChangeExtension(source, ".o");
            var compile = Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-Wall", "-Werror", "-fpass-plugin=" + dwell.Plugin, "-c", source, "-o", obj], environment: new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = list });
            Assert.Equal(string.Empty, compile.Stderr);
            objects.Add(obj);
        }

        var program = Path.Combine(folder, "three");
        Toolchain.RunChecked(Toolchain.Clang, [.. objects, "-o", program, "-pthread", dwell.HookArchive]);

        // Five sites in the modules (a: write, the wrapper's pwrite; b: two pwrites, the wrapper's
        // pwrite again), four in the program; one line for it.
        var ids = File.ReadAllLines(list).Select(static l => l.Split('\t')[0]).ToList();
        Assert.Equal(5, ids.Count);
        Assert.Equal(4, ids.Distinct(StringComparer.Ordinal).Count());
        var summary = Assert.Single(InstrumentationSummary.Read(program));
        Assert.Equal($"sigil-dwell: {program}: 4 site(s) in 2 of 3 translation unit(s), 1 function(s) wrapped for calls through pointers", summary.Line(program));

        // The records did not change what the program does.
        var target = Path.Combine(folder, "out.txt");
        Assert.Equal(0, Toolchain.RunChecked(program, [target]).ExitCode);
        Assert.Equal("abc", File.ReadAllText(target));
    }

    [Fact]
    public void Clang_GlobPatterns_MatchNamesNotSubstrings()
    {
        // 'write' must not match fwrite, 'copy_pos*' must match copy_positioned only.
        var gate = _fixture.Gate;
        var source = Path.Combine(gate.Root, "globs.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <unistd.h>
            int copy_positioned(int fd) { return fd; }
            int copy_pos(int fd) { return fd; }
            int copy_stream(int fd) { return fd; }
            int main(void) { fwrite("x", 1, 1, stdout); return (int)write(1, "y", 1) + copy_positioned(1) + copy_pos(2) + copy_stream(3); }
            """);
        var list = Path.Combine(gate.Root, "globs-sites.txt");
        File.Delete(list);
        Toolchain.RunChecked(
            Toolchain.Clang,
            ["-O0", "-fpass-plugin=" + gate.Plugin, "-c", source, "-o", Path.Combine(gate.Root, "globs.o")],
            environment: new Dictionary<string, string> { ["SIGIL_GATE_SITES"] = list });

        var keys = File.ReadAllLines(list).Select(l => l.Split('\t')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "copy_pos/entry", "copy_positioned/entry", "main/write#0" }, keys);
    }

    [Fact]
    public void Clang_LargeFileCalls_MatchThePlainNamesPatterns_OtherNamesEndingIn64DoNot()
    {
        // Under _FILE_OFFSET_BITS=64 glibc's headers turn the source's pwrite into a call to
        // pwrite64, which the fibre's 'pwrite' pattern matches; a program's own write64 is not one
        // of glibc's large-file pairs and 'write' does not match it.
        var dwell = _fixture.Dwell;
        var source = Path.Combine(dwell.Root, "largefile.c");
        File.WriteAllText(source, """
            #include <unistd.h>
            static ssize_t write64(int fd, const void *buffer, size_t size) { return write(fd, buffer, size); }
            int main(void) { return (int)pwrite(1, "x", 1, 0) + (int)write64(1, "y", 1); }
            """);
        var list = Path.Combine(dwell.Root, "largefile-sites.txt");
        File.Delete(list);
        Toolchain.RunChecked(
            Toolchain.Clang,
            ["-O0", "-D_FILE_OFFSET_BITS=64", "-fpass-plugin=" + dwell.Plugin, "-c", source, "-o", Path.Combine(dwell.Root, "largefile.o")],
            environment: new Dictionary<string, string> { ["SIGIL_DWELL_SITES"] = list });

        var keys = File.ReadAllLines(list).Select(l => l.Split('\t')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "main/pwrite64#0", "write64/write#0" }, keys);
    }

    [Fact]
    public void Clang_HookSourceItself_IsLeftAlone()
    {
        // The hook's own translation unit defines the price; the plugin must not instrument it.
        var gate = _fixture.Gate;
        var ir = Path.Combine(gate.Root, "hook.ll");
        var result = Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-fpass-plugin=" + gate.Plugin, "-S", "-emit-llvm", Path.Combine(gate.LlvmFolder, "sigil_gate_hook.c"), "-o", ir]);

        Assert.DoesNotContain("matched no", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("!sigil.instrumented", File.ReadAllText(ir), StringComparison.Ordinal);
    }

    [Fact]
    public void ClangCxx_InvokeSites_AreCountedNotRefusedAndTheIrVerifies()
    {
        // C++ with a cleanup: the calls become invokes. write is declared without noexcept here so
        // that it may unwind; foo_probe matches the gate's after-the-call rule.
        var gate = _fixture.Gate;
        var source = Path.Combine(gate.Root, "invoke.cpp");
        File.WriteAllText(source, """
            extern "C" long write(int fd, const void *buffer, unsigned long size);
            extern "C" long foo_probe(long value) { if (value < 0) throw value; return value; }
            struct Guard { ~Guard(); };
            Guard::~Guard() {}
            int main(int argc, char **) {
                Guard guard;
                long written = write(1, "x\n", 2);
                return (int)foo_probe(written + argc) == 3 ? 0 : 1;
            }
            """);
        var ir = Path.Combine(gate.Root, "invoke.ll");
        var compile = Toolchain.RunChecked(Toolchain.Clangxx, ["-O0", "-fpass-plugin=" + gate.Plugin, "-S", "-emit-llvm", source, "-o", ir]);
        Toolchain.RunChecked(Toolchain.Opt, ["-passes=verify", "-disable-output", ir]);

        Assert.Contains("sigil-gate: the call main/write#0 cannot be refused (it is an invoke); its hook only counts", compile.Stderr, StringComparison.Ordinal);
        var module = IrModule.Parse(File.ReadAllText(ir));
        var hooks = module.CallsTo("sigil_gate_update").Select(h => h.Instruction).ToList();
        Assert.Equal(2, hooks.Count);
        Assert.Contains(hooks, h => h.Contains($"(i32 -2147483648, i64 {unchecked((long)LlvmSites.CallSiteId("main", "write", 0))}, i64 1, i64 0)", StringComparison.Ordinal)); // rule 0 | advisory
        Assert.Contains(hooks, h => h.Contains($"(i32 1, i64 {unchecked((long)LlvmSites.CallSiteId("main", "foo_probe", 0))}, i64 -1, i64 %", StringComparison.Ordinal));

        // At a high price the write still happens; the refusal is only counted, errno untouched.
        var program = Path.Combine(gate.Root, "invoke");
        Toolchain.RunChecked(Toolchain.Clangxx, ["-O2", "-fpass-plugin=" + gate.Plugin, source, gate.HookArchive, "-pthread", "-o", program]);
        var page = Path.Combine(gate.Root, "invoke.prices");
        var run = PricedRun.Run(
            program,
            [],
            new Dictionary<string, string> { ["SIGIL_GATE_PRICE_MAP"] = string.Empty, ["SIGIL_GATE_PRICE_PAGE"] = page, ["SIGIL_GATE_STATS"] = "1" },
            pid => PricePage.Write(page, 20, 16, new Dictionary<int, ulong> { [pid] = 1UL << 20 }));
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("x\n", run.Stdout);
        var stats = HookStats.Parse("sigil-gate", run.Stderr);
        Assert.Equal(1UL, stats.Refusals);
        Assert.Equal(2UL, stats.Updates);
    }

    private static string CompileUnoptimised(string folder)
    {
        var output = Path.Combine(folder, "copy.O0.ll");
        if (!File.Exists(output))
        {
            Toolchain.RunChecked(Toolchain.Clang, ["-O0", "-Xclang", "-disable-O0-optnone", "-S", "-emit-llvm", Toolchain.CopySample, "-o", output]);
        }

        return output;
    }

    private static void FileCheck(string checks, string input, params (string Name, ulong Site)[] sites)
    {
        var result = RunFileCheck(checks, input, sites);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static ProcessResult RunFileCheck(string checks, string input, params (string Name, ulong Site)[] sites)
    {
        var arguments = new List<string> { Path.Combine(Toolchain.ChecksFolder, checks), "--input-file", input };
        foreach (var (name, site) in sites)
        {
            // IR prints an i64 constant signed.
            arguments.Add($"-D{name}={unchecked((long)site).ToString(CultureInfo.InvariantCulture)}");
        }

        return Toolchain.Run(Toolchain.FileCheck, arguments);
    }
}
