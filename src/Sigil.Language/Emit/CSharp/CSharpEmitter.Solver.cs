using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.CSharp;

public static partial class CSharpEmitter
{
    // Shape of the solver file:
    //
    //   public static partial class AtpFibre
    //   {
    //       public static class Members { public static IReadOnlyList<string> Edit { get; } }   // static index sets
    //       private static readonly double[] s_edits_cost = { ... };                           // table columns
    //       public static NumProblem<Agents> CreateProblem(int taskCount, ...)                 // one int per dynamic index
    //       public static SolverResult Solve(NumProblem<Agents> problem[, prices])             // the fibre's method and settings (warm start)
    //       public static OnlinePricer CreatePricer(NumProblem<Agents> problem)                // online fibres
    //       public readonly struct Agents : ITunableAgents { ... }                             // closed forms per family
    //       public sealed class Instance { ... }                                              // run-time parameters, warm re-solve
    //   }
    //
    // The problem is A x (<= | ==) c with x in [m, M], x flattened family by family, row-major
    // over each family's index sets; rows likewise, coupling by coupling. Agents dispatches on the
    // variable family with one comparison and calls the family's closed form, so an engine generic
    // over it has no virtual call and allocates nothing.
    private static string EmitSolver(FibreSpec spec, string namespaceName, int tableLiteralLimit)
    {
        var w = Header(spec, namespaceName);
        var type = TypeName(spec);
        var external = new HashSet<string>(spec.Tables.Where(t => TableDataFile.IsExternal(t, tableLiteralLimit)).Select(static t => t.Name), StringComparer.Ordinal);
        w.Open("public static partial class " + type);
        EmitMembers(w, spec, external, "global::" + namespaceName + "." + type);
        EmitTables(w, spec, external, tableLiteralLimit);
        EmitCreateProblem(w, spec);
        EmitSolve(w, spec);
        EmitAgents(w, spec);
        EmitInstance(w, spec);
        w.Close();
        return w.ToString();
    }

    private static void EmitMembers(SourceWriter w, FibreSpec spec, HashSet<string> external, string qualifiedType)
    {
        w.Line("/// <summary>Members of the static index sets, in order.</summary>");
        w.Open("public static class Members");
        foreach (var index in spec.Indices.Where(i => i.Kind != IndexKind.Dynamic))
        {
            w.Line("/// <summary>Members of <c>" + CodeText.XmlDoc(index.Name) + "</c>.</summary>");
            var property = "public static global::System.Collections.Generic.IReadOnlyList<string> " + CodeText.Pascal(CodeText.Identifier(index.Name));
            w.Line(index.Kind == IndexKind.Table && index.Table is { } table && external.Contains(table)
                ? property + " => " + qualifiedType + "." + TableDataMethod + "().Keys(" + CodeText.CSharpString(table) + ");"
                : property + " { get; } = new string[] { " + string.Join(", ", index.Members.Select(CodeText.CSharpString)) + " };");
        }

        w.Close();
        w.Line();
    }

