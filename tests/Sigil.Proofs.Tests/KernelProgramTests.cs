using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Sigil.Runtime.Proofs;
using Xunit.Abstractions;

namespace Sigil.Proofs.Tests;

/// <summary>
/// bpf/sigil_fixed.h and bpf/sigil_guard.h against the programs they are printed from
/// (proofs/Sigil/KernelC.v): the files are the printed text, every edit of an operator or a
/// constant fails the build's check, every one-operator or one-constant edit of the programs
/// fails the library's vector checks or is a listed equivalent, and the compiled C agrees with
/// Coq's evaluation of the programs on more than 10,000 vectors (the guard's decisions at a
/// threshold among them).
/// </summary>
public sealed class KernelProgramTests
{
    private static readonly string[] s_headers = { "sigil_fixed", "sigil_guard" };
    private readonly ITestOutputHelper _output;

    public KernelProgramTests(ITestOutputHelper output) => _output = output;

    private static string Bpf => Path.Combine(Coq.Repository, "bpf");

    [CoqFact]
    public void Headers_AreTheTextPrintedFromTheCoqPrograms()
    {
        var checks = new StringBuilder();
        foreach (var header in s_headers)
        {
            var text = File.ReadAllText(Path.Combine(Bpf, header + ".h"));
            checks.Append(CultureInfo.InvariantCulture, $"Example {header}_is_printed : first_difference {CoqString(text)} {header}_h = None.\nProof. vm_compute. reflexivity. Qed.\n");
        }

        var run = RunCoq("headers", checks.ToString());
        Assert.True(run.Succeeded, run.Output);
    }

    [CoqFact]
    public void Headers_AnyOperatorOrConstantEdit_FailsTheBuildsCheck()
    {
        // The build compares the header with the printed text by first_difference (proofs/Makefile);
        // here every edit of one operator or one constant in the code is shown to make it differ.
        var checks = new StringBuilder();
        var count = 0;
        foreach (var header in s_headers)
        {
            var text = File.ReadAllText(Path.Combine(Bpf, header + ".h"));
            foreach (var mutant in Mutate(text))
            {
                checks.Append(CultureInfo.InvariantCulture, $"Example {header}_edit_{count++} : first_difference {CoqString(mutant)} {header}_h <> None.\nProof. vm_compute. discriminate. Qed.\n");
            }
        }

        _output.WriteLine($"{count} edits");
        Assert.True(count >= 100, $"only {count} edits");
        var run = RunCoq("edits", checks.ToString());
        Assert.True(run.Succeeded, run.Output);
    }

