using System.Linq;

namespace Sigil.Language.Tests;

/// <summary>Small fibres to build test cases from: a valid base and its usual members.</summary>
internal static class Snippets
{
    public const string Task = "index task by pid;";
    public const string X = "$x[task] : s in [0, 10];";
    public const string R = "@r[task] : s = 5;";
    public const string Row = "couple @r[t] >= $x[t];";
    public const string Utility = "utility $x[t] ~ log(1 + $x[t]);";
    public const string Solve = "solve dual { step = auto; }";
    public const string Price = "^r -> map price_r;";
    public const string OnlineSolve = "solve dual { step = 0.5; online; }";
    public const string Sense = "sense $x[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);";

    /// <summary>A fibre named f holding <paramref name="members"/>, one per line, indented by 4.</summary>
    public static string Fibre(params string[] members) =>
        "fibre f {\n" + string.Concat(members.Select(static m => "    " + m + "\n")) + "}\n";

    /// <summary>The valid base fibre with <paramref name="extra"/> members after it.</summary>
    public static string Base(params string[] extra) =>
        Fibre(new[] { Task, X, R, Row, Utility, Solve }.Concat(extra).ToArray());

    /// <summary>A behaviour fibre (process trees, file events priced in the kernel) with <paramref name="extra"/> members after it.</summary>
    public static string Behaviour(params string[] extra) =>
        Fibre(new[]
        {
            "index agent by tree;",
            "$d[agent] : files/s in [0, 100000];",
            "@damage[agent] : files/s = 0.1;",
            "^damage -> map price_damage;",
            "couple @damage[a] >= $d[a];",
            "utility $d[a] ~ log(1 + $d[a]);",
            "solve dual { step = 1.0; online; }",
            "sense $d[a] <- files(file:overwrite, file:truncate, file:remove);",
            "act kill when ^damage[a] >= 1.5;",
        }.Concat(extra).ToArray());

    /// <summary>The base solved online, its price kept in the kernel.</summary>
    public static string Online(params string[] extra) =>
        Fibre(new[] { Task, X, R, Price, Row, Utility, OnlineSolve, Sense }.Concat(extra).ToArray());
}
