using System;
using System.Collections.Generic;
using System.Linq;

namespace Sigil.Testing;

/// <summary>
/// The compiler's hostile corpus: fibres that exceed a backend's limit or collide with a name the
/// generated code uses, each with the diagnostic it must give and where. <c>[|</c> marks where the
/// diagnostic starts (the marker is removed from the text). Every row must give that code at that
/// place from <c>sigil check</c>, the generator and the build task alike, and nothing that throws.
/// Plain C# with no test-framework dependency, linked by the test projects.
/// </summary>
public static class LimitCases
{
    private const string Marker = "[|";

    /// <summary>A corpus row: its name, the fibre text (marker removed), the code and its zero-based line and column.</summary>
    public sealed record Case(string Name, string Text, string Code, int Line, int Column)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    private const string Index = "index task by pid;";
    private const string X = "$x[task] : s in [0, 10];";
    private const string R = "@r[task] : s = 5;";
    private const string Row = "couple @r[t] >= $x[t];";
    private const string Utility = "utility $x[t] ~ log(1 + $x[t]);";
    private const string Solve = "solve dual { step = 0.5; online; }";
    private const string Sense = "sense $x[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);";

    /// <summary>A fibre <paramref name="name"/> with the given members, one per line, indented by 4.</summary>
    public static string Fibre(string name, params string[] members) =>
        "fibre " + name + " {\n" + string.Concat(members.Select(static m => "    " + m + "\n")) + "}\n";

    /// <summary>An online fibre whose price lives in the kernel, with <paramref name="extra"/> after it.</summary>
    public static string Online(string price = "^r -> map price_r;", params string[] extra) =>
        Fibre("f", new[] { Index, X, R, price, Row, Utility, Solve, Sense }.Concat(extra).ToArray());

    /// <summary>An offline fibre with <paramref name="extra"/> after it.</summary>
    public static string Offline(params string[] extra) =>
        Fibre("f", new[] { "index d in 0 .. 2;", "$q[d] : 1 in [0, 2];", "@b : 1 = 3;", "couple @b >= sum(i in d) $q[i];", "utility $q[i] ~ log(1 + $q[i]);", "solve dual { step = auto; }" }.Concat(extra).ToArray());

    /// <summary>The rows' names, one argument list each (a theory's member data).</summary>
    public static IEnumerable<object[]> Names => All.Select(static c => new object[] { c.Name });

    /// <summary>Every row of the corpus.</summary>
    public static IReadOnlyList<Case> All { get; } = new[]
    {
        // eBPF: one threshold per kernel price (the example of issue 11).
        Make("second throttle", Online(extra: new[] { "act throttle(cpu = 20%) when ^r[t] >= 5;", "[|act throttle(cpu = 10%) when ^r[t] >= 7;" }), "SIG3009"),
        Make("second kill", Online(extra: new[] { "act kill when ^r[t] >= 15;", "[|act kill when ^r[t] >= 20;" }), "SIG3009"),
        // eBPF: the kernel price is updated from time spans, not counts.
        Make("counted kernel price", Fibre("f", Index, "$x[task] : 1 in [0, 1000];", "@r[task] : 1 = 5;", "^r -> map price_r;", Row, Utility, Solve, "[|sense $x[t] <- count(syscalls:sys_enter_write) key (pid);"), "SIG3008"),
        // eBPF: an exported price map is keyed by one index; BPF map names hold 15 characters.
        Make("price over two indices", Online(extra: new[] { "index e in 0 .. 1;", "index g in 0 .. 1;", "$w[e] : 1 in [0, 1];", "@c[e, g] : 1 = 1;", "[|^c -> map price_c;", "couple @c[i, j] >= $w[i];", "utility $w[i] ~ log(1 + $w[i]);" }), "SIG3010"),
        Make("map name too long", Online("^r -> map [|price_of_the_resource;"), "SIG3001"),
        // eBPF: map names are file-scope C names beside the headers' and the generated C's own.
        Make("map u64", Online("[|^r -> map u64;"), "SIG3012"),
        Make("map bpf_tail_call", Online("[|^r -> map bpf_tail_call;"), "SIG3012"),
        Make("map price_update", Online("[|^r -> map price_update;"), "SIG3012"),
        Make("map kill_price", Online("[|^r -> map kill_price;", "act kill when ^r[t] >= 15;"), "SIG3012"),
        Make("map f_stats", Online("[|^r -> map f_stats;"), "SIG3012"),
        Make("state map h_control", Fibre("h", "index [|control by pid;", "$x[control] : s in [0, 10];", "@r[control] : s = 5;", "^r -> map price_r;", Row, Utility, Solve, Sense), "SIG3012"),
        // C#: fibre names that land on a generated member, their class, or each other.
        Make("param step", Offline("param [|step = 1;"), "SIG3012"),
        Make("param parameters", Offline("param [|parameters = 1;"), "SIG3012"),
        Make("params a_b and aB", Offline("param a_b = 1;", "param [|aB = 2;"), "SIG3011"),
        Make("metric m and m_target", Online(extra: new[] { "metric m = mean($x) target 5;", "[|metric m_target = mean($x);" }), "SIG3011"),
        Make("index members", Offline("index [|members in 0 .. 1;", "$z[members] : 1 in [0, 1];", "couple lim: sum(k in members) $z[k] <= 1;", "utility $z[k] ~ log(1 + $z[k]);"), "SIG3012"),
        // Kubernetes: object names are DNS-1123 labels of at most 63 characters.
        // eBPF: executables and cgroups are known to a behaviour program only.
        Make("allow-list in a pid fibre", Online(extra: new[] { "[|allow exe \"/usr/bin/rsync\";" }), "SIG3014"),
        Make("class in a pid fibre", Online(extra: new[] { "[|class tools: cgroup \"/tools.slice\" weight 0.5;" }), "SIG3014"),
        Make("fibre name too long for eBPF and Kubernetes", Online().Replace("fibre f {", "fibre [|" + new string('k', 60) + " {"), "SIG3013"),
        // Two-dimensional tables and infinite bounds: the same diagnostic from check, generator and task.
        Make("table key not a member", Offline("index e in 0 .. 1;", "table M[e, d] { [0, 0] = 1; [[|7, 0] = 1; }"), "SIG1050"),
        Make("table entry twice", Offline("index e in 0 .. 1;", "table M[e, d] { [0, 0] = 1; [|[0, 0] = 2; }"), "SIG1051"),
        Make("table over a dynamic set", Offline("index w by pid;", "table M[[|w, d] { }"), "SIG1052"),
        Make("table file missing", Offline("index e in 0 .. 1;", "table M[e, d] from [|\"missing.csv\";"), "SIG1014"),
        Make("inf as a parameter", Offline("param p = [|inf;"), "SIG1053"),
        Make("inf bound of a log utility", Fibre("f", "index d in 0 .. 2;", "[|$q[d] : 1 in [0, inf];", "@b : 1 = 3;", "couple @b >= sum(i in d) $q[i];", "utility $q[i] ~ log(1 + $q[i]);", "solve admm { }"), "SIG2030"),
    };

