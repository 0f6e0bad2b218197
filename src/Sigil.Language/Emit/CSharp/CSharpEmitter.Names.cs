using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.CSharp;

public static partial class CSharpEmitter
{
    // The C# names this emitter writes, scope by scope: the fixed ones it always writes and the
    // ones made from the fibre's names by the same functions the emitter uses (CodeText.Pascal,
    // CountName, OffsetName, LoopVar, ColumnField). Check finds a fibre name that lands on a fixed
    // one or on its enclosing class ('param step', 'param parameters'), and two fibre names that
    // land on one ('a_b' and 'aB', metric 'm' with a target beside metric 'm_target').
    private static readonly string[] s_fibreClassMembers =
    {
        "Name", "SourceFileName", "IsOnline", "Map", "Parameters", "Prices", "FixedPoint", "Actions", "Metrics", "Analysis",
        "Members", "CreateProblem", "CreateTables", "Solve", "CreatePricer", "Agents", "TableData", "s_tableData", InstanceClass,
    };

    private static readonly string[] s_createProblemLocals =
    {
        "offset", "variables", "lower", "upper", "weight", "shift", "shape", "s", "rows", "columns", "values", "capacity", "senses", "coupling", "agents", "tables",
    };

    /// <summary>
    /// The fibre's names that would collide in the generated C# (two members of one class, a
    /// member named like its class, two locals of <c>CreateProblem</c>), each a SIG3011 or SIG3012
    /// problem at the later statement; empty when <see cref="Emit"/> compiles.
    /// </summary>
    public static IReadOnlyList<TargetProblem> Check(FibreSpec spec)
    {
        var problems = new TargetProblems();
        var type = TypeName(spec);

        var tableFields = new List<(string, SpecSite, string)>();
        for (var t = 0; t < spec.Tables.Count; t++)
        {
            foreach (var column in spec.Tables[t].Columns)
            {
                tableFields.Add((ColumnField(spec.Tables[t].Name, column.Name), new SpecSite(SpecSiteKind.Table, t), "table " + spec.Tables[t].Name + " column " + column.Name));
            }

            if (spec.Tables[t].Matrix is not null)
            {
                foreach (var part in s_matrixParts)
                {
                    tableFields.Add((MatrixField(spec.Tables[t].Name, part), new SpecSite(SpecSiteKind.Table, t), "the entries of table " + spec.Tables[t].Name));
                }
            }
        }

        if (spec.Tables.FirstOrDefault(static t => t.Matrix is not null) is { } first)
        {
            tableFields.Add((EntryMethod, new SpecSite(SpecSiteKind.Table, spec.Tables.ToList().IndexOf(first)), "the entry lookup of table " + first.Name));
        }

        CheckScope(problems, "class " + type, type, s_fibreClassMembers, tableFields);
        CheckScope(problems, "class " + type + ".Parameters", "Parameters", new[] { "Step" }, spec.Parameters.Select((p, i) => (CodeText.Pascal(p.Name), new SpecSite(SpecSiteKind.Parameter, i), "param " + p.Name)));
        CheckScope(problems, "class " + type + ".Prices", "Prices", Array.Empty<string>(), spec.PriceExports.Select((p, i) => (CodeText.Pascal(p.Resource), new SpecSite(SpecSiteKind.PriceExport, i), "^" + p.Resource)));
        CheckScope(problems, "class " + type + ".Members", "Members", Array.Empty<string>(), spec.Indices.Select((x, i) => (x, i)).Where(p => p.x.Kind != IndexKind.Dynamic).Select(p => (CodeText.Pascal(p.x.Name), new SpecSite(SpecSiteKind.Index, p.i), "index " + p.x.Name)));

        var tunable = new List<(string, SpecSite, string)>();
        for (var i = 0; i < spec.Couplings.Count; i++)
        {
            var row = spec.Couplings[i];
            var suffix = CodeText.Pascal(row.Name) + (row.Resource is null ? "Rhs" : "Budget");
            tunable.Add(("Get" + suffix, new SpecSite(SpecSiteKind.Row, i), "the accessors of row " + row.Name));
        }

        tunable.AddRange(spec.Parameters.Select((p, i) => (p, i)).Where(x => BudgetsOf(spec, x.p.Name).Any()).Select(x => (CodeText.Pascal(x.p.Name), new SpecSite(SpecSiteKind.Parameter, x.i), "param " + x.p.Name)));
        for (var i = 0; i < spec.Variables.Count; i++)
        {
            tunable.Add(("Get" + CodeText.Pascal(spec.Variables[i].Name) + "Bounds", new SpecSite(SpecSiteKind.Variable, i), "the bounds of $" + spec.Variables[i].Name));
            tunable.Add(("Get" + CodeText.Pascal(spec.Variables[i].Name) + "Weight", new SpecSite(SpecSiteKind.Variable, i), "the weight of $" + spec.Variables[i].Name));
        }

        for (var t = 0; t < spec.Tables.Count; t++)
        {
            var table = spec.Tables[t];
            var pascal = CodeText.Pascal(CodeText.Identifier(table.Name));
            if (table.Matrix is not null)
            {
                tunable.Add(("Get" + pascal, new SpecSite(SpecSiteKind.Table, t), "the entries of table " + table.Name));
            }

            tunable.AddRange(table.Columns.Select(c => ("Get" + pascal + CodeText.Pascal(CodeText.Identifier(c.Name)), new SpecSite(SpecSiteKind.Table, t), "column " + c.Name + " of table " + table.Name)));
        }

        // Set* mirrors Get*, so the Get names stand for both.
        CheckScope(problems, "class " + type + "." + InstanceClass, InstanceClass, s_instanceMembers.Concat(new[] { "Position", "Positions" }), tunable);

        var metrics = new List<(string, SpecSite, string)>();
        for (var i = 0; i < spec.Metrics.Count; i++)
        {
            var metric = spec.Metrics[i];
            metrics.Add((CodeText.Pascal(metric.Name), new SpecSite(SpecSiteKind.Metric, i), "metric " + metric.Name));
            if (metric.Target is not null)
            {
                metrics.Add((CodeText.Pascal(metric.Name) + "Target", new SpecSite(SpecSiteKind.Metric, i), "the target of metric " + metric.Name));
            }
        }

        CheckScope(problems, "class " + type + ".Metrics", "Metrics", Array.Empty<string>(), metrics);

        var locals = new List<(string, SpecSite, string)>();
        locals.AddRange(spec.Indices.Select((x, i) => (CountName(x.Name), new SpecSite(SpecSiteKind.Index, i), "index " + x.Name)));
        locals.AddRange(spec.Variables.Select((v, i) => (OffsetName(v.Name), new SpecSite(SpecSiteKind.Variable, i), "$" + v.Name)));
        for (var i = 0; i < spec.Variables.Count; i++)
        {
            locals.AddRange(spec.Variables[i].IndexVariables.Distinct().Select(x => (LoopVar(x), new SpecSite(SpecSiteKind.Variable, i), "the index variable " + x)));
        }

        for (var i = 0; i < spec.Couplings.Count; i++)
        {
            var row = spec.Couplings[i];
            var bound = row.Quantifiers.Select(static q => q.Variable).Concat(row.Terms.SelectMany(static t => t.Sums).Select(static b => b.Variable)).Distinct();
            locals.AddRange(bound.Select(x => (LoopVar(x), new SpecSite(SpecSiteKind.Row, i), "the index variable " + x)));
        }

        // A loop variable is declared once per loop, so the same index variable twice is no collision.
        CheckScope(problems, "method " + type + ".CreateProblem", null, s_createProblemLocals, locals.GroupBy(static l => l.Item1 + "\n" + l.Item3).Select(static g => g.First()));
        return problems.Items;
    }

    private static void CheckScope(TargetProblems problems, string where, string? enclosing, IEnumerable<string> fixedNames, IEnumerable<(string Name, SpecSite Site, string What)> claims)
    {
        var fixedSet = new HashSet<string>(fixedNames, StringComparer.Ordinal);
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, site, what) in claims)
        {
            if (name == enclosing)
            {
                problems.Add(site, DiagnosticDescriptors.GeneratedNameReserved, what, name, "C#", "the name of the enclosing " + where);
            }
            else if (fixedSet.Contains(name))
            {
                problems.Add(site, DiagnosticDescriptors.GeneratedNameReserved, what, name, "C#", "a member the generated " + where + " already has");
            }
            else if (first.TryGetValue(name, out var earlier))
            {
                problems.Add(site, DiagnosticDescriptors.GeneratedNameCollision, earlier, what, name, "C# " + where);
            }
            else
            {
                first[name] = what;
            }
        }
    }
}
