using System.Linq;
using Sigil.Language.Model;
using static Sigil.Language.Tests.Snippets;

namespace Sigil.Language.Tests;

/// <summary>
/// The compiler checks what a sensor's events mean: a span keyed by fd opens where an fd is returned
/// and closes where one is passed; file sensors take file events that fit them and measure rates.
/// </summary>
public sealed class SensorMeaningTests
{
    private const string Tree = "index agent by tree;";

    private static string Behaviour(params string[] extra) => Fibre(new[]
    {
        Tree,
        "$d[agent] : files/s in [0, 1000];",
        "$w[agent] : MiB/s in [0, 1000];",
        "@damage[agent] : files/s = 0.1;",
        "^damage -> map price_damage;",
        "param per_mib : files/MiB = 0.001;",
        "couple @damage[a] >= $d[a] + per_mib * $w[a];",
        "utility $d[a] ~ log(1 + $d[a]);",
        "utility $w[a] ~ log(1 + $w[a]);",
        OnlineSolve,
        "act kill when ^damage[a] >= 1.5;",
    }.Concat(extra).ToArray());

    [Theory]
    [InlineData("span({|SIG1041:syscalls:sys_enter_connect|}, syscalls:sys_enter_close)")]
    [InlineData("span({|SIG1041:syscalls:sys_enter_read|}, syscalls:sys_enter_pwrite64)")]
    [InlineData("span(syscalls:sys_enter_openat, {|SIG1041:syscalls:sys_enter_getppid|})")]
    [InlineData("span(syscalls:sys_enter_openat, {|SIG1041:syscalls:sys_enter_unlinkat|})")]
    public void Span_KeyedByFd_AtEventsWithoutAnFd_IsSig1041(string span) =>
        DiagnosticAssert.Reports(Base($"sense $x[t] <- {span} key (pid, fd);"));

    [Theory]
    [InlineData("syscalls:sys_enter_open", "syscalls:sys_enter_close")]
    [InlineData("syscalls:sys_enter_openat2", "syscalls:sys_enter_close")]
    [InlineData("syscalls:sys_enter_creat", "syscalls:sys_enter_close")]
    [InlineData("syscalls:sys_enter_socket", "syscalls:sys_enter_close")]
    [InlineData("syscalls:sys_enter_dup", "syscalls:sys_enter_fsync")]
    public void Span_KeyedByFd_FromAnFdMakerToAnFdTaker_Compiles(string open, string close) =>
        DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, OnlineSolve, $"sense $x[t] <- span({open}, {close}) key (pid, fd);"));

    [Theory]
    [InlineData("sense $d[a] <- files({|SIG1041:file:write|});", "sense $w[a] <- bytes(file:write);")]
    [InlineData("sense $d[a] <- files({|SIG1041:file:overwrote|});", "sense $w[a] <- bytes(file:write);")]
    [InlineData("sense $d[a] <- files({|SIG1041:syscalls:sys_enter_write|});", "sense $w[a] <- bytes(file:write);")]
    [InlineData("sense $d[a] <- {|SIG1041:bytes|}(file:write);", "sense $w[a] <- bytes(file:write);")]
    [InlineData("sense $d[a] <- files(file:remove);", "sense $w[a] <- bytes({|SIG1041:file:overwrite|});")]
    [InlineData("sense $d[a] <- files(file:remove);", "sense $w[a] <- {|SIG1041:files|}(file:overwrite);")]
    public void FileSensor_WithEventsOrUnitsThatDoNotFit_IsSig1041(string first, string second) =>
        DiagnosticAssert.Reports(Behaviour(first, second));

    [Fact]
    public void FileSensors_WithFittingEventsAndRates_Compile() =>
        DiagnosticAssert.Reports(Behaviour("sense $d[a] <- files(file:fill, file:overwrite);", "sense $w[a] <- bytes(file:write);"));

    [Fact]
    public void ShippedRansomware_SensesFileEvents_OverProcessTrees()
    {
        var result = Fibres.Compile("ransomware");
        Assert.Empty(result.Diagnostics);
        var spec = result.Spec!;
        Assert.Equal(KernelKey.Tree, spec.Indices.Single().Key);
        Assert.Equal(new[] { SensorKind.Files, SensorKind.Bytes }, spec.Sensors.Select(static s => s.Kind));
        Assert.Equal(new[] { "overwrite", "truncate", "remove" }, spec.Sensors[0].Tracepoints.Select(static t => t.Event));
        Assert.All(spec.Sensors, static s => Assert.Equal(1e9, s.NanosecondsPerUnit));
        Assert.Empty(Sigil.Language.Emit.Bpf.BpfEmitter.Check(spec));
    }
}