    /// <summary>
    /// Fibres the daemon cannot run as written (DaemonShapeAnalysis): each gives its SIG3015-SIG3018
    /// warning at the marked statement, and still compiles.
    /// </summary>
    public static IReadOnlyList<Case> DaemonWarnings { get; } = new[]
    {
        Make("online row with a decided variable", Fibre("f", Index, X, "$g[task] : s in [0, 10];", R, "[|couple @r[t] >= $x[t] + $g[t];", Utility, "utility $g[t] ~ log(1 + $g[t]);", Solve, Sense), "SIG3015"),
        Make("dual per period", Fibre("f", Index, X, "$g[task] : s in [0, 10];", R, "couple @r[t] >= $x[t] + $g[t];", Utility, "utility $g[t] ~ log(1 + $g[t]);", "[|solve dual { step = auto; }", Sense), "SIG3016"),
        Make("affinity in a pid fibre", Online(extra: new[] { "[|act affinity;" }), "SIG3017"),
        Make("metric of a decided variable", Fibre("f", Index, X, "$g[task] : s in [0, 10];", R, "couple @r[t] >= $x[t] + $g[t];", Utility, "utility $g[t] ~ log(1 + $g[t]);", "solve penalty { mu = 2; }", Sense, "[|metric granted = mean($g);"), "SIG3018"),
    };

    /// <summary>The daemon warnings' names, one argument list each.</summary>
    public static IEnumerable<object[]> DaemonWarningNames => DaemonWarnings.Select(static c => new object[] { c.Name });

    /// <summary>Files held (sensed) and a granted allowance (decided) share each process's lease.</summary>
    public const string Lease = """
        fibre lease {
            index task by pid max 1024;

            $hold[task] : s in [0, 3600];
            $grant[task] : s in [0, 10];
            @lease[task] : s = 4.0;

            couple @lease[t] >= $hold[t] + $grant[t];
            utility $hold[t] ~ log(1 + $hold[t]);
            utility $grant[t] ~ log(1 + $grant[t]);
            solve penalty { mu = 2; }

            sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);
            act throttle(cpu = 20%) when ^lease[t] >= 3;

            metric lease_hold_seconds = mean($hold);
            metric lease_price = max(^lease);
        }
        """;