    // A table at most tableLiteralLimit values large is written here as literals: static fields
    // beside a comment naming the table. A larger one is read at run time from the fibre's table
    // data file, which the build embeds in the assembly: TableData() loads and checks it once,
    // CreateProblem reads its arrays into locals named like the fields would be, so the code that
    // uses a table is the same either way.
    //
    //   private static global::Sigil.Runtime.Solvers.EmbeddedTableData? s_tableData;
    //   private static global::Sigil.Runtime.Solvers.EmbeddedTableData TableData() =>
    //       s_tableData ??= global::Sigil.Runtime.Solvers.EmbeddedTables.Load(typeof(NetworkFibre).Assembly, "sigil/network.tables", 1600164L, "9f2c...");
    private static void EmitTables(SourceWriter w, FibreSpec spec, HashSet<string> external, int tableLiteralLimit)
    {
        foreach (var table in spec.Tables)
        {
            if (table.Matrix is { } matrix)
            {
                // Compressed sparse rows: row r's entries are column[start[r] .. start[r + 1]]; no zero is stored.
                var rowCount = matrix.RowStarts.Count - 1;
                var columnCount = spec.Indices.First(i => i.Name == matrix.ColumnSet).Members.Count;
                w.Line("// " + CodeText.CComment(table.Name) + "[" + CodeText.CComment(matrix.RowSet) + ", " + CodeText.CComment(matrix.ColumnSet) + "]"
                    + (table.Path.Length > 0 ? " from " + CodeText.CComment(table.Path) : string.Empty)
                    + (matrix.Unit.IsDimensionless ? string.Empty : " (" + CodeText.CComment(matrix.Unit.ToString()) + ")")
                    + ": " + matrix.Values.Count.ToString(CultureInfo.InvariantCulture) + " nonzeros of " + rowCount.ToString(CultureInfo.InvariantCulture) + " x " + columnCount.ToString(CultureInfo.InvariantCulture)
                    + (external.Contains(table.Name) ? ", in the table data file" : string.Empty));
                if (external.Contains(table.Name))
                {
                    continue;
                }

                w.Line("private static readonly int[] " + MatrixField(table.Name, "start") + " = { " + string.Join(", ", matrix.RowStarts.Select(static s => s.ToString(CultureInfo.InvariantCulture))) + " };");
                w.Line("private static readonly int[] " + MatrixField(table.Name, "column") + " = { " + string.Join(", ", matrix.Columns.Select(static s => s.ToString(CultureInfo.InvariantCulture))) + " };");
                w.Line("private static readonly double[] " + MatrixField(table.Name, "value") + " = { " + string.Join(", ", matrix.Values.Select(CodeText.CSharpDouble)) + " };");
                continue;
            }

            foreach (var column in table.Columns)
            {
                w.Line("// " + CodeText.CComment(table.Path) + ", column " + CodeText.CComment(column.Name) + (column.Unit.IsDimensionless ? string.Empty : " (" + CodeText.CComment(column.Unit.ToString()) + ")")
                    + (external.Contains(table.Name) ? ": " + column.Values.Count.ToString(CultureInfo.InvariantCulture) + " rows, in the table data file" : string.Empty));
                if (!external.Contains(table.Name))
                {
                    w.Line("private static readonly double[] " + ColumnField(table.Name, column.Name) + " = { " + string.Join(", ", column.Values.Select(CodeText.CSharpDouble)) + " };");
                }
            }
        }

        if (spec.Tables.Count > 0)
        {
            w.Line();
        }

        if (TableDataFile.Write(spec, tableLiteralLimit) is { } data)
        {
            var resource = TableDataFile.ResourceName(spec.Name);
            w.Line("// Tables of more than " + tableLiteralLimit.ToString(CultureInfo.InvariantCulture) + " values are not source: the build embeds them in this assembly as");
            w.Line("// " + CodeText.CComment(resource) + ", read on first use and checked (length, SHA-256, shape, finite numbers);");
            w.Line("// a missing, cut or altered file is an InvalidDataException that says which.");
            w.Line("private static global::Sigil.Runtime.Solvers.EmbeddedTableData? s_tableData;");
            w.Line();
            w.Line("private static global::Sigil.Runtime.Solvers.EmbeddedTableData " + TableDataMethod + "() =>");
            w.Line("    s_tableData ??= global::Sigil.Runtime.Solvers.EmbeddedTables.Load(typeof(" + TypeName(spec) + ").Assembly, " + CodeText.CSharpString(resource) + ", "
                + data.LongLength.ToString(CultureInfo.InvariantCulture) + "L, " + CodeText.CSharpString(TableDataFile.Digest(data)) + ");");
            w.Line();
        }

        if (spec.Tables.Count > 0)
        {
            EmitCreateTables(w, spec, external);
        }

        if (spec.Tables.Any(static t => t.Matrix is not null))
        {
            w.Line("// The entry of a two-dimensional table at (row, col): a binary search of the row's columns; 0 when absent.");
            w.Open("private static double " + EntryMethod + "(int[] start, int[] column, double[] value, int row, int col)");
            w.Line("var k = global::System.Array.BinarySearch(column, start[row], start[row + 1] - start[row], col);");
            w.Line("return k >= 0 ? value[k] : 0.0;");
            w.Close();
            w.Line();
        }
    }

    // The tables as a program may change them at run time (see FibreTables): a fresh copy of the
    // compiled-in values each call.
    //   public static global::Sigil.Runtime.Solvers.FibreTables CreateTables() =>
    //       new global::Sigil.Runtime.Solvers.FibreTables()
    //           .AddTable("links", new string[] { "l1", "l2" }).AddColumn("links", "capacity", s_links_capacity)
    //           .AddMatrix("R", Members.Link, Members.Flow, s_R_start, s_R_column, s_R_value);
    private static void EmitCreateTables(SourceWriter w, FibreSpec spec, HashSet<string> external)
    {
        const string Tables = "global::Sigil.Runtime.Solvers.FibreTables";
        w.Line("/// <summary>");
        w.Line("/// A fresh, changeable copy of the fibre's tables as compiled; <see cref=\"CreateProblem(" + string.Join(", ", CreateProblemParameterTypes(spec).Append(Tables)) + ")\"/>");
        w.Line("/// builds the problem from whatever it holds, so new table values need no rebuild of the program.");
        w.Line("/// </summary>");
        w.Line("public static " + Tables + " CreateTables() =>");
        w.Line("    new " + Tables + "()");
        foreach (var table in spec.Tables)
        {
            var name = CodeText.CSharpString(table.Name);
            var read = external.Contains(table.Name) ? TableDataMethod + "()." : null;
            if (table.Matrix is { } matrix)
            {
                var parts = read is null
                    ? string.Join(", ", s_matrixParts.Select(p => MatrixField(table.Name, p)))
                    : read + "RowStarts(" + name + "), " + read + "EntryColumns(" + name + "), " + read + "EntryValues(" + name + ")";
                w.Line("        .AddMatrix(" + name + ", Members." + CodeText.Pascal(CodeText.Identifier(matrix.RowSet)) + ", Members." + CodeText.Pascal(CodeText.Identifier(matrix.ColumnSet)) + ", " + parts + ")");
                continue;
            }

            w.Line("        .AddTable(" + name + ", " + (read is null ? "new string[] { " + string.Join(", ", table.Keys.Select(CodeText.CSharpString)) + " }" : read + "Keys(" + name + ")") + ")");
            foreach (var column in table.Columns)
            {
                w.Line("        .AddColumn(" + name + ", " + CodeText.CSharpString(column.Name) + ", " + (read is null ? ColumnField(table.Name, column.Name) : read + "Column(" + name + ", " + CodeText.CSharpString(column.Name) + ")") + ")");
            }
        }

        w.Line("    ;");
        w.Line();
    }

