using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Sigil.Language.Model;
using Sigil.Tests.Shared;

namespace Sigil.Language.Tests;

/// <summary>Two-dimensional tables (long CSV, wide CSV, inline entries) and infinite bounds.</summary>
public sealed class MatrixTableTests
{
    // Three links, four flows: flow 0 crosses every link, flow k only link k - 1.
    private const string Network = """
        fibre net {
            index link in 0 .. 2;
            index flow in 0 .. 3;
            table R[link, flow] from "routes.csv"{LAYOUT};
            $rate[flow] : 1 in [0, 100];
            @cap[link] : 1 = 1;
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { }
        }
        """;

    private const string LongRoutes = "link,flow,value\n0,0,1\n0,1,1\n1,0,1\n1,2,1\n2,0,1\n2,3,1\n# an explicit zero is not stored\n2,1,0\n";

    private const string WideRoutes = "link,0,1,2,3\n0,1,1,0,\n1,1,,1,0\n2,1,0,,1\n";

    private static CompilationResult Compile(string text, IReadOnlyDictionary<string, string> files) =>
        SigilCompiler.Compile(new SourceFile("net.sigil", text), path => files.TryGetValue(path, out var t) ? t : null);

    [Fact]
    public void LongCsv_Routes_KeepsTheNonzerosOnlyByRows()
    {
        var result = Compile(Network.Replace("{LAYOUT}", string.Empty), new Dictionary<string, string> { ["routes.csv"] = LongRoutes });
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        var matrix = result.Spec!.Tables.Single().Matrix!;
        Assert.Equal(("link", "flow"), (matrix.RowSet, matrix.ColumnSet));
        Assert.Equal(new[] { 0, 2, 4, 6 }, matrix.RowStarts.ToArray());
        Assert.Equal(new[] { 0, 1, 0, 2, 0, 3 }, matrix.Columns.ToArray());
        Assert.All(matrix.Values, static v => Assert.Equal(1.0, v));
        Assert.Equal(0.0, matrix.At(2, 1));
        Assert.Equal(1.0, matrix.At(1, 2));

        // ||A||^2 bound ||A||_1 ||A||_inf from the nonzeros: column 0 sums 3, each row 2.
        Assert.Equal(6.0, result.Spec.Analysis.NormASquared);
    }

    [Fact]
    public void WideCsv_Routes_EqualsTheLongTable()
    {
        var wide = Compile(Network.Replace("{LAYOUT}", " wide"), new Dictionary<string, string> { ["routes.csv"] = WideRoutes });
        Assert.Empty(wide.Diagnostics.Select(static d => d.ToString()));
        var @long = Compile(Network.Replace("{LAYOUT}", string.Empty), new Dictionary<string, string> { ["routes.csv"] = LongRoutes });
        Assert.Equal(@long.Spec!.Tables.Single().Matrix, wide.Spec!.Tables.Single().Matrix);
    }

    [Fact]
    public void InlineEntries_WithAFile_AddToIt()
    {
        var text = Network.Replace("table R[link, flow] from \"routes.csv\"{LAYOUT};", "table R[link, flow] from \"routes.csv\" { [2, 1] = -2.5; }");
        var result = Compile(text, new Dictionary<string, string> { ["routes.csv"] = "l,f,v\n0,0,1\n" });
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        var matrix = result.Spec!.Tables.Single().Matrix!;
        Assert.Equal((1.0, -2.5, 2), (matrix.At(0, 0), matrix.At(2, 1), matrix.Values.Count));
    }

    [Theory]
    [InlineData("link,flow,value\n0,0,1\n0,9,1\n", "SIG1050", "Table 'R': '9' (routes.csv line 3) is not a member of index set 'flow'")]
    [InlineData("link,flow,value\n0,0,1\n7,0,1\n", "SIG1050", "Table 'R': '7' (routes.csv line 3) is not a member of index set 'link'")]
    [InlineData("link,flow,value\n0,0,1\n\n0,0,2\n", "SIG1051", "Table 'R' gives the entry [0, 0] twice: routes.csv line 2 and routes.csv line 4")]
    [InlineData("link,flow,value\n0,0,one\n", "SIG1016", "Table file 'routes.csv', row 2, column 'value': 'one' is not a finite number")]
    [InlineData("link,flow,value\n0,0,1e999\n", "SIG1016", "Table file 'routes.csv', row 2, column 'value': '1e999' is not a finite number")]
    [InlineData("0,0,1\n1,0,1\n", "SIG1017", "Table file 'routes.csv': line 1 holds a number where the header (row,column,value) belongs; a long table starts with a header line")]
    [InlineData("link,flow,value\n0,0\n", "SIG1017", "Table file 'routes.csv': line 2 has 2 fields; a long table has three: row,column,value")]
    public void LongCsv_BadFile_IsOneDiagnosticAtThePath(string csv, string code, string message)
    {
        var text = Network.Replace("{LAYOUT}", string.Empty);
        var result = Compile(text, new Dictionary<string, string> { ["routes.csv"] = csv });
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((code, message), (diagnostic.Id, diagnostic.Message));
        Assert.Equal(text.IndexOf("\"routes.csv\"", StringComparison.Ordinal), diagnostic.Span.Start);
        Assert.Equal((3, 29), (diagnostic.LineSpan.Start.Line, diagnostic.LineSpan.Start.Character));
        Assert.Null(result.Spec);
    }