    /// <summary>
    /// Fibres at the edge of the limits that the compiler accepts, by name: names beside the
    /// reserved ones, an index no statement uses, a kernel price with both actions and targets,
    /// free (-inf) variables under the QP engine, a linear cluster fibre under ADMM, and per-agent
    /// rows the daemon solves each period by penalty.
    /// Each must build: generator, csc with warnings as errors, clang, clang++ and coqc.
    /// </summary>
    public static IReadOnlyList<(string Name, string Text)> Accepted { get; } = new[]
    {
        ("edge_offline", Fibre(
            "edge_offline",
            "index d in 0 .. 2;",
            "index unused in 0 .. 3;",
            "param step_size = 1;",
            "param a_b = 2;",
            "param parameters_x = 3;",
            "$q[d] : 1 in [0, 2];",
            "@b : 1 = 3;",
            "couple @b >= sum(i in d) $q[i];",
            "utility $q[i] ~ a_b * log(1 + $q[i]);",
            "solve dual { step = auto; rule = fixed; }",
            "certify lyapunov, step;")),
        ("edge_matrix", Fibre(
            "edge_matrix",
            "index node in 0 .. 2;",
            "index arc in 0 .. 3;",
            "table B[node, arc] { [0, 0] = 1; [0, 1] = 1; [1, 0] = -1; [1, 2] = 1; [2, 1] = -1; [2, 3] = -1; }",
            "$z[arc] : 1 in [0, inf];",
            "@lim : 1 = 4;",
            "couple balance[v]: sum(a in arc) B[v, a] * $z[a] <= 1;",
            "couple @lim >= sum(a in arc) $z[a];",
            "utility $z[a] ~ 3 * $z[a] - 1/2 * $z[a] ** 2;",
            "solve admm { }")),
        ("edge_cluster_admm", ClusterAdmm("edge_cluster_admm", "fair($cpu[j] + 0.1, 2)")),
        ("edge_free", Fibre(
            "edge_free",
            "index d in 0 .. 1;",
            "$x[d] : 1 in [-inf, 5];",
            "$w[d] : 1 in [-inf, 5];",
            "@c : 1 = 1;",
            "@e : 1 = 2;",
            "couple @c >= sum(i in d) $x[i];",
            "couple @e >= sum(i in d) $w[i];",
            "utility $x[i] ~ 4 * $x[i] - 1/2 * $x[i] ** 2;",
            "utility $w[i] ~ 4 * $w[i];",
            "solve admm { }",
            "certify admm;")),
        ("edge_cluster_linear", ClusterAdmm("edge_cluster_linear", "2 * $cpu[j]")),
        ("edge_periodic", Lease.Replace("fibre lease", "fibre edge_periodic", StringComparison.Ordinal)),
        ("edge_freeze", Fibre(
            "edge_freeze",
            "index agent by tree max 64;",
            "$destroyed[agent] : files/s in [0, 1000];",
            "$written[agent] : MiB/s in [0, 1000];",
            "@damage[agent] : files/s = 0.1;",
            "^damage -> map price_freeze;",
            "param per_mib : files/MiB = 0.001;",
            "couple @damage[a] >= $destroyed[a] + per_mib * $written[a];",
            "utility $destroyed[a] ~ log(1 + $destroyed[a]);",
            "utility $written[a] ~ log(1 + $written[a]);",
            "solve dual { step = 1.0; online; }",
            "sense $destroyed[a] <- files(file:overwrite, file:truncate, file:remove);",
            "sense $written[a] <- bytes(file:write);",
            "act freeze when ^damage[a] >= 1.5;",
            "class backups: cgroup \"/backup.slice\" weight 0.2;",
            "class archivers: exe \"/usr/bin/gzip\", \"/usr/bin/xz\" weight 0.1;",
            "allow exe \"/usr/sbin/sshd\" cgroup \"/system.slice\";")),
        ("edge_kernel", Fibre(
            "edge_kernel",
            "index control2 by pid;",
            "$x[control2] : s in [0, 10];",
            "@r[control2] : s = 5;",
            "^r -> map price_u64x;",
            Row,
            Utility,
            Solve,
            Sense,
            "act throttle(cpu = 20%) when ^r[t] >= 5;",
            "act kill when ^r[t] >= 15;",
            "metric m = mean($x) target 5;",
            "metric m_mean = max($x);",
            "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);")),
    };

    // A cluster power fibre solved by ADMM's sharing form, with the jobs' utility given.
    private static string ClusterAdmm(string name, string utility) => Fibre(
        name,
        "index job by pid max 4;",
        "param watts : W/cpu = 50;",
        "$cpu[job] : cpu in [1, 4];",
        "@node : W = 400;",
        "@power : W = 2000 cluster max 8;",
        "couple @node >= sum(j in job) watts * $cpu[j];",
        "couple @power >= sum(j in job) watts * $cpu[j];",
        "utility $cpu[j] ~ " + utility + ";",
        "solve admm { rho = 0.0002; }");

    private static Case Make(string name, string marked, string code)
    {
        var at = marked.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException("no marker in " + name);
        }

        var text = marked.Remove(at, Marker.Length);
        var before = text.Substring(0, at);
        var line = before.Count(static c => c == '\n');
        var column = at - (before.LastIndexOf('\n') + 1);
        return new Case(name, text, code, line, column);
    }
}
