using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Sigil.Language.Diagnostics;
using static Sigil.Language.Tests.Snippets;

namespace Sigil.Language.Tests;

/// <summary>
/// One case per diagnostic code: the snippet marks where the diagnostic must be reported, and no
/// other diagnostic may appear.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Csv = "k,a\nr1,1\nr2,2\n";

    private sealed record Case(string Annotated, Dictionary<string, string>? Files = null, CompilationOptions? Options = null);

    private static readonly Dictionary<string, Case> s_cases = new()
    {
        // 0xxx syntax
        ["SIG0001"] = new(Base("{|SIG0001:#|}")),
        ["SIG0002"] = new(Base("metric m = mean({|SIG0002:\"|}$x);")),
        ["SIG0003"] = new(Fibre(Task, X, R, "couple @r[t] >= $x[t] {|SIG0003:)|};", Utility, Solve)),
        ["SIG0004"] = new(Fibre(Task, X, "@r[task] : s = 5{|SIG0004:|}", Row, Utility, Solve)),
        ["SIG0005"] = new(Base("param p = " + new string('(', 63) + "{|SIG0005:(|}1" + new string(')', 64) + ";")),
        ["SIG0006"] = new(Base("param p = 1" + string.Concat(Enumerable.Repeat(" + 1", 254)) + " {|SIG0006:+|} 1;")),
        ["SIG0008"] = new(Base("param p = {|SIG0008:1e400|};")),

        // 1xxx names, types, units
        ["SIG0011"] = new(Base("// {|SIG0011:\u202E|} reads backwards")),
        ["SIG1001"] = new(Base("param {|SIG1001:match|} = 1;")),
        ["SIG1002"] = new(Base("param p = 1;", "param {|SIG1002:p|} = 2;")),
        ["SIG1003"] = new(Fibre(Task, X, "@r[task] : s = {|SIG1003:budgett|};", Row, Utility, Solve)),
        ["SIG1004"] = new(Base("index e from {|SIG1004:task|};")),
        ["SIG1005"] = new(Base("param a : s = 1;", "param b : MiB = 2;", "param c = {|SIG1005:a + b|};")),
        ["SIG1006"] = new(Fibre(Task, X, "param m : MiB = 5;", "@r[task] : s = {|SIG1006:m|};", Row, Utility, Solve)),
        ["SIG1007"] = new(Base("param q : {|SIG1007:2|} = 1;")),
        ["SIG1008"] = new(Fibre(Task, X, R, "couple @r[t] >= $x{|SIG1008:[t, t]|};", Utility, Solve)),
        ["SIG1009"] = new(Fibre(Task, "index e in 0 .. 1;", X, R, "couple @r[{|SIG1009:e|}] >= $x[t];", Utility, Solve)),
        ["SIG1010"] = new(Fibre(Task, X, R, Row, Utility, "solve dual { {|SIG1010:stepp|} = 1; }")),
        ["SIG1011"] = new(Base("certify {|SIG1011:lyapunv|};")),
        ["SIG1012"] = new(Fibre(Task, X, R, Row, Utility, "solve dual { step = {|SIG1012:-1|}; }")),
        ["SIG1013"] = new(Fibre(Task, X, R, Row, Utility, "solve dual { {|SIG1013:rho|} = 1; }")),
        ["SIG1014"] = new(Base("table tab from {|SIG1014:\"missing.csv\"|} { a; }")),
        ["SIG1015"] = new(Base("table tab from \"t.csv\" { a; {|SIG1015:b|}; }"), new() { ["t.csv"] = Csv }),
        ["SIG1016"] = new(Base("table tab from \"t.csv\" { {|SIG1016:a|}; }"), new() { ["t.csv"] = "k,a\nr1,1\nr2,x\n" }),
        ["SIG1017"] = new(Base("table tab from {|SIG1017:\"t.csv\"|} { a; }"), new() { ["t.csv"] = "k,a\nr1,1,2\n" }),
        ["SIG1018"] = new(Base("table tab from {|SIG1018:\"../t.csv\"|} { a; }"), new() { ["../t.csv"] = Csv }),
        ["SIG1019"] = new(Fibre(Task, X, "@r[task] : s = {|SIG1019:$x[task]|};", Row, Utility, Solve)),
        ["SIG1020"] = new(Fibre(Task, X, R, Row, Utility).Replace("fibre f", "fibre {|SIG1020:f|}")),
        ["SIG1021"] = new(Base("utility {|SIG1021:$x[t]|} ~ log(2 + $x[t]);")),
        ["SIG1022"] = new(Fibre(Task, X, "$z[task] : s in [0, 1];", R, "{|SIG1022:couple @r[t] >= $x[t] + $z[t];|}", Utility, Solve)),
        ["SIG1023"] = new(Fibre(Task, X, "$z[task] : s in [0, 1];", R, Row, "utility $x[t] ~ log(1 + {|SIG1023:$z[t]|});", Solve)),
        ["SIG1024"] = new(Base("couple {|SIG1024:$x[t] + 1|};")),
        ["SIG1025"] = new(Base("couple {|SIG1025:$x[t] <= 10|};")),
        ["SIG1026"] = new(Fibre(Task, X, R, "couple {|SIG1026:cap|}: @r[t] >= $x[t];", Utility, Solve)),
        ["SIG1027"] = new(Fibre(Task, X, R, "@q[task] : s = 1;", "couple @r[t] >= $x[t] + {|SIG1027:@q[t]|};", Utility, Solve)),
        ["SIG1028"] = new(Fibre(Task, X, "@s : s = 5;", "couple @s >= $x[{|SIG1028:t|}];", Utility, Solve)),
        ["SIG1029"] = new(Base(Price, "act throttle(cpu = {|SIG1029:2|}) when ^r[t] >= 1;")),
        ["SIG1030"] = new(Base("act kill when {|SIG1030:^r[t] <= 3|};")),
        ["SIG1031"] = new(Base("$c[task] : MiB in [0, 1];", "sense $c[t] <- {|SIG1031:span|}(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);")),
        ["SIG1032"] = new(Base("sense $x[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key ({|SIG1032:fd|});")),
        ["SIG1033"] = new(Base("metric {|SIG1033:x_total|} = mean($x);")),
        ["SIG1034"] = new(Base("instrument calls({|SIG1034:\"a-b\"|});")),
        ["SIG1035"] = new(Base("index e in {|SIG1035:3 .. 1|};")),
        ["SIG1036"] = new(Fibre(Task, X, Utility, Solve).Replace("fibre f", "fibre {|SIG1036:f|}")),
        ["SIG1037"] = new(Fibre(Task, X, R, Row, Utility, "{|SIG1037:solve dual { step = 0.001; online; }|}")),
        ["SIG1038"] = new(Base("@{|SIG1038:q|}[task] : s = 1;")),
        ["SIG1041"] = new(Base("sense $x[t] <- span({|SIG1041:syscalls:sys_enter_read|}, syscalls:sys_enter_pwrite64) key (pid, fd);")),
        ["SIG1039"] = new(Base("table tab from \"t.csv\" { a : s; }", "index e from tab;", "@q[task] : s = a[{|SIG1039:task|}];"), new() { ["t.csv"] = Csv }),
        ["SIG1040"] = new(Base("act {|SIG1040:kill|};")),

        ["SIG1050"] = new(Base("index e in 0 .. 1;", "index g in 0 .. 1;", "table M[e, g] { [0, 1] = 2; [{|SIG1050:5|}, 0] = 1; }")),
        ["SIG1051"] = new(Base("index e in 0 .. 1;", "index g in 0 .. 1;", "table M[e, g] { [0, 1] = 2; {|SIG1051:[0, 1] = 3;|} }")),
        ["SIG1052"] = new(Base("index g in 0 .. 1;", "table M[{|SIG1052:task|}, g] { }")),
        ["SIG1053"] = new(Base("param p = {|SIG1053:inf|};")),
        ["SIG1070"] = new(Behaviour("class tools: exe \"/usr/bin/gzip\", {|SIG1070:\"bin/xz\"|} weight 0.1;")),
        ["SIG1071"] = new(Behaviour("allow cgroup \"/backup.slice\";", "allow cgroup {|SIG1071:\"/backup.slice\"|};")),
        ["SIG1072"] = new(Behaviour("class tools: exe \"/usr/bin/gzip\" weight 0.1;", "class {|SIG1072:tools|}: exe \"/usr/bin/xz\" weight 0.1;")),
        ["SIG1073"] = new(Behaviour("allow {|SIG1073:path|} \"/usr/bin/rsync\";")),
        ["SIG1074"] = new(Behaviour("class tools: exe \"/usr/bin/gzip\" {|SIG1074:scale|} 0.1;")),

        // 2xxx math and certificates
        ["SIG2030"] = new(Fibre(Task, "{|SIG2030:$x[task] : s in [0, inf];|}", R, Row, Utility, "solve admm { }")),
        ["SIG2040"] = new(Behaviour("class tools: exe \"/usr/bin/gzip\" weight {|SIG2040:1001|};")),
        ["SIG2001"] = new(Fibre(Task, X, R, "couple @r[t] >= {|SIG2001:$x[t] * $x[t]|};", Utility, Solve)),
        ["SIG2002"] = new(Fibre(Task, X, R, Row, "utility $x[t] ~ {|SIG2002:exp|}($x[t]);", Solve)),
        ["SIG2003"] = new(Fibre(Task, X, R, Row, "utility $x[t] ~ {|SIG2003:-log(1 + $x[t])|};", Solve)),
        ["SIG2004"] = new(Fibre(Task, X, R, Row, "utility $x[t] ~ {|SIG2004:log($x[t])|};", Solve)),
        ["SIG2005"] = new(Fibre(Task, "{|SIG2005:$x[task] : s in [5, 1];|}", R, Row, Utility, Solve)),
        ["SIG2006"] = new(Fibre(Task, "$x[task] : s in [6, 10];", R, "{|SIG2006:couple @r[t] >= $x[t];|}", Utility, Solve)),
        ["SIG2007"] = new(Base("{|SIG2007:couple exact: $x[t] == 20;|}")),
        ["SIG2008"] = new(Fibre(Task, X, R, Row, Utility, "solve dual { {|SIG2008:step = 100;|} }")),
        ["SIG2009"] = new(Base("certify {|SIG2009:admm|};")),
        ["SIG2010"] = new(Base("act throttle(cpu = 20%) when ^r[t] >= 5;", "{|SIG2010:act kill when ^r[t] >= 1;|}")),
        ["SIG2011"] = new(Fibre(Task, X, R, Row, "utility $x[t] ~ 2 * $x[t];", "solve dual { {|SIG2011:step = auto;|} }")),
        ["SIG2012"] = new(Base("param p = {|SIG2012:1 / 0|};")),
        ["SIG2013"] = new(Base("param p = {|SIG2013:1e300 * 1e300|};")),
        ["SIG2014"] = new(Fibre(Task, X, R, "couple @r[t] >= {|SIG2014:sum(u in task) ($x[t] + 1)|};", Utility, Solve)),
        ["SIG2018"] = new(Fibre(Task, X, "$bonus : s in [0, 10];", R, "@all : s = 5;", "couple @r[t] >= $x[t];", "couple @all >= sum(u in task) $x[u] + {|SIG2018:$bonus|};", Utility, "utility $bonus ~ log(1 + $bonus);", Solve)),
        ["SIG2019"] = new(Fibre(Task, X, "@{|SIG2019:c|} : s = 100 cluster max 4;", "couple @c >= sum(t in task) $x[t];", Utility, "solve penalty { mu = 1; }")),

        // 3xxx target limits
        ["SIG2015"] = new(Online("{|SIG2015:act kill when ^r[t] >= 0;|}")),
        ["SIG2016"] = new(Fibre(Task, X, R, Price, Row, Utility, "solve dual { step = 0.5; online; price_max = 10; }", Sense, "{|SIG2016:act kill when ^r[t] >= 15;|}")),
        ["SIG2017"] = new(Online("{|SIG2017:instrument calls(\"*\") pass (site) respond refuse(errno = 11);|}")),
        ["SIG3001"] = new(Base("^r -> map {|SIG3001:price_of_the_resource|};")),
        ["SIG3002"] = new(Base("sense $x[t] <- span({|SIG3002:syscalls:sys_enter_nothing|}, syscalls:sys_enter_close) key (pid, fd);")),
        ["SIG3003"] = new(Fibre(Task, X, R, Price, Row, Utility, "{|SIG3003:solve dual { step = 1e9; online; }|}", Sense)),
        ["SIG3004"] = new(Fibre(Task, X, R, Price, "{|SIG3004:couple @r[t] >= 2 * $x[t];|}", Utility, OnlineSolve, Sense)),
        ["SIG3005"] = new(Online(
            "$z[task] : 1 in [0, 1000];",
            "@q[task] : 1 = 100;",
            "^q -> map price_q;",
            "{|SIG3005:couple @q[t] >= $z[t];|}",
            "utility $z[t] ~ log(1 + $z[t]);",
            "sense $z[t] <- count(syscalls:sys_enter_write);")),
        ["SIG3006"] = new(Fibre("index task by pid max {|SIG3006:2000000|};", X, R, Row, Utility, Solve)),
        ["SIG3007"] = new(Base("index a in 1 .. 200;", "index b in 1 .. 200;", "index c in 1 .. 200;", "{|SIG3007:$q[a, b, c] : 1 in [0, 1];|}")),

        ["SIG3008"] = new(Fibre(Task, "$x[task] : 1 in [0, 1000];", "@r[task] : 1 = 5;", Price, Row, Utility, OnlineSolve, "{|SIG3008:sense $x[t] <- count(syscalls:sys_enter_write) key (pid);|}")),
        ["SIG3009"] = new(Online("act throttle(cpu = 20%) when ^r[t] >= 5;", "{|SIG3009:act throttle(cpu = 10%) when ^r[t] >= 7;|}")),
        ["SIG3010"] = new(Online("index e in 0 .. 1;", "index g in 0 .. 1;", "$w[e] : 1 in [0, 1];", "@c[e, g] : 1 = 1;", "{|SIG3010:^c -> map price_c;|}", "couple @c[i, j] >= $w[i];", "utility $w[i] ~ log(1 + $w[i]);")),
        ["SIG3011"] = new(Base("param a_b = 1;", "param {|SIG3011:aB|} = 2;")),
        ["SIG3012"] = new(Base("param {|SIG3012:step|} = 1;")),
        ["SIG3014"] = new(Online("{|SIG3014:allow exe \"/usr/sbin/sshd\";|}")),
        ["SIG3015"] = new(Fibre(Task, X, "$g[task] : s in [0, 10];", R, "{|SIG3015:couple @r[t] >= $x[t] + $g[t];|}", Utility, "utility $g[t] ~ log(1 + $g[t]);", OnlineSolve, Sense)),
        ["SIG3016"] = new(Fibre(Task, X, "$g[task] : s in [0, 10];", R, "couple @r[t] >= $x[t] + $g[t];", Utility, "utility $g[t] ~ log(1 + $g[t]);", "{|SIG3016:solve dual { step = auto; }|}", Sense)),
        ["SIG3017"] = new(Online("{|SIG3017:act affinity;|}")),
        ["SIG3018"] = new(Fibre(Task, X, "$g[task] : s in [0, 10];", R, "couple @r[t] >= $x[t] + $g[t];", Utility, "utility $g[t] ~ log(1 + $g[t]);", "solve penalty { mu = 2; }", Sense, "{|SIG3018:metric granted = mean($g);|}")),
        ["SIG3013"] = new(Online().Replace("fibre f {", "fibre {|SIG3013:" + new string('k', 60) + "|} {")),

        // 9999 internal
        ["SIG9999"] = new("// a comment first\n{|SIG9999:|}" + Base(), Options: new CompilationOptions { OnStage = static stage => { if (stage == "bind") { throw new InvalidOperationException("injected"); } } }),
    };

    public static TheoryData<string> Codes => new(s_cases.Keys.OrderBy(static k => k, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Codes))]
    public void Diagnostic_Snippet_ReportsExactlyAtMarkedSpan(string code)
    {
        var @case = s_cases[code];
        var result = DiagnosticAssert.Reports(@case.Annotated, @case.Files, @case.Options);
        Assert.Contains(result.Diagnostics, d => d.Id == code);
    }

    [Fact]
    public void Catalogue_EveryCode_HasACase()
    {
        var missing = DiagnosticDescriptors.All.Select(static d => d.Id).Where(id => !s_cases.ContainsKey(id) && id != "SIG0007" && id != "SIG0009" && id != "SIG0010");
        Assert.Empty(missing);
    }

    [Fact]
    public void Catalogue_Ids_AreUniqueAndNumberedByStage()
    {
        var all = DiagnosticDescriptors.All;
        Assert.Equal(all.Count, all.Select(static d => d.Id).Distinct().Count());
        foreach (var d in all)
        {
            Assert.Matches("^SIG[0-9]{4}$", d.Id);
            var expected = d.Id[3] switch
            {
                '0' => new[] { "Syntax" },
                '1' => new[] { "Names", "Units" },
                '2' => new[] { "Math", "Certificates" },
                '3' => new[] { "Target" },
                _ => new[] { "Internal" },
            };
            Assert.Contains(d.Category, expected);
            // The help is inline (a relative docs link resolves nowhere outside the repository): the code's own section.
            Assert.NotNull(DiagnosticHelp.Body(d.Id));
            Assert.StartsWith("**" + d.Title + ".**", d.Help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Base_Snippets_CompileClean()
    {
        DiagnosticAssert.Reports(Base());
        DiagnosticAssert.Reports(Online());
    }

    [Fact]
    public void TooManyErrors_StopsAfterTheLimit_WithSig0007()
    {
        var text = Base(new string('#', 150));
        var result = SigilCompiler.Compile(new SourceFile("test.sigil", text));
        var bad = text.IndexOf('#');
        Assert.Equal(DiagnosticBag.MaxErrors, result.Diagnostics.Count(static d => d.Id == "SIG0001"));
        var stop = Assert.Single(result.Diagnostics, static d => d.Id == "SIG0007");
        Assert.Equal(bad + DiagnosticBag.MaxErrors, stop.Span.Start);
        Assert.Equal(AnnotatedText.Position(text, bad + DiagnosticBag.MaxErrors), stop.LineSpan.Start);
        Assert.Null(result.Spec);
    }

    [Fact]
    public void FileTooLarge_IsRefused_WithSig0009AtTheStart()
    {
        var text = new StringBuilder(Base()).Append(' ', Syntax.SyntaxTree.MaxFileLength).ToString();
        var result = SigilCompiler.Compile(new SourceFile("big.sigil", text));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SIG0009", d.Id);
        Assert.Equal(new Text.LinePosition(0, 0), d.LineSpan.Start);
    }

    [Fact]
    public void SeveralErrors_InOneFile_AreAllReported()
    {
        DiagnosticAssert.Reports(Fibre(
            "index task by pid max 10240{|SIG0004:|}",
            "param budget : s = 5.0;",
            X,
            "@r[task] : {|SIG1006:MiB|} = budget;".Replace("{|SIG1006:MiB|} = budget", "MiB = {|SIG1006:budget|}"),
            "couple @r[t] >= $x[t] + {|SIG0003:;|}",
            Utility,
            "solve dual { {|SIG1010:stepp|} = 2.0; online; }",
            "certify lyapunov, {|SIG1011:detectoin|};",
            "sense $x[t] <- span(syscalls:sys_enter_openat, {|SIG3002:syscalls:sys_enter_clos|}) key (pid, fd);",
            "metric {|SIG1001:end|} = mean($x) target 5;"));
    }

    [Fact]
    public void MisspeltKeyword_IsOneErrorWithASuggestion()
    {
        var result = DiagnosticAssert.Reports(Fibre(Task, X, R, "{|SIG0003:coupel|} @r[t] >= $x[t];", Utility, Solve));
        Assert.EndsWith("did you mean 'couple'?", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenDeclaration_ReportsOnlyTheSyntaxError()
    {
        // $x cannot be read whole, so nothing that uses it says more.
        DiagnosticAssert.Reports(Fibre(Task, "$x[task {|SIG0003::|} s in [0, 10];", R, Row, Utility, Solve, "metric m = mean($x);"));
    }

    [Fact]
    public void BrokenStatement_ResynchronisesAtItsEnd()
    {
        DiagnosticAssert.Reports(Fibre(
            Task,
            X,
            R,
            "couple @r[t] >= $x[t] + {|SIG0003:*|} 2 {|SIG0003:$|}x[t];",
            Utility,
            "solve dual { step = auto; {|SIG1010:stepp|} = 1; }",
            "act kill when ^r[t] >= {|SIG0003:;|}",
            "certify {|SIG1011:lyapunv|};"));
    }

    [Fact]
    public void UnknownSetting_SaysDidYouMean()
    {
        var result = DiagnosticAssert.Reports(Fibre(Task, X, R, Row, Utility, "solve dual { {|SIG1010:stpe|} = 1; }"));
        Assert.Contains("did you mean 'step'?", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnitMismatch_NamesBothUnits()
    {
        var result = DiagnosticAssert.Reports(Base("param a : seconds = 1;", "param b : MiB = 2;", "param c = {|SIG1005:a + b|};"));
        Assert.Equal("Cannot add a value in 's' and a value in 'MiB'", result.Diagnostics[0].Message);
    }
}