    [Fact]
    public void MissingFile_IsSig1014AtThePath()
    {
        var result = Compile(Network.Replace("{LAYOUT}", string.Empty), new Dictionary<string, string>());
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("SIG1014", "Table file 'routes.csv' was not found beside the fibre"), (diagnostic.Id, diagnostic.Message));
    }

    [Fact]
    public void WideCsv_UnknownColumn_IsSig1050()
    {
        var result = Compile(Network.Replace("{LAYOUT}", " wide"), new Dictionary<string, string> { ["routes.csv"] = "link,0,x\n0,1,1\n" });
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(("SIG1050", "Table 'R': 'x' (routes.csv line 1) is not a member of index set 'flow'"), (diagnostic.Id, diagnostic.Message));
    }

    [Fact]
    public void Entry_ReadAtTheWrongSets_IsSig1009()
    {
        DiagnosticAssert.Reports("""
            fibre net {
                index link in 0 .. 2;
                index flow in 0 .. 3;
                table R[link, flow] { [0, 0] = 1; }
                $rate[flow] : 1 in [0, 100];
                @cap[link] : 1 = 1;
                couple @cap[l] >= sum(f in flow) R[{|SIG1009:f|}, l] * $rate[f];
                utility $rate[f] ~ log($rate[f] + 0.001);
                solve dual { }
            }
            """);
    }

    [Fact]
    public void LabelIndices_OrderTheRows_AndMustNameEveryFreeIndex()
    {
        const string Text = """
            fibre g {
                index a in 0 .. 1;
                index b in 0 .. 2;
                $x[a, b] : 1 in [0, 1];
                couple both[LABEL]: $x[i, j] <= 1;
                utility $x[i, j] ~ log(1 + $x[i, j]);
                solve dual { }
            }
            """;
        var result = Compile(Text.Replace("LABEL", "j, i"), new Dictionary<string, string>());
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Equal(new[] { new IndexBinding("j", "b"), new IndexBinding("i", "a") }, result.Spec!.Couplings.Single().Quantifiers.ToArray());

        var missing = Compile(Text.Replace("LABEL", "j"), new Dictionary<string, string>());
        var diagnostic = Assert.Single(missing.Diagnostics);
        Assert.Equal(("SIG1003", "Row index 'i' is not declared in the label (the label names the indices the row ranges over, each once)"), (diagnostic.Id, diagnostic.Message));
    }

    [Fact]
    public void ZeroCoefficient_IsNoTerm()
    {
        var result = Compile("""
            fibre z {
                index d in 0 .. 1;
                $x[d] : 1 in [0, 1];
                @c : 1 = 1;
                couple @c >= sum(i in d) ($x[i] + 0 * $x[i]);
                utility $x[i] ~ log(1 + $x[i]);
                solve dual { }
            }
            """, new Dictionary<string, string>());
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Single(result.Spec!.Couplings.Single().Terms);
    }

    [Fact]
    public void InfiniteUpperBound_OfAQuadraticUtility_Compiles()
    {
        var result = Compile("""
            fibre q {
                index d in 0 .. 1;
                $x[d] : 1 in [0, inf];
                @c : 1 = 1;
                couple @c >= sum(i in d) $x[i];
                utility $x[i] ~ 4 * $x[i] - 1/2 * $x[i] ** 2;
                solve admm { }
            }
            """, new Dictionary<string, string>());
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Equal(double.PositiveInfinity, result.Spec!.Variables.Single().Upper.Constant);
    }

    [Theory]
    [InlineData("4 * $x[i] - 1/2 * $x[i] ** 2")]
    [InlineData("4 * $x[i]")]
    public void NegativeInfinity_LowerBound_UnderTheQpEngine_IsAccepted(string utility)
    {
        const string fibre = """
            fibre q {
                index d in 0 .. 1;
                $x[d] : 1 in [-inf, 5];
                @c : 1 = 1;
                couple @c >= sum(i in d) $x[i];
                utility $x[i] ~ UTILITY;
                solve METHOD { }
            }
            """;
        var result = Compile(fibre.Replace("UTILITY", utility).Replace("METHOD", "admm"), new Dictionary<string, string>());
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Equal(double.NegativeInfinity, result.Spec!.Variables.Single().Lower.Constant);

        // The same variable under an engine that steps agents to their bounds is refused.
        var dual = Compile(fibre.Replace("UTILITY", utility).Replace("METHOD", "dual"), new Dictionary<string, string>());
        Assert.Equal("SIG2030", dual.Diagnostics[0].Id);
        Assert.Equal(
            "The lower bound of '$x' is infinite, which only 'solve admm' on a fibre whose utilities are all linear or quadratic (the QP engine) takes; 'solve dual' here needs a finite lower bound",
            dual.Diagnostics[0].Message);
    }

    [Theory]
    [InlineData("[0, inf]", "4 * $x[i]", "The upper bound of '$x' is infinite, which 'solve admm' cannot take for a linear utility: its step is unbounded at price 0 (only a quadratic utility's variable may be unbounded above)")]
    [InlineData("[inf, inf]", "4 * $x[i] - 1/2 * $x[i] ** 2", "The lower bound of '$x' is infinite, which no value meets; write a finite bound")]
    public void InfiniteBound_TheSolversCannotTake_IsSig2030(string bounds, string utility, string message)
    {
        var result = Compile("""
            fibre q {
                index d in 0 .. 1;
                $x[d] : 1 in BOUNDS;
                @c : 1 = 1;
                couple @c >= sum(i in d) $x[i];
                utility $x[i] ~ UTILITY;
                solve admm { }
            }
            """.Replace("BOUNDS", bounds).Replace("UTILITY", utility), new Dictionary<string, string>());
        // (A lower bound of inf also overloads the row: SIG2006 follows.)
        Assert.Equal(("SIG2030", message), (result.Diagnostics[0].Id, result.Diagnostics[0].Message));
        Assert.Equal(bounds == "[inf, inf]" ? 2 : 1, result.Diagnostics.Count);
    }

    [Fact]
    public void Infinity_InABudget_IsSig1053()
    {
        DiagnosticAssert.Reports("""
            fibre q {
                index d in 0 .. 1;
                $x[d] : 1 in [0, 1];
                @c : 1 = {|SIG1053:inf|};
                couple @c >= sum(i in d) $x[i];
                utility $x[i] ~ log(1 + $x[i]);
                solve dual { }
            }
            """);
    }

    // A long CSV with 1e6 nonzeros (1000 x 1000) read and bound: bounded time and allocation,
    // generous for a loaded CI machine. (A row reading the table is analysed over every
    // (row, column) pair, so this row reads a column of ones instead: the read is measured.)
    [Fact]
    public void LongCsv_AMillionNonzeros_ReadsInBoundedTimeAndMemory()
    {
        const int Size = 1000;
        var csv = new StringBuilder("row,column,value\n", 16 << 20);
        for (var m = 0; m < Size; m++)
        {
            for (var r = 0; r < Size; r++)
            {
                csv.Append(m.ToString(CultureInfo.InvariantCulture)).Append(',').Append(r.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(((m + r) % 7 == 0 ? 1 : (m * 31 + r) % 5 + 0.5).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        var text = csv.ToString();
        var fibre = """
            fibre big {
                index met in 0 .. 999;
                index rxn in 0 .. 999;
                table S[met, rxn] from "s.csv";
                $v[rxn] : 1 in [0, 1];
                couple total: sum(r in rxn) $v[r] <= 1000;
                utility $v[r] ~ log($v[r] + 1);
                solve dual { }
            }
            """;
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var result = SigilCompiler.Compile(new SourceFile("big.sigil", fibre), path => path == "s.csv" ? text : null);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Equal(Size * Size, result.Spec!.Tables.Single().Matrix!.Values.Count);
        Console.WriteLine($"1e6 nonzeros ({text.Length / 1e6:F1} MB of CSV): read and compiled in {clock.Elapsed.TotalSeconds:F2} s, {allocated / 1e6:F0} MB allocated");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        Assert.True(allocated < 2_000_000_000L, allocated.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A 20,000 x 20,000 table with 100,000 nonzeros, summed along its rows (mass balance) and down
    /// its columns: the analyses walk the nonzeros, so the fibre is analysed in bounded time and
    /// memory. Visiting every (row, column) pair would be 8e8 visits, refused as SIG3007.
    /// </summary>
    [Fact]
    public void Analysis_SumsOverA20000By20000TableWithFewNonzeros_WalkTheNonzeros()
    {
        var (fibre, files) = SparseTables.Square(20_000, 100_000);
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var result = Compile(fibre, files);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(result.Diagnostics.Select(static d => d.ToString()));
        Assert.Equal(100_000, result.Spec!.Tables.Single(static t => t.Name == "S").Matrix!.Values.Count);

        // ||A||_1 ||A||_inf from the nonzeros: each arc's column holds 5 entries of magnitude 1 in
        // 'balance' and 5 of magnitude 2 in 'cut'; both bounds are finite and nonzero.
        Assert.True(result.Spec.Analysis.NormASquared is > 0 and < double.PositiveInfinity);
        Console.WriteLine($"20000 x 20000, 1e5 nonzeros: analysed in {clock.Elapsed.TotalSeconds:F2} s, {allocated / 1e6:F0} MB allocated");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
        Assert.True(allocated < 1_000_000_000L, allocated.ToString(CultureInfo.InvariantCulture));
    }
}
