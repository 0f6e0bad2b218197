using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Language.Emit.Bpf;

namespace Sigil.Proofs.Tests;

/// <summary>
/// The hold timer's price path in the generated eBPF C (templates/bpf/sensor_span.scriban and
/// fibre.bpf.c.scriban) does its arithmetic only through the code printed from Coq
/// (bpf/sigil_fixed.h: <c>sigil_fx_from_ns</c>, <c>sigil_fx_price_update</c>), on exactly the
/// loads HoldTimer.v models: a tick charges <c>budget + (excess - charged)</c> with
/// <c>excess = sigil_fx_from_ns(now - open) - budget</c>, and the close the load less what the
/// ticks charged. Every other operator in those functions, or an edit of these expressions,
/// fails the check (shown on edits of the generated text).
/// </summary>
public sealed class HoldTimerProgramTests
{
    // The arithmetic each function may do, whole lines of the generated C.
    private static readonly (string Function, string[] Lines)[] s_arithmetic =
    {
        ("charge_hold_span", new[]
        {
            "excess = sigil_fx_from_ns(run->now - open_ns, fx_ns_per_unit, fx_scale_bits, fx_load_max) - fx_budget;",
            "if (price_update(run->s, key->tgid, fx_budget + (excess - charged), &old, &next)) {",
            "run->now - open_ns, old, next);",
        }),
        ("price_update", new[]
        {
            "next = sigil_fx_price_update(old, load, fx_step, fx_budget, fx_load_max, fx_price_max,",
        }),
        ("record_hold", new[]
        {
            "__s64 load = sigil_fx_from_ns(sample, fx_ns_per_unit, fx_scale_bits, fx_load_max);",
            "load -= charged;",
        }),
    };

    private static string DwellSource() =>
        BpfEmitter.Emit(Fixtures.Dwell()).Single(a => a.RelativePath.EndsWith(".bpf.c", StringComparison.Ordinal) && !a.RelativePath.Contains("baseline", StringComparison.Ordinal)).Content;

    [Fact]
    public void HoldTimer_PricesOnlyThroughThePrintedFixedPointCode()
    {
        var source = DwellSource();
        Assert.Empty(Problems(source));
        Assert.Contains("#include \"sigil_fixed.h\"", source);
    }

    [Theory]
    [InlineData("fx_budget + (excess - charged)", "fx_budget + excess")]
    [InlineData("fx_budget + (excess - charged)", "fx_budget + (excess - charged) * 2")]
    [InlineData("fx_load_max) - fx_budget;", "fx_load_max);")]
    [InlineData("sigil_fx_from_ns(run->now - open_ns,", "sigil_fx_from_ns((run->now - open_ns) >> 1,")]
    [InlineData("next = sigil_fx_price_update(old, load,", "next = old + ((fx_step * (load - fx_budget)) >> fx_scale_bits); (void)(old, load,")]
    [InlineData("load -= charged;", "load -= charged / 2;")]
    [InlineData("\t\tload -= charged;\n", "\t\tload -= charged;\n\t\tload += fx_budget;\n")]
    [InlineData("\tif (excess <= charged)\n", "\texcess = excess << 1;\n\tif (excess <= charged)\n")]
    [InlineData("\t\told = *(volatile __s64 *)price;\n", "\t\told = *(volatile __s64 *)price - 1;\n")]
    public void HoldTimer_AnEditOfItsArithmetic_IsFound(string from, string to)
    {
        var source = DwellSource();
        Assert.Contains(from, source);
        Assert.NotEmpty(Problems(source.Replace(from, to, StringComparison.Ordinal)));
    }

    /// <summary>What in the three functions is arithmetic other than the allowed lines.</summary>
    private static List<string> Problems(string source)
    {
        var problems = new List<string>();
        foreach (var (function, lines) in s_arithmetic)
        {
            var body = Body(source, function);
            if (body is null)
            {
                problems.Add($"no function {function}");
                continue;
            }

            var rest = body.Split('\n').Select(static l => l.Trim()).ToList();
            foreach (var line in lines)
            {
                if (rest.Remove(line))
                {
                    continue;
                }

                problems.Add($"{function}: no line '{line}'");
            }

            foreach (var line in rest.Where(static l => !l.StartsWith("/*", StringComparison.Ordinal) && !l.StartsWith('*')))
            {
                // Operators outside the allowed lines: + - / % << >> (not -> ++ or a unary minus; a
                // * is a pointer as often as a product, so a product is found by the line edits).
                var code = Regex.Replace(Regex.Replace(line, @"->|\+\+|--|/\*.*?\*/", " "), @"\breturn\s+-", "return ");
                if (Regex.IsMatch(code, @"[+/%]|<<|>>|(?<=[\w)\]]\s*)-"))
                {
                    problems.Add($"{function}: arithmetic outside the printed code: '{line}'");
                }
            }
        }

        return problems;
    }

    private static string? Body(string source, string function)
    {
        var start = Regex.Match(source, @"^(?:static|int)[^\n]*\b" + function + @"\(", RegexOptions.Multiline);
        if (!start.Success)
        {
            return null;
        }

        var open = source.IndexOf("\n{\n", start.Index, StringComparison.Ordinal);
        var close = source.IndexOf("\n}\n", open, StringComparison.Ordinal);
        return open < 0 || close < 0 ? null : source[(open + 3)..close];
    }
}