    /// <summary>
    /// The one-operator and one-constant edits of the programs that no check tells apart from the
    /// program: each is equivalent on the programs' valid inputs (the line number, the header's
    /// line and the edited one, then why).
    /// </summary>
    private static readonly (string Line, string Edited, string Why)[] s_equivalent =
    {
        ("\t__u64 ua = a < 0 ? -(__u64)a : (__u64)a;", "\t__u64 ua = a <= 0 ? -(__u64)a : (__u64)a;", "|0| is 0 either way"),
        ("\t__u64 ua = a < 0 ? -(__u64)a : (__u64)a;", "\t__u64 ua = a < 1 ? -(__u64)a : (__u64)a;", "|0| is 0 either way"),
        ("\t__u64 ub = b < 0 ? -(__u64)b : (__u64)b;", "\t__u64 ub = b <= 0 ? -(__u64)b : (__u64)b;", "|0| is 0 either way"),
        ("\t__u64 ub = b < 0 ? -(__u64)b : (__u64)b;", "\t__u64 ub = b < 1 ? -(__u64)b : (__u64)b;", "|0| is 0 either way"),
        ("\tint negative = (a < 0) != (b < 0);", "\tint negative = (a <= 0) != (b < 0);", "a zero product has no sign"),
        ("\tint negative = (a < 0) != (b < 0);", "\tint negative = (a < 1) != (b < 0);", "a zero product has no sign"),
        ("\tint negative = (a < 0) != (b < 0);", "\tint negative = (a < 0) != (b <= 0);", "a zero product has no sign"),
        ("\tint negative = (a < 0) != (b < 0);", "\tint negative = (a < 0) != (b < 1);", "a zero product has no sign"),
        ("\tif ((ua | ub) >> 31 && ua != 0 && ub > (__u64)SIGIL_S64_MAX / ua)", "\tif ((ua | ub) >> 30 && ua != 0 && ub > (__u64)SIGIL_S64_MAX / ua)", "a narrower fast path"),
        ("\tif (b > 0 && a > SIGIL_S64_MAX - b)", "\tif (b >= 0 && a > SIGIL_S64_MAX - b)", "b = 0 never saturates"),
        ("\tif (b > 0 && a > SIGIL_S64_MAX - b)", "\tif (b > -1 && a > SIGIL_S64_MAX - b)", "b = 0 never saturates"),
        ("\tif (b > 0 && a > SIGIL_S64_MAX - b)", "\tif (b > 0 && a >= SIGIL_S64_MAX - b)", "at equality the sum is S64_MAX"),
        ("\tif (b < 0 && a < SIGIL_S64_MIN - b)", "\tif (b <= 0 && a < SIGIL_S64_MIN - b)", "b = 0 never saturates"),
        ("\tif (b < 0 && a < SIGIL_S64_MIN - b)", "\tif (b < 1 && a < SIGIL_S64_MIN - b)", "b = 0 never saturates"),
        ("\tif (b < 0 && a < SIGIL_S64_MIN - b)", "\tif (b < 0 && a <= SIGIL_S64_MIN - b)", "at equality the sum is S64_MIN"),
        ("\tif (b < 0 && a > SIGIL_S64_MAX + b)", "\tif (b <= 0 && a > SIGIL_S64_MAX + b)", "b = 0 never saturates"),
        ("\tif (b < 0 && a > SIGIL_S64_MAX + b)", "\tif (b < 1 && a > SIGIL_S64_MAX + b)", "b = 0 never saturates"),
        ("\tif (b < 0 && a > SIGIL_S64_MAX + b)", "\tif (b < 0 && a >= SIGIL_S64_MAX + b)", "at equality the difference is S64_MAX"),
        ("\tif (b > 0 && a < SIGIL_S64_MIN + b)", "\tif (b >= 0 && a < SIGIL_S64_MIN + b)", "b = 0 never saturates"),
        ("\tif (b > 0 && a < SIGIL_S64_MIN + b)", "\tif (b > -1 && a < SIGIL_S64_MIN + b)", "b = 0 never saturates"),
        ("\tif (b > 0 && a < SIGIL_S64_MIN + b)", "\tif (b > 0 && a <= SIGIL_S64_MIN + b)", "at equality the difference is S64_MIN"),
        ("\tif (load_max <= 0 || ns_per_unit == 0)", "\tif (load_max <= 0 && ns_per_unit == 0)", "load_max = 0 clamps to 0 anyway; ns_per_unit >= 1"),
        ("\tif (load_max <= 0 || ns_per_unit == 0)", "\tif (load_max < 0 || ns_per_unit == 0)", "load_max = 0 clamps to 0 anyway"),
        ("\tif (load_max <= 0 || ns_per_unit == 0)", "\tif (load_max <= -1 || ns_per_unit == 0)", "load_max = 0 clamps to 0 anyway"),
        ("\tif (load_max <= 0 || ns_per_unit == 0)", "\tif (load_max <= 0 || ns_per_unit == -1)", "ns_per_unit >= 1"),
        ("\tif ((ns >> (63 - scale_bits)) == 0) {", "\tif ((ns >> (62 - scale_bits)) == 0) {", "a narrower fast path"),
        ("\tif ((ns >> (63 - scale_bits)) == 0) {", "\tif ((ns >> (63 - scale_bits)) == 1) {", "ns << scale_bits still fits in 64 bits there"),
        ("\tif ((ns >> (63 - scale_bits)) == 0) {", "\tif ((ns >> (63 - scale_bits)) == -1) {", "never true: the general path alone"),
        ("\t\treturn fx > (__u64)load_max ? load_max : (__s64)fx;", "\t\treturn fx >= (__u64)load_max ? load_max : (__s64)fx;", "equal values"),
        ("\treturn fx > (__u64)load_max ? load_max : (__s64)fx;", "\treturn fx >= (__u64)load_max ? load_max : (__s64)fx;", "equal values"),
        ("\tif (load < 0)", "\tif (load <= 0)", "clamping 0 to 0"),
        ("\tif (load < 0)", "\tif (load < 1)", "clamping 0 to 0"),
        ("\tif (load > load_max)", "\tif (load >= load_max)", "clamping load_max to load_max"),
        ("\tif (price < 0)", "\tif (price <= 0)", "clamping 0 to 0"),
        ("\tif (price < 0)", "\tif (price < 1)", "clamping 0 to 0"),
        ("\tif (price > price_max)", "\tif (price >= price_max)", "clamping price_max to price_max"),
        ("\tif (next < 0)", "\tif (next <= 0)", "returning 0 for 0"),
        ("\tif (next < 0)", "\tif (next < 1)", "returning 0 for 0"),
        ("\tif (next > price_max)", "\tif (next >= price_max)", "returning price_max for price_max"),
    };