    private static IEnumerable<string> CreateProblemParameterTypes(FibreSpec spec) =>
        spec.Indices.Where(static i => i.Kind == IndexKind.Dynamic).Select(static _ => "int");

    // Declares every table's arrays as locals named like the literal tables' fields, read from `tables`.
    private static void EmitTableLocals(SourceWriter w, FibreSpec spec, string tables, ISet<string>? only = null)
    {
        foreach (var table in spec.Tables.Where(t => only is null || only.Contains(t.Name)))
        {
            var name = CodeText.CSharpString(table.Name);
            if (table.Matrix is not null)
            {
                w.Line("var " + MatrixField(table.Name, "start") + " = " + tables + ".RowStarts(" + name + ");");
                w.Line("var " + MatrixField(table.Name, "column") + " = " + tables + ".EntryColumns(" + name + ");");
                w.Line("var " + MatrixField(table.Name, "value") + " = " + tables + ".EntryValues(" + name + ");");
            }

            foreach (var column in table.Columns)
            {
                w.Line("var " + ColumnField(table.Name, column.Name) + " = " + tables + ".Column(" + name + ", " + CodeText.CSharpString(column.Name) + ");");
            }
        }
    }

    private static readonly string[] s_matrixParts = { "start", "column", "value" };

    private const string EntryMethod = "SparseEntry";

    private const string TableDataMethod = "TableData";

    private static string ColumnField(string table, string column) => "s_" + CodeText.Identifier(table) + "_" + CodeText.Identifier(column);

    private static string MatrixField(string table, string part) => "s_" + CodeText.Identifier(table) + "_" + part;