    [CoqFact]
    public void Programs_EveryOneEditMutant_FailsTheVectorChecks_OrIsAnEquivalent()
    {
        var source = File.ReadAllText(Path.Combine(Coq.Repository, "tests", "Sigil.Proofs.Tests", "Coq", "Mutants.v"));
        var run = RunCoq("mutants", source, prelude: false);
        Assert.True(run.Succeeded, run.Output);
        _output.WriteLine(run.Output);
        var survivors = Regex.Matches(run.Output, @"\(\d+%nat,\s*""((?:[^""]|"""")*)"",\s*""((?:[^""]|"""")*)""\)")
            .Select(m => (m.Groups[1].Value.Replace("\"\"", "\""), m.Groups[2].Value.Replace("\"\"", "\"")))
            .ToList();
        var counts = Regex.Match(run.Output, @"\((\d+)%nat, (\d+)%nat\)");
        Assert.True(counts.Success, run.Output);
        Assert.True(int.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture) > 100);
        Assert.Equal(s_equivalent.Select(e => (e.Line, e.Edited)).ToList(), survivors);
    }

    [CoqFact]
    public void CompiledHeaders_AgreeWithCoqsEvaluation_On10000Vectors()
    {
        var random = new Random(20261207);
        var lines = new List<string>();
        long[] edges =
        {
            long.MinValue, long.MinValue + 1, -(1L << 32), -(1L << 31) - 1, -(1L << 31), -3037000500, -1, 0, 1,
            (1L << 31) - 1, 1L << 31, 3037000499, 3037000500, 1L << 32, long.MaxValue - 1, long.MaxValue,
        };
        long Signed()
        {
            var bits = random.Next(0, 64);
            var magnitude = (long)(random.NextInt64() >> (63 - bits));
            return random.Next(2) == 0 ? magnitude : -magnitude - 1;
        }

        foreach (var a in edges)
        {
            foreach (var b in edges)
            {
                lines.Add($"s {a} {b}");
            }
        }

        while (lines.Count < 6000)
        {
            lines.Add($"s {Signed()} {Signed()}");
        }

        for (var i = 0; i < 2000; i++)
        {
            var bits = random.Next(0, 33);
            var ns = i % 5 == 0 ? ulong.MaxValue - (ulong)random.Next(1000) : (ulong)random.NextInt64() >> random.Next(0, 64);
            var npu = i % 7 == 0 ? 1UL : 1 + ((ulong)random.NextInt64() % (1UL << 32));
            var loadMax = i % 11 == 0 ? random.Next(0, 3) : (i % 3 == 0 ? long.MaxValue : random.NextInt64());
            lines.Add($"n {ns} {npu} {bits} {loadMax}");
        }

        for (var i = 0; i < 2000; i++)
        {
            long NonNegative() => Math.Min(long.MaxValue, Math.Abs(Math.Max(long.MinValue + 1, Signed())));
            lines.Add($"u {Signed()} {Signed()} {NonNegative()} {NonNegative()} {NonNegative()} {NonNegative()} {random.Next(0, 33)}");
        }

        uint[] words = { 0, 1, 2, 77, 4294967295 };
        uint[] flags = { 0, 1, 4, 2097152, 2097156, 4294967295 };
        foreach (var armed in new uint[] { 0, 1, 2, 4294967295 })
        {
            foreach (var daemon in new uint[] { 0, 77, 4294967295 })
            {
                foreach (var tgid in words)
                {
                    foreach (var flag in flags)
                    {
                        foreach (var allow in new[] { 0, 1, -1 })
                        {
                            lines.Add($"g {armed} {daemon} {tgid} {flag} {allow}");
                        }
                    }
                }
            }
        }

        // the decisions at a threshold: prices around the threshold, drawn ones, and the extremes
        long[] prices = { long.MinValue, -1, 0, 1, 14, 15, 16, long.MaxValue };
        foreach (var old in prices)
        {
            foreach (var next in prices)
            {
                lines.Add($"c {old} {next} 15");
                foreach (var may in new[] { 0, 1, -1 })
                {
                    lines.Add($"k {old} {next} 15 {may}");
                }
            }
        }

        for (var i = 0; i < 400; i++)
        {
            var threshold = random.Next(2) == 0 ? random.Next(-2, 40) : Signed();
            long Near() => random.Next(3) == 0 ? Signed() : threshold + random.Next(-2, 3);
            lines.Add($"c {Near()} {Near()} {threshold}");
            lines.Add($"k {Near()} {Near()} {threshold} {random.Next(-1, 2)}");
        }

        var results = RunNative(lines);
        Assert.Equal(lines.Count, results.Count);
        var calls = 0;
        var coq = new StringBuilder("Definition vectors : list (string * list Z * list Z) := [\n");
        for (var i = 0; i < lines.Count; i++)
        {
            var parts = lines[i].Split(' ');
            var args = parts.Skip(1).Select(a => a).ToList();
            var outs = results[i].Split(' ').ToList();
            if (parts[0] == "s")
            {
                foreach (var (name, value) in new[] { ("sigil_fx_mul_sat", outs[0]), ("sigil_fx_add_sat", outs[1]), ("sigil_fx_sub_sat", outs[2]) })
                {
                    coq.Append(CultureInfo.InvariantCulture, $"  (\"{name}\", [{string.Join("; ", args.Select(Z))}], [{Z(value)}]);\n");
                    calls++;
                }

                continue;
            }

            var function = parts[0] switch { "n" => "sigil_fx_from_ns", "u" => "sigil_fx_price_update", "c" => "sigil_crossing", "k" => "sigil_kill_decision", _ => "sigil_may_signal" };
            coq.Append(CultureInfo.InvariantCulture, $"  (\"{function}\", [{string.Join("; ", args.Select(Z))}], [{Z(outs[0])}]);\n");
            calls++;
        }

        coq.Append("  (\"\", [], [])].\n");
        coq.Append("""
            Definition agrees (v : string * list Z * list Z) : bool :=
              let '(f, args, out) := v in
              if String.eqb f "" then true else
              let P := if String.prefix "sigil_fx_" f then sigil_fixed else sigil_guard in
              let r := call 4 P f args in
              snd r && (match out with [o] => fst r =? o | _ => false end).

            Example compiled_c_agrees : forallb agrees vectors = true.
            Proof. vm_cast_no_check (eq_refl true). Qed.

            """);
        _output.WriteLine($"{calls} calls compared");
        Assert.True(calls >= 10000, $"only {calls} calls");
        var run = RunCoq("differential", coq.ToString());
        Assert.True(run.Succeeded, run.Output);
    }

    private static string Z(string value) => value.StartsWith('-') ? "(" + value + ")" : value;

    private static string CoqString(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Every edit of one operator or one numeric constant in the code lines (not comments, not preprocessor text).</summary>
    private static IEnumerable<string> Mutate(string text)
    {
        var lines = text.Split('\n');
        var swaps = new Dictionary<string, string[]>
        {
            ["+"] = new[] { "-" }, ["-"] = new[] { "+" }, ["*"] = new[] { "/" }, ["/"] = new[] { "*" },
            ["<<"] = new[] { ">>" }, [">>"] = new[] { "<<" }, ["|"] = new[] { "&" }, ["&"] = new[] { "|" },
            ["<"] = new[] { "<=", ">" }, [">"] = new[] { ">=", "<" }, ["<="] = new[] { "<" }, [">="] = new[] { ">" },
            ["=="] = new[] { "!=" }, ["!="] = new[] { "==" }, ["&&"] = new[] { "||" }, ["||"] = new[] { "&&" },
        };
        var token = new Regex(@"0x[0-9a-fA-F]+(?:LL)?|\d+|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/<>|&]");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith('*') || trimmed.StartsWith("#include", StringComparison.Ordinal)
                || trimmed.StartsWith("#if", StringComparison.Ordinal) || trimmed.StartsWith("#endif", StringComparison.Ordinal)
                || trimmed.StartsWith("#define SIGIL_INLINE", StringComparison.Ordinal) || trimmed.StartsWith("#define SIGIL_FIXED_H", StringComparison.Ordinal)
                || trimmed.StartsWith("#define SIGIL_GUARD_H", StringComparison.Ordinal))
            {
                continue;
            }

            var code = line.Contains("/*", StringComparison.Ordinal) ? line[..line.IndexOf("/*", StringComparison.Ordinal)] : line;
            foreach (Match m in token.Matches(code))
            {
                if (char.IsLetter(code[Math.Max(0, m.Index - 1)]) || code[Math.Max(0, m.Index - 1)] == '_')
                {
                    continue; // part of a name such as __u64
                }

                IEnumerable<string> replacements = char.IsDigit(m.Value[0])
                    ? new[] { Bump(m.Value) }
                    : swaps.TryGetValue(m.Value, out var s) ? s : Array.Empty<string>();
                foreach (var replacement in replacements)
                {
                    var edited = (string[])lines.Clone();
                    edited[i] = line[..m.Index] + replacement + line[(m.Index + m.Length)..];
                    yield return string.Join('\n', edited);
                }
            }
        }
    }

    private static string Bump(string literal)
    {
        if (literal.StartsWith("0x", StringComparison.Ordinal))
        {
            var suffix = literal.EndsWith("LL", StringComparison.Ordinal) ? "LL" : string.Empty;
            var digits = literal[2..^suffix.Length];
            var value = BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture) ^ 1;
            return "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(digits.Length, '0') + suffix;
        }

        return (long.Parse(literal, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static List<string> RunNative(List<string> lines)
    {
        var folder = Path.Combine(Coq.Options.WorkDirectory!, "native-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var binary = Path.Combine(folder, "kernel_diff");
        var source = Path.Combine(Coq.Repository, "tests", "Sigil.Proofs.Tests", "Native", "kernel_diff.c");
        // gcc: Debian's clang-14 ships no UBSan runtime, and undefined behaviour must trap here.
        var (exit, output) = Run("gcc", new[] { "-O2", "-Wall", "-Wextra", "-Werror", "-fsanitize=undefined", "-fno-sanitize-recover=all", "-I", Bpf, source, "-o", binary }, null);
        Assert.True(exit == 0, output);
        var (runExit, results) = Run(binary, Array.Empty<string>(), string.Join('\n', lines) + "\n");
        Assert.True(runExit == 0, results);
        return results.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static (int Exit, string Output) Run(string file, string[] arguments, string? input)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), file + " did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static CoqcRun RunCoq(string name, string body, bool prelude = true)
    {
        var coqc = Coqc.Find(null)!;
        var library = CoqLibrary.Compile(coqc, CoqLibrary.Load(Coq.Library), Coq.Options.WorkDirectory!, TimeSpan.FromMinutes(5));
        Assert.True(library.Ok, library.Error);
        var folder = Path.Combine(Coq.Options.WorkDirectory!, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "Check.v");
        var text = prelude
            ? "From Coq Require Import ZArith String List Bool.\nFrom Sigil Require Import CSyntax KernelC.\nImport ListNotations.\nOpen Scope Z_scope.\n\n" + body
            : body;
        File.WriteAllText(file, text);
        return coqc.Run(library.LoadPath.Append("-q").Append(file), folder, TimeSpan.FromMinutes(10));
    }
}