    private static void EmitCreateProblem(SourceWriter w, FibreSpec spec)
    {
        var dynamic = spec.Indices.Where(i => i.Kind == IndexKind.Dynamic).ToList();
        var parameters = string.Join(", ", dynamic.Select(i => "int " + CountName(i.Name)));
        w.Line("/// <summary>Builds the instance" + (dynamic.Count == 0 ? " from the fibre's tables" : " for the given numbers of members of the dynamic index sets") + ".</summary>");
        foreach (var index in dynamic)
        {
            w.Line("/// <param name=\"" + CountName(index.Name) + "\">Members of <c>" + CodeText.XmlDoc(index.Name) + "</c> (at most " + index.Capacity.ToString(CultureInfo.InvariantCulture) + ").</param>");
        }

        if (spec.Tables.Count > 0)
        {
            w.Line("public static global::Sigil.Runtime.Solvers.NumProblem<Agents> CreateProblem(" + parameters + ") =>");
            w.Line("    CreateProblem(" + string.Join(string.Empty, dynamic.Select(i => CountName(i.Name) + ", ")) + "CreateTables());");
            w.Line();
            w.Line("/// <summary>Builds the instance from <paramref name=\"tables\"/> (see <see cref=\"CreateTables\"/>) instead of the compiled-in tables.</summary>");
            foreach (var index in dynamic)
            {
                w.Line("/// <param name=\"" + CountName(index.Name) + "\">Members of <c>" + CodeText.XmlDoc(index.Name) + "</c> (at most " + index.Capacity.ToString(CultureInfo.InvariantCulture) + ").</param>");
            }

            w.Line("/// <param name=\"tables\">The table values to build from.</param>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">A table value makes the problem invalid (a row that loads nothing and cannot hold, bounds out of order); the message says which.</exception>");
            w.Open("public static global::Sigil.Runtime.Solvers.NumProblem<Agents> CreateProblem(" + parameters + (parameters.Length > 0 ? ", " : string.Empty) + "global::Sigil.Runtime.Solvers.FibreTables tables)");
            w.Line("global::System.ArgumentNullException.ThrowIfNull(tables);");
        }
        else
        {
            w.Open("public static global::Sigil.Runtime.Solvers.NumProblem<Agents> CreateProblem(" + parameters + ")");
        }

        foreach (var index in dynamic)
        {
            w.Line("global::System.ArgumentOutOfRangeException.ThrowIfNegative(" + CountName(index.Name) + ");");
            w.Line("global::System.ArgumentOutOfRangeException.ThrowIfGreaterThan(" + CountName(index.Name) + ", " + index.Capacity.ToString(CultureInfo.InvariantCulture) + ");");
        }

        // The sizes of the static sets a variable or a row ranges over (an unused one would be CS0219).
        var ranged = new HashSet<string>(
            spec.Variables.SelectMany(static v => v.IndexSets)
                .Concat(spec.Couplings.SelectMany(static c => c.Quantifiers.Select(static q => q.Set).Concat(c.Terms.SelectMany(static t => t.Sums).Select(static b => b.Set)))),
            StringComparer.Ordinal);
        foreach (var index in spec.Indices.Where(i => i.Kind != IndexKind.Dynamic && ranged.Contains(i.Name)))
        {
            w.Line("const int " + CountName(index.Name) + " = " + index.Members.Count.ToString(CultureInfo.InvariantCulture) + ";");
        }

        // The tables, read from `tables` into locals named like the literal tables' fields.
        EmitTableLocals(w, spec, "tables");

        // Variable layout: each family's offset and size.
        w.Line("var offset = 0;");
        foreach (var v in spec.Variables)
        {
            w.Line("var " + OffsetName(v.Name) + " = offset;");
            w.Line("offset += " + SizeExpression(v.IndexSets) + ";");
        }

        w.Line("var variables = offset;");
        w.Line("var lower = new double[variables];");
        w.Line("var upper = new double[variables];");
        w.Line("var weight = new double[variables];");
        w.Line("var shift = new double[variables];");
        w.Line("var shape = new double[variables];");
        foreach (var v in spec.Variables)
        {
            var utility = spec.Utilities.FirstOrDefault(u => u.Variable == v.Name);
            w.Line();
            w.Line("// $" + CodeText.CComment(v.Name) + (utility is null ? " (observed, no utility)" : ": " + CodeText.CComment(utility.Statement)));
            OpenLoops(w, v.IndexSets, v.IndexVariables);
            w.Line("var s = " + OffsetName(v.Name) + " + " + FlatIndex(v.IndexSets, v.IndexVariables) + ";");
            w.Line("lower[s] = " + Value(v.Lower, null) + ";");
            w.Line("upper[s] = " + Value(v.Upper, null) + ";");
            if (utility is not null)
            {
                var rename = Rename(utility.IndexVariables, v.IndexVariables);
                w.Line("weight[s] = " + Value(utility.Weight, rename) + ";");
                w.Line("shift[s] = " + Value(utility.Offset, rename) + ";");
                w.Line("shape[s] = " + Value(utility.Family == UtilityKind.Quadratic ? utility.Curvature : utility.Alpha, rename) + ";");
            }

            CloseLoops(w, v.IndexSets.Count);
        }

        // Rows.
        w.Line();
        w.Line("var rows = new global::System.Collections.Generic.List<int>();");
        w.Line("var columns = new global::System.Collections.Generic.List<int>();");
        w.Line("var values = new global::System.Collections.Generic.List<double>();");
        w.Line("var capacity = new global::System.Collections.Generic.List<double>();");
        w.Line("var senses = new global::System.Collections.Generic.List<global::Sigil.Runtime.Solvers.RowSense>();");
        EmitColumnIndexes(w, spec);
        var termNumber = 0;
        foreach (var c in spec.Couplings)
        {
            w.Line();
            w.Line("// " + CodeText.CComment(c.Statement));
            var qSets = c.Quantifiers.Select(q => q.Set).ToList();
            var qVars = c.Quantifiers.Select(q => q.Variable).ToList();
            OpenLoops(w, qSets, qVars);
            foreach (var term in c.Terms)
            {
                var variable = spec.Variables.First(v => v.Name == term.Variable);
                var walk = EntryWalk.Of(term);
                var loops = term.Sums.Count - (walk is null ? 0 : 1);
                OpenLoops(w, term.Sums.Take(loops).Select(b => b.Set).ToList(), term.Sums.Take(loops).Select(b => b.Variable).ToList());
                if (walk is not null)
                {
                    OpenWalk(w, walk);
                }

                if (term.Coefficient.IsConstant)
                {
                    // A constant coefficient: a zero one was dropped when the row was bound.
                    w.Line("rows.Add(capacity.Count);");
                    w.Line("columns.Add(" + OffsetName(variable.Name) + " + " + FlatIndex(variable.IndexSets, term.Subscript) + ");");
                    w.Line("values.Add(" + Value(term.Coefficient, null) + ");");
                }
                else
                {
                    // A coefficient read from a table: A holds its nonzeros only.
                    var a = "a" + (termNumber++).ToString(CultureInfo.InvariantCulture);
                    w.Line("var " + a + " = " + Value(term.Coefficient, null) + ";");
                    w.Open("if (" + a + " != 0.0)");
                    w.Line("rows.Add(capacity.Count);");
                    w.Line("columns.Add(" + OffsetName(variable.Name) + " + " + FlatIndex(variable.IndexSets, term.Subscript) + ");");
                    w.Line("values.Add(" + a + ");");
                    w.Close();
                }

                CloseLoops(w, term.Sums.Count);
            }

            w.Line("capacity.Add(" + Value(c.Rhs, null) + ");");
            w.Line("senses.Add(global::Sigil.Runtime.Solvers.RowSense." + (c.Sense == RowSense.Equal ? "Equal" : "LessOrEqual") + ");");
            CloseLoops(w, qSets.Count);
        }

        w.Line();
        w.Line("var coupling = global::Sigil.Runtime.Solvers.CouplingMatrix.FromTriplets(capacity.Count, variables, rows.ToArray(), columns.ToArray(), values.ToArray());");
        w.Line("var agents = new Agents(" + string.Join(", ", spec.Variables.Select(v => OffsetName(v.Name))) + (spec.Variables.Count > 0 ? ", " : string.Empty) + "variables, weight, shift, shape, lower, upper);");
        w.Line("return new global::Sigil.Runtime.Solvers.NumProblem<Agents>(coupling, capacity.ToArray(), senses.ToArray(), agents);");
        w.Close();
        w.Line();
    }

    private static void EmitSolve(SourceWriter w, FibreSpec spec)
    {
        var solver = spec.Solver;
        const string Solvers = "global::Sigil.Runtime.Solvers.";
        w.Line("/// <summary>");
        w.Line("/// Solves <paramref name=\"problem\"/> as the fibre says: <c>" + CodeText.XmlDoc(solver.Statement) + "</c>");
        w.Line("/// </summary>");
        w.Line("/// <remarks>");
        w.Line("/// The problem's budgets (<c>problem.Capacity</c>) and the agents' weights and bounds (<see cref=\"Agents.Weight\"/>,");
        w.Line("/// <see cref=\"Agents.LowerBounds\"/>, <see cref=\"Agents.UpperBounds\"/>) are live: change them and solve again, warm-started from");
        w.Line("/// the last result's prices. Read <see cref=\"" + Solvers + "SolverResult.Status\"/> before using the answer.");
        w.Line("/// </remarks>");
        w.Line("public static " + Solvers + "SolverResult Solve(" + Solvers + "NumProblem<Agents> problem) => Solve(problem, default);");
        w.Line();
        w.Line("/// <summary>Solves <paramref name=\"problem\"/> as the fibre says, from <paramref name=\"initialPrices\"/> (a warm start; cold when empty).</summary>");
        w.Open("public static " + Solvers + "SolverResult Solve(" + Solvers + "NumProblem<Agents> problem, global::System.ReadOnlySpan<double> initialPrices)");
        var tolerances = new[]
        {
            "    AbsoluteTolerance = " + CodeText.CSharpDouble(solver.AbsoluteTolerance) + ",",
            "    RelativeTolerance = " + CodeText.CSharpDouble(solver.RelativeTolerance) + ",",
            "    FeasibilityTolerance = " + CodeText.CSharpDouble(solver.FeasibilityTolerance) + ",",
            "    MaxIterations = " + solver.MaxIterations.ToString(CultureInfo.InvariantCulture) + ",",
        };
        switch (solver.Method)
        {
            case SolverMethod.Admm:
                if (!solver.FixedRho)
                {
                    // Linear and quadratic utilities (OSQP's class, LPs included): ADMM on the exact KKT system.
                    w.Open("if (" + Solvers + "QpSolver<Agents>.Accepts(problem))");
                    w.Line("var qp = new " + Solvers + "QpOptions");
                    w.Line("{");
                    foreach (var line in tolerances)
                    {
                        w.Line(line);
                    }

                    w.Line("};");
                    w.Line("return new " + Solvers + "QpSolver<Agents>(problem, qp).Solve(initialPrices);");
                    w.Close();
                    w.Line();
                }
                else
                {
                    w.Line("// certify admm: the Lyapunov theorem is proved for one rho, so rho stays " + CodeText.CSharpDouble(solver.Rho) + " (no residual balancing).");
                }

                w.Line("var options = new " + Solvers + "AdmmOptions");
                w.Line("{");
                w.Line("    Rho = " + CodeText.CSharpDouble(solver.Rho) + ",");
                if (solver.FixedRho)
                {
                    w.Line("    AdaptiveRho = false,");
                }

                foreach (var line in tolerances)
                {
                    w.Line(line);
                }

                w.Line("};");
                w.Line("return new " + Solvers + "AdmmSolver<Agents>(problem, options).Solve(initialPrices);");
                break;
            case SolverMethod.Penalty:
                w.Line("var options = new " + Solvers + "PenaltyOptions");
                w.Line("{");
                w.Line("    Mu = " + CodeText.CSharpDouble(solver.Mu) + ",");
                foreach (var line in tolerances)
                {
                    w.Line(line);
                }

                w.Line("};");
                w.Line("return new " + Solvers + "PenaltySolver<Agents>(problem, options).Solve(initialPrices);");
                break;
            default:
                // The step rule is the solve statement's; certificates never change it.
                var fixedRule = solver.Rule == SolverRule.Fixed;
                w.Line(fixedRule
                    ? "// rule = fixed: the classical projected update with step gamma = " + CodeText.CSharpDouble(solver.Step) + "."
                    : "// rule = scaled: curvature-scaled steps with momentum.");
                w.Line("var options = new " + Solvers + "DualOptions");
                w.Line("{");
                w.Line("    Rule = " + Solvers + "DualStepRule." + (fixedRule ? "Fixed" : "Scaled") + ",");
                if (fixedRule)
                {
                    w.Line("    Step = " + CodeText.CSharpDouble(solver.Step) + ",");
                    w.Line("    Accelerate = false,");
                }

                foreach (var line in tolerances)
                {
                    w.Line(line);
                }

                w.Line("};");
                w.Line("return new " + Solvers + "DualSolver<Agents>(problem, options).Solve(initialPrices);");
                break;
        }

        w.Close();
        w.Line();
        if (solver.Online && spec.FixedPoint is { } fx && spec.Couplings.All(c => c.Resource == fx.Resource))
        {
            // The kernel keeps this price: userspace runs the kernel's own fixed-point update.
            w.Line("/// <summary>");
            w.Line("/// The online pricer, in the kernel's fixed point (bpf/sigil_fixed.h, scale 2^" + fx.ScaleBits.ToString(CultureInfo.InvariantCulture) + "): each sample moves a price by");
            w.Line("/// <c>min(price_max, [p + (step (clamp(load) - c)) &gt;&gt; " + fx.ScaleBits.ToString(CultureInfo.InvariantCulture) + "]+)</c> in integers, the update the proofs' FixedPoint.v bounds.");
            w.Line("/// </summary>");
            w.Line("public static " + Solvers + "FixedPointPricer CreatePricer(" + Solvers + "NumProblem<Agents> problem) =>");
            w.Line("    new(problem.ResourceCount, FixedPoint.ScaleBits, FixedPoint.Step, FixedPoint.Budget, FixedPoint.LoadMax, FixedPoint.PriceMax, FixedPoint.NanosecondsPerUnit);");
            w.Line();
        }
        else if (solver.Online)
        {
            w.Line("/// <summary>");
            w.Line("/// The online pricer: each tick, sensed loads move the prices by the fibre's step,");
            w.Line("/// <c>pi &lt;- [pi + " + CodeText.XmlDoc(CodeText.CSharpDouble(solver.Step)) + " (load - c)]+</c>, in floating point");
            w.Line("/// (no kernel keeps this fibre's price, and no theorem bounds the rounding).");
            w.Line("/// </summary>");
            w.Line("public static " + Solvers + "OnlinePricer CreatePricer(" + Solvers + "NumProblem<Agents> problem) =>");
            w.Line("    new(problem.Capacity, problem.Senses, " + CodeText.CSharpDouble(solver.Step) + ");");
            w.Line();
        }
    }

    private static void EmitAgents(SourceWriter w, FibreSpec spec)
    {
        const string Math = "global::Sigil.Runtime.Solvers.UtilityMath.";
        w.Line("/// <summary>");
        w.Line("/// The agents' closed-form steps x_s = argmax U_s(x) - q x on [m_s, M_s], one branch per");
        w.Line("/// variable family, no virtual calls and no allocation.");
        w.Line("/// </summary>");
        w.Line(GeneratedCodeAttribute);
        w.Open("public readonly struct Agents : global::Sigil.Runtime.Solvers.ITunableAgents");
        foreach (var v in spec.Variables)
        {
            w.Line("private readonly int " + FieldOffsetName(v.Name) + ";");
        }

        w.Line("private readonly int _end;");
        w.Line("private readonly double[] _weight;");
        w.Line("private readonly double[] _shift;");
        w.Line("private readonly double[] _shape;");
        w.Line("private readonly double[] _lower;");
        w.Line("private readonly double[] _upper;");
        w.Line();
        var ctorArgs = string.Join(", ", spec.Variables.Select(v => "int " + OffsetName(v.Name)).Concat(new[] { "int end", "double[] weight", "double[] shift", "double[] shape", "double[] lower", "double[] upper" }));
        w.Open("internal Agents(" + ctorArgs + ")");
        foreach (var v in spec.Variables)
        {
            w.Line(FieldOffsetName(v.Name) + " = " + OffsetName(v.Name) + ";");
        }

        w.Line("_end = end;");
        w.Line("_weight = weight;");
        w.Line("_shift = shift;");
        w.Line("_shape = shape;");
        w.Line("_lower = lower;");
        w.Line("_upper = upper;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The agents' weights (live: edits apply to the next solve).</summary>");
        w.Line("public double[] Weight => _weight;");
        w.Line();
        w.Line("/// <summary>The offsets eps of the log and alpha-fair utilities (0 for the others).</summary>");
        w.Line("public double[] Shift => _shift;");
        w.Line();
        w.Line("/// <summary>The agents' lower bounds (live).</summary>");
        w.Line("public double[] LowerBounds => _lower;");
        w.Line();
        w.Line("/// <summary>The agents' upper bounds (live).</summary>");
        w.Line("public double[] UpperBounds => _upper;");
        w.Line();
        foreach (var v in spec.Variables)
        {
            w.Line("/// <summary>The first agent of <c>$" + CodeText.XmlDoc(v.Name) + "</c>.</summary>");
            w.Line("internal int " + CodeText.Pascal(CodeText.Identifier(v.Name)) + "Offset => " + FieldOffsetName(v.Name) + ";");
            w.Line();
        }

        w.Line("/// <inheritdoc/>");
        w.Line("public int Count => _end;");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public global::Sigil.Runtime.Solvers.UtilityKind Kind(int s)");
        EmitFamilyDispatch(w, spec, family => "return global::Sigil.Runtime.Solvers.UtilityKind." + family switch
        {
            UtilityKind.Log => "Log;",
            UtilityKind.AlphaFair => "AlphaFair;",
            UtilityKind.Quadratic => "Quadratic;",
            _ => "Linear;",
        }, "return global::Sigil.Runtime.Solvers.UtilityKind.Linear;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public double Lower(int s) => _lower[s];");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public double Upper(int s) => _upper[s];");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public double Argmax(int s, double q) => Argmax(s, q, out _);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("public double Argmax(int s, double q, out double sensitivity)");
        EmitFamilyDispatch(w, spec, family => "return " + Math + family switch
        {
            UtilityKind.Log => "LogArgmax(_weight[s], _shift[s], _lower[s], _upper[s], q, out sensitivity);",
            UtilityKind.AlphaFair => "AlphaArgmax(_weight[s], _shift[s], _shape[s], _lower[s], _upper[s], q, out sensitivity);",
            UtilityKind.Quadratic => "QuadraticArgmax(_weight[s], _shape[s], _lower[s], _upper[s], q, out sensitivity);",
            _ => "LinearArgmax(_weight[s], _lower[s], _upper[s], q, out sensitivity);",
        }, "return " + Math + "LinearArgmax(0.0, _lower[s], _upper[s], q, out sensitivity);");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double Utility(int s, double x)");
        EmitFamilyDispatch(w, spec, family => family switch
        {
            UtilityKind.Log => "return _weight[s] * global::System.Math.Log(x + _shift[s]);",
            UtilityKind.AlphaFair => "return " + Math + "AlphaUtility(_weight[s], _shift[s], _shape[s], x);",
            UtilityKind.Quadratic => "return (_weight[s] - 0.5 * _shape[s] * x) * x;",
            _ => "return _weight[s] * x;",
        }, "return 0.0;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double Marginal(int s, double x)");
        EmitFamilyDispatch(w, spec, family => family switch
        {
            UtilityKind.Log => "return _weight[s] / (x + _shift[s]);",
            UtilityKind.AlphaFair => "return " + Math + "AlphaMarginal(_weight[s], _shift[s], _shape[s], x);",
            UtilityKind.Quadratic => "return _weight[s] - _shape[s] * x;",
            _ => "return _weight[s];",
        }, "return 0.0;");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public double Prox(int s, double v, double t)");
        EmitFamilyDispatch(w, spec, family => "return " + Math + family switch
        {
            UtilityKind.Log => "LogProx(_weight[s], _shift[s], _lower[s], _upper[s], v, t);",
            UtilityKind.AlphaFair => "AlphaProx(_weight[s], _shift[s], _shape[s], _lower[s], _upper[s], v, t);",
            UtilityKind.Quadratic => "QuadraticProx(_weight[s], _shape[s], _lower[s], _upper[s], v, t);",
            _ => "LinearProx(_weight[s], _lower[s], _upper[s], v, t);",
        }, "return " + Math + "LinearProx(0.0, _lower[s], _upper[s], v, t);");
        w.Close();
        w.Close();
    }

    // One `if (s < end_of_family)` branch per variable family, in layout order.
    private static void EmitFamilyDispatch(SourceWriter w, FibreSpec spec, System.Func<UtilityKind, string> body, string observed)
    {
        var families = spec.Variables.ToList();
        for (var i = 0; i < families.Count; i++)
        {
            var v = families[i];
            var utility = spec.Utilities.FirstOrDefault(u => u.Variable == v.Name);
            var end = i + 1 < families.Count ? FieldOffsetName(families[i + 1].Name) : "_end";
            w.Open((i == 0 ? "if" : "else if") + " (s < " + end + ")");
            w.Line("// $" + CodeText.CComment(v.Name) + (utility is null ? ": observed" : ": " + utility.Family.ToString().ToLowerInvariant()));
            w.Line(utility is null ? observed : body(utility.Family));
            w.Close();
        }

        w.Open("else");
        w.Line(observed);
        w.Close();
    }

    private static void OpenLoops(SourceWriter w, IReadOnlyList<string> sets, IReadOnlyList<string> variables)
    {
        for (var i = 0; i < sets.Count; i++)
        {
            var v = LoopVar(variables[i]);
            w.Open("for (var " + v + " = 0; " + v + " < " + CountName(sets[i]) + "; " + v + "++)");
        }
    }

    // The tables some sum walks down a column of (sum(m in met) S[m, r] ...), by columns: built once
    // per CreateProblem in O(nnz), the transpose of the table's compressed rows.
    //   var S_byColumnStart = new int[rxnCount + 1]; ... var S_byColumnRow = new int[nnz]; ...
    private static void EmitColumnIndexes(SourceWriter w, FibreSpec spec)
    {
        var tables = spec.Couplings.SelectMany(static c => c.Terms).Select(EntryWalk.Of).Where(static walk => walk is { AlongRow: false }).Select(static walk => walk!.Table).Distinct().OrderBy(static t => t, StringComparer.Ordinal);
        foreach (var name in tables)
        {
            var matrix = spec.Tables.First(t => t.Name == name).Matrix!;
            var columns = spec.Indices.First(i => i.Name == matrix.ColumnSet).Members.Count.ToString(CultureInfo.InvariantCulture);
            string start = ColumnIndexName(name, "Start"), row = ColumnIndexName(name, "Row"), next = ColumnIndexName(name, "Next");
            w.Line();
            w.Line("// " + CodeText.CComment(name) + " by columns, for the sums that walk down its columns.");
            w.Line("var " + start + " = new int[" + columns + " + 1];");
            w.Open("foreach (var c in " + MatrixField(name, "column") + ")");
            w.Line(start + "[c + 1]++;");
            w.Close();
            w.Open("for (var c = 0; c < " + columns + "; c++)");
            w.Line(start + "[c + 1] += " + start + "[c];");
            w.Close();
            w.Line("var " + row + " = new int[" + MatrixField(name, "column") + ".Length];");
            w.Line("var " + next + " = (int[])" + start + ".Clone();");
            w.Open("for (var r = 0; r + 1 < " + MatrixField(name, "start") + ".Length; r++)");
            w.Open("for (var k = " + MatrixField(name, "start") + "[r]; k < " + MatrixField(name, "start") + "[r + 1]; k++)");
            w.Line(row + "[" + next + "[" + MatrixField(name, "column") + "[k]]++] = r;");
            w.Close();
            w.Close();
        }
    }

    // The innermost sum of a term that reads a two-dimensional table at its index visits that
    // table's nonzeros only (EntryWalk): along row i_m, or down column i_r.
    //   for (var k_r = s_S_start[i_m]; k_r < s_S_start[i_m + 1]; k_r++) { var i_r = s_S_column[k_r]; ...
    private static void OpenWalk(SourceWriter w, EntryWalk walk)
    {
        var k = "k_" + CodeText.Identifier(walk.Variable);
        var other = LoopVar(walk.Other);
        string start = walk.AlongRow ? MatrixField(walk.Table, "start") : ColumnIndexName(walk.Table, "Start");
        string member = walk.AlongRow ? MatrixField(walk.Table, "column") : ColumnIndexName(walk.Table, "Row");
        w.Open("for (var " + k + " = " + start + "[" + other + "]; " + k + " < " + start + "[" + other + " + 1]; " + k + "++)");
        w.Line("var " + LoopVar(walk.Variable) + " = " + member + "[" + k + "];");
    }

    private static string ColumnIndexName(string table, string part) => CodeText.Identifier(table) + "_byColumn" + part;

    private static void CloseLoops(SourceWriter w, int count)
    {
        for (var i = 0; i < count; i++)
        {
            w.Close();
        }
    }

    private static string FlatIndex(IReadOnlyList<string> sets, IReadOnlyList<string> subscript)
    {
        if (sets.Count == 0)
        {
            return "0";
        }

        var expression = LoopVar(subscript[0]);
        for (var i = 1; i < sets.Count; i++)
        {
            expression = "(" + expression + ") * " + CountName(sets[i]) + " + " + LoopVar(subscript[i]);
        }

        return expression;
    }

    private static string SizeExpression(IReadOnlyList<string> sets) =>
        sets.Count == 0 ? "1" : string.Join(" * ", sets.Select(CountName));

    private static Dictionary<string, string>? Rename(EquatableArray<string> from, EquatableArray<string> to)
    {
        var map = new Dictionary<string, string>();
        for (var i = 0; i < from.Count && i < to.Count; i++)
        {
            map[from[i]] = to[i];
        }

        return map;
    }

    private static string Value(ValueSpec value, Dictionary<string, string>? rename) => value.Kind switch
    {
        ValueKind.Constant => CodeText.CSharpDouble(value.Constant),
        ValueKind.Column => ColumnField(value.Table!, value.Column!) + "[" + LoopVar(Renamed(value.IndexVariable!, rename)) + "]",
        ValueKind.Entry => EntryMethod + "(" + string.Join(", ", s_matrixParts.Select(p => MatrixField(value.Table!, p))) + ", " + LoopVar(Renamed(value.IndexVariable!, rename)) + ", " + LoopVar(Renamed(value.ColumnIndexVariable!, rename)) + ")",
        ValueKind.Add => "(" + Value(value.Operands[0], rename) + " + " + Value(value.Operands[1], rename) + ")",
        ValueKind.Subtract => "(" + Value(value.Operands[0], rename) + " - " + Value(value.Operands[1], rename) + ")",
        ValueKind.Multiply => "(" + Value(value.Operands[0], rename) + " * " + Value(value.Operands[1], rename) + ")",
        ValueKind.Divide => "(" + Value(value.Operands[0], rename) + " / " + Value(value.Operands[1], rename) + ")",
        ValueKind.Negate => "(-" + Value(value.Operands[0], rename) + ")",
        _ => "0.0",
    };

    private static string Renamed(string name, Dictionary<string, string>? rename) =>
        rename is not null && rename.TryGetValue(name, out var to) ? to : name;

    private static string CountName(string set) => CodeText.Identifier(set) + "Count";

    private static string OffsetName(string variable) => "offset_" + CodeText.Identifier(variable);

    private static string FieldOffsetName(string variable) => "_offset_" + CodeText.Identifier(variable);

    private static string LoopVar(string variable) => "i_" + CodeText.Identifier(variable);
}
