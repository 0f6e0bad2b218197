using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.CSharp;

public static partial class CSharpEmitter
{
    // Shape of the run-time parameters (cvxpygen's parameters), in the solver file:
    //
    //   public sealed class Instance
    //   {
    //       public Instance(int taskCount, ...)                        // CreateProblem once
    //       public double GetAtpBudget() / SetAtpBudget(double)       // per resource row family, by member
    //       public double GetBalanceRhs(string met) / SetBalanceRhs   // per labelled row family
    //       public double Maintenance { get; set; }                  // a param that is a budget
    //       public double GetFluxWeight(string edit) / SetFluxWeight  // per variable family with a utility
    //       public (double, double) GetFluxBounds / SetFluxBounds
    //       public SolverResult Solve() / SolveCold()                 // warm from the last prices
    //   }
    //
    // Every setter goes through TunableProblem<Agents> (Sigil.Runtime), which checks the value and
    // writes it into the problem in place; nothing else is rebuilt. A table column or a param that
    // is not a whole budget is folded into the instance at compile time (docs/language.md says so).
    private const string InstanceClass = "Instance";

    private static readonly string[] s_instanceMembers = { "Problem", "LastResult", "Solve", "SolveCold", "UpdateTables", "LoadBudgets" };

    // Locals and parameters the instance's methods declare beside the index parameters.
    private static readonly string[] s_instanceLocals = { "value", "lower", "upper", "k", "row" };

    private static void EmitInstance(SourceWriter w, FibreSpec spec)
    {
        const string Solvers = "global::Sigil.Runtime.Solvers.";
        var dynamic = spec.Indices.Where(static i => i.Kind == IndexKind.Dynamic).ToList();
        var rows = RowFamilies(spec);
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The fibre's instance with its run-time parameters: budgets, the params that are budgets, weights");
        w.Line("/// and bounds, set by index member and checked before they are written (a refused value throws");
        w.Line("/// <see cref=\"global::System.ArgumentException\"/> naming it and changes nothing). <see cref=\"Solve\"/> re-solves");
        w.Line("/// warm-started from the last solve's prices; the coupling matrix is built once.");
        w.Line("/// </summary>");
        w.Line(GeneratedCodeAttribute);
        w.Open("public sealed class " + InstanceClass);
        var tables = spec.Tables.Count > 0;
        w.Line((tables ? "private " : "private readonly ") + Solvers + "TunableProblem<Agents> _problem;");
        if (tables)
        {
            w.Line("private readonly " + Solvers + "FibreTables _tables = CreateTables();");
            w.Line("private double[]? _warm;");
        }

        foreach (var index in dynamic)
        {
            w.Line("private readonly int _" + CountName(index.Name) + ";");
        }

        foreach (var (coupling, _) in rows)
        {
            w.Line("private readonly int " + RowField(coupling.Name) + ";");
            if (ResourceOf(spec, coupling) is not null)
            {
                w.Line("private readonly double[] " + BudgetField(coupling.Name) + ";");
            }
        }

        foreach (var p in BudgetParameters(spec))
        {
            w.Line("private double " + ParameterField(p.Name) + " = " + CodeText.CSharpDouble(p.Value) + ";");
        }

        // Constructor: the problem, each row family's first row, each resource's budget per member.
        w.Line();
        w.Line("/// <summary>Builds the instance with the fibre's values (see <see cref=\"CreateProblem(" + string.Join(", ", CreateProblemParameterTypes(spec)) + ")\"/>).</summary>");
        foreach (var index in dynamic)
        {
            w.Line("/// <param name=\"" + CountName(index.Name) + "\">Members of <c>" + CodeText.XmlDoc(index.Name) + "</c>.</param>");
        }

        w.Open("public " + InstanceClass + "(" + string.Join(", ", dynamic.Select(static i => "int " + CountName(i.Name))) + ")");
        w.Line("_problem = new(CreateProblem(" + string.Join(", ", dynamic.Select(static i => CountName(i.Name)).Concat(tables ? new[] { "_tables" } : System.Array.Empty<string>())) + "), " + TypeName(spec) + ".Solve);");
        foreach (var index in dynamic)
        {
            w.Line("_" + CountName(index.Name) + " = " + CountName(index.Name) + ";");
        }

        var ctorSets = rows.SelectMany(static r => r.Coupling.Quantifiers.Select(static q => q.Set)).Distinct().ToList();
        EmitCounts(w, spec, ctorSets, fromFields: false);
        w.Line("var row = 0;");
        foreach (var (coupling, _) in rows)
        {
            w.Line(RowField(coupling.Name) + " = row;");
            w.Line("row += " + SizeExpression(coupling.Quantifiers.Select(static q => q.Set).ToList()) + ";");
        }

        w.Open("if (row != _problem.Problem.ResourceCount)");
        w.Line("throw new global::System.InvalidOperationException(\"The instance's row layout disagrees with CreateProblem's.\");");
        w.Close();
        foreach (var (coupling, _) in rows)
        {
            if (ResourceOf(spec, coupling) is { } resource)
            {
                w.Line(BudgetField(resource.Name) + " = new double[" + SizeExpression(resource.IndexSets) + "];");
            }
        }

        if (tables)
        {
            w.Line("LoadBudgets();");
        }
        else
        {
            EmitBudgets(w, spec, rows);
        }

        w.Close();
        if (tables)
        {
            EmitTableAccess(w, spec, dynamic, rows);
        }
        w.Line();
        w.Line("/// <summary>The problem with the current values (budgets in <c>Capacity</c>, weights and bounds in <c>Agents</c>).</summary>");
        w.Line("public " + Solvers + "NumProblem<Agents> Problem => _problem.Problem;");
        w.Line();
        w.Line("/// <summary>The last solve's result, or null before the first.</summary>");
        w.Line("public " + Solvers + "SolverResult? LastResult => _problem.LastResult;");
        w.Line();
        w.Line("/// <summary>Solves as the fibre says with the current values, warm-started from the last solve's prices.</summary>");
        if (tables)
        {
            // After a table change rebuilt the problem, the old prices still start the solve when the rows are the same.
            w.Open("public " + Solvers + "SolverResult Solve()");
            w.Open("if (_warm is { } prices)");
            w.Line("_warm = null;");
            w.Line("return _problem.Solve(prices);");
            w.Close();
            w.Line();
            w.Line("return _problem.Solve();");
            w.Close();
        }
        else
        {
            w.Line("public " + Solvers + "SolverResult Solve() => _problem.Solve();");
        }
        w.Line();
        w.Line("/// <summary>Solves as the fibre says with the current values, from the cold-start estimate.</summary>");
        w.Line("public " + Solvers + "SolverResult SolveCold()" + (tables ? string.Empty : " => _problem.SolveCold();"));
        if (tables)
        {
            w.Open(string.Empty);
            w.Line("_warm = null;");
            w.Line("return _problem.SolveCold();");
            w.Close();
        }

        foreach (var (coupling, _) in rows)
        {
            EmitRowAccessors(w, spec, coupling);
        }

        foreach (var p in BudgetParameters(spec))
        {
            EmitBudgetParameter(w, spec, p);
        }

        foreach (var v in spec.Variables)
        {
            EmitAgentAccessors(w, spec, v);
        }

        EmitMemberPositions(w, spec);
        w.Close();
    }

    // Each resource's budget per member, as the fibre computes it (from the tables, when it reads them).
    private static void EmitBudgets(SourceWriter w, FibreSpec spec, List<(CouplingSpec Coupling, int Index)> rows)
    {
        foreach (var (coupling, _) in rows)
        {
            if (ResourceOf(spec, coupling) is not { } resource)
            {
                continue;
            }

            w.Line();
            w.Line("// @" + CodeText.CComment(resource.Name) + ": " + CodeText.CComment(coupling.Statement));
            OpenLoops(w, resource.IndexSets, resource.IndexVariables);
            w.Line(BudgetField(resource.Name) + "[" + FlatIndex(resource.IndexSets, resource.IndexVariables) + "] = " + Value(resource.Budget, null) + ";");
            CloseLoops(w, resource.IndexSets.Count);
        }
    }

    // Run-time table values (FibreTables): a typed getter and setter per table column and per
    // two-dimensional table, each change rebuilding the problem from the tables (checked: a value that
    // makes the problem invalid is refused and undone).
    //   public double GetLinksCapacity(string key) => _tables.Get("links", "capacity", key);
    //   public void SetLinksCapacity(string key, double value) => Change(t => t.Set("links", "capacity", key, value));
    //   public void SetR(string row, string column, double value) => Change(t => t.SetEntry("R", row, column, value));
    private static void EmitTableAccess(SourceWriter w, FibreSpec spec, List<IndexSpec> dynamic, List<(CouplingSpec Coupling, int Index)> rows)
    {
        const string Tables = "global::Sigil.Runtime.Solvers.FibreTables";
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Changes the tables by <paramref name=\"edit\"/> (any number of <see cref=\"" + Tables + ".Set\"/> and");
        w.Line("/// <see cref=\"" + Tables + ".SetEntry\"/> calls) and rebuilds the problem from them once: budgets, budget params, weights");
        w.Line("/// and bounds are then what the fibre computes from the new tables (set them again after), and the next");
        w.Line("/// <see cref=\"Solve\"/> starts from the last prices. A change that makes the problem invalid is undone and rethrown.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A table, key or member is unknown, a value is not finite, or the new problem is invalid.</exception>");
        w.Open("public void UpdateTables(global::System.Action<" + Tables + "> edit)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(edit);");
        w.Line("var before = _tables.Clone();");
        w.Open("try");
        w.Line("edit(_tables);");
        w.Line("var problem = CreateProblem(" + string.Join(string.Empty, dynamic.Select(i => "_" + CountName(i.Name) + ", ")) + "_tables);");
        w.Line("var prices = _problem.LastResult?.Prices;");
        w.Line("_problem = new(problem, " + TypeName(spec) + ".Solve);");
        w.Line("_warm = prices is not null && prices.Length == problem.ResourceCount && global::System.Array.TrueForAll(prices, double.IsFinite) ? prices : null;");
        w.Line("LoadBudgets();");
        w.Close();
        w.Open("catch (global::System.ArgumentException)");
        w.Line("_tables.RestoreFrom(before);");
        w.Line("throw;");
        w.Close();
        w.Close();
        foreach (var table in spec.Tables)
        {
            var name = CodeText.CSharpString(table.Name);
            var pascal = CodeText.Pascal(CodeText.Identifier(table.Name));
            if (table.Matrix is { } matrix)
            {
                w.Line();
                w.Line("/// <summary>Reads entry <c>" + CodeText.XmlDoc(table.Name) + "[row, column]</c> (0 when absent) at members of <c>" + CodeText.XmlDoc(matrix.RowSet) + "</c> and <c>" + CodeText.XmlDoc(matrix.ColumnSet) + "</c>.</summary>");
                w.Line("public double Get" + pascal + "(string row, string column) => _tables.GetEntry(" + name + ", row, column);");
                w.Line();
                w.Line("/// <summary>Sets entry <c>" + CodeText.XmlDoc(table.Name) + "[row, column]</c> (0 removes it) and rebuilds the problem (see <see cref=\"UpdateTables\"/>).</summary>");
                w.Line("/// <exception cref=\"global::System.ArgumentException\">A member is unknown, the value is not finite, or the new problem is invalid.</exception>");
                w.Line("public void Set" + pascal + "(string row, string column, double value) => UpdateTables(t => t.SetEntry(" + name + ", row, column, value));");
                continue;
            }

            foreach (var column in table.Columns)
            {
                var member = pascal + CodeText.Pascal(CodeText.Identifier(column.Name));
                w.Line();
                w.Line("/// <summary>Reads column <c>" + CodeText.XmlDoc(column.Name) + "</c> of table <c>" + CodeText.XmlDoc(table.Name) + "</c> at row <paramref name=\"key\"/>.</summary>");
                w.Line("public double Get" + member + "(string key) => _tables.Get(" + name + ", " + CodeText.CSharpString(column.Name) + ", key);");
                w.Line();
                w.Line("/// <summary>Sets column <c>" + CodeText.XmlDoc(column.Name) + "</c> of table <c>" + CodeText.XmlDoc(table.Name) + "</c> at row <paramref name=\"key\"/> and rebuilds the problem (see <see cref=\"UpdateTables\"/>).</summary>");
                w.Line("/// <exception cref=\"global::System.ArgumentException\">The key is unknown, the value is not finite, or the new problem is invalid.</exception>");
                w.Line("public void Set" + member + "(string key, double value) => UpdateTables(t => t.Set(" + name + ", " + CodeText.CSharpString(column.Name) + ", key, value));");
            }
        }

        w.Line();
        w.Open("private void LoadBudgets()");
        var budgetSets = rows.Select(r => ResourceOf(spec, r.Coupling)).Where(static r => r is not null).SelectMany(static r => r!.IndexSets).Distinct().ToList();
        EmitCounts(w, spec, budgetSets, fromFields: true);
        EmitTableLocals(w, spec, "_tables", new HashSet<string>(rows.Select(r => ResourceOf(spec, r.Coupling)).Where(static r => r is not null).SelectMany(static r => r!.Budget.Tables()), System.StringComparer.Ordinal));
        EmitBudgets(w, spec, rows);
        foreach (var p in BudgetParameters(spec))
        {
            w.Line(ParameterField(p.Name) + " = " + CodeText.CSharpDouble(p.Value) + ";");
        }

        w.Close();
    }

    // The row families in CreateProblem's order, each with its position among the couplings.
    private static List<(CouplingSpec Coupling, int Index)> RowFamilies(FibreSpec spec) =>
        spec.Couplings.Select(static (c, i) => (c, i)).ToList();

    private static ResourceSpec? ResourceOf(FibreSpec spec, CouplingSpec coupling) =>
        coupling.Resource is { } name ? spec.Resources.FirstOrDefault(r => r.Name == name) : null;

    // Params written alone as the budget of a resource that a row budgets: setting one sets those budgets.
    private static IEnumerable<ParameterSpec> BudgetParameters(FibreSpec spec) =>
        spec.Parameters.Where(p => BudgetsOf(spec, p.Name).Any());

    private static IEnumerable<ResourceSpec> BudgetsOf(FibreSpec spec, string parameter) =>
        spec.Resources.Where(r => r.BudgetParameter == parameter && spec.Couplings.Any(c => c.Resource == r.Name));

    private static void EmitRowAccessors(SourceWriter w, FibreSpec spec, CouplingSpec coupling)
    {
        var resource = ResourceOf(spec, coupling);
        var sets = coupling.Quantifiers.Select(static q => q.Set).ToList();
        var name = CodeText.Pascal(CodeText.Identifier(coupling.Name)) + (resource is null ? "Rhs" : "Budget");
        var what = resource is null
            ? "the right-hand side of row <c>" + CodeText.XmlDoc(coupling.Name) + "</c>"
            : "the budget of <c>@" + CodeText.XmlDoc(resource.Name) + "</c>";
        var arguments = MemberParameters(spec, sets);
        w.Line();
        w.Line("/// <summary>Reads " + what + MemberDoc(sets) + ".</summary>");
        w.Open("public double Get" + name + "(" + string.Join(", ", arguments) + ")");
        EmitFlatMember(w, spec, sets);
        w.Line(resource is null ? "return _problem.Capacity(" + RowField(coupling.Name) + " + k);" : "return " + BudgetField(coupling.Name) + "[k];");
        w.Close();
        w.Line();
        w.Line("/// <summary>Sets " + what + MemberDoc(sets) + "; the next <see cref=\"Solve\"/> uses it.</summary>");
        w.Line("/// <remarks><c>" + CodeText.XmlDoc(coupling.Statement) + "</c></remarks>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The value is not finite, a member is unknown, or the row could not hold.</exception>");
        w.Open("public void Set" + name + "(" + string.Join(", ", arguments.Concat(new[] { "double value" })) + ")");
        EmitFlatMember(w, spec, sets);
        w.Line(resource is null ? "_problem.SetCapacity(" + RowField(coupling.Name) + " + k, value, " + MemberLabel(coupling.Name, sets) + ");" : "SetBudget_" + CodeText.Identifier(coupling.Name) + "(k, value);");
        w.Close();
        if (resource is null)
        {
            return;
        }

        // A resource row is sum terms <= (constants) + budget: a new budget moves the row's right-hand side by the change.
        w.Line();
        w.Open("private void SetBudget_" + CodeText.Identifier(coupling.Name) + "(int k, double value)");
        w.Open("if (!double.IsFinite(value))");
        w.Line("throw new global::System.ArgumentException(\"The budget of @" + CodeText.CSharpString(resource.Name).Trim('"') + " must be finite, got \" + value.ToString(\"R\", global::System.Globalization.CultureInfo.InvariantCulture) + \".\", nameof(value));");
        w.Close();
        w.Line();
        w.Line("var row = " + RowField(coupling.Name) + " + k;");
        w.Line("_problem.SetCapacity(row, _problem.Capacity(row) + (value - " + BudgetField(coupling.Name) + "[k]), \"@" + CodeText.CSharpString(resource.Name).Trim('"') + "\");");
        w.Line(BudgetField(coupling.Name) + "[k] = value;");
        w.Close();
    }

    private static void EmitBudgetParameter(SourceWriter w, FibreSpec spec, ParameterSpec p)
    {
        var budgets = BudgetsOf(spec, p.Name).ToList();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Param <c>" + CodeText.XmlDoc(p.Name) + "</c>" + UnitSuffix(p.Unit) + ": the budget of "
            + string.Join(", ", budgets.Select(static r => "<c>@" + CodeText.XmlDoc(r.Name) + "</c>")) + " (every member); setting it sets them.");
        w.Line("/// </summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The value is not finite, or a row could not hold.</exception>");
        w.Open("public double " + CodeText.Pascal(CodeText.Identifier(p.Name)));
        w.Line("get => " + ParameterField(p.Name) + ";");
        w.Open("set");
        foreach (var r in budgets)
        {
            w.Open("for (var k = 0; k < " + BudgetField(r.Name) + ".Length; k++)");
            w.Line("SetBudget_" + CodeText.Identifier(r.Name) + "(k, value);");
            w.Close();
        }

        w.Line(ParameterField(p.Name) + " = value;");
        w.Close();
        w.Close();
    }

    private static void EmitAgentAccessors(SourceWriter w, FibreSpec spec, VariableSpec v)
    {
        var sets = v.IndexSets.ToList();
        var arguments = MemberParameters(spec, sets);
        var pascal = CodeText.Pascal(CodeText.Identifier(v.Name));
        var agent = "Problem.Agents." + CodeText.Pascal(CodeText.Identifier(v.Name)) + "Offset + k";
        var hasUtility = spec.Utilities.Any(u => u.Variable == v.Name);
        if (hasUtility)
        {
            w.Line();
            w.Line("/// <summary>Reads the utility weight of <c>$" + CodeText.XmlDoc(v.Name) + "</c>" + MemberDoc(sets) + ".</summary>");
            w.Open("public double Get" + pascal + "Weight(" + string.Join(", ", arguments) + ")");
            EmitFlatMember(w, spec, sets);
            w.Line("return Problem.Agents.Weight[" + agent + "];");
            w.Close();
            w.Line();
            w.Line("/// <summary>Sets the utility weight of <c>$" + CodeText.XmlDoc(v.Name) + "</c>" + MemberDoc(sets) + "; the next <see cref=\"Solve\"/> uses it.</summary>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The weight is not finite, is not positive for a log or alpha-fair utility, or a member is unknown.</exception>");
            w.Open("public void Set" + pascal + "Weight(" + string.Join(", ", arguments.Concat(new[] { "double value" })) + ")");
            EmitFlatMember(w, spec, sets);
            w.Line("_problem.SetWeight(" + agent + ", value, " + MemberLabel("$" + v.Name, sets) + ");");
            w.Close();
        }

        w.Line();
        w.Line("/// <summary>Reads the bounds of <c>$" + CodeText.XmlDoc(v.Name) + "</c>" + MemberDoc(sets) + ".</summary>");
        w.Open("public (double Lower, double Upper) Get" + pascal + "Bounds(" + string.Join(", ", arguments) + ")");
        EmitFlatMember(w, spec, sets);
        w.Line("return (Problem.Agents.LowerBounds[" + agent + "], Problem.Agents.UpperBounds[" + agent + "]);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Sets the bounds of <c>$" + CodeText.XmlDoc(v.Name) + "</c>" + MemberDoc(sets) + "; the next <see cref=\"Solve\"/> uses them.</summary>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">The bounds are out of order, NaN, outside the utility's domain, or a member is unknown.</exception>");
        w.Open("public void Set" + pascal + "Bounds(" + string.Join(", ", arguments.Concat(new[] { "double lower", "double upper" })) + ")");
        EmitFlatMember(w, spec, sets);
        w.Line("_problem.SetBounds(" + agent + ", lower, upper, " + MemberLabel("$" + v.Name, sets) + ");");
        w.Close();
    }

    // Per static index: its member names' positions; a dynamic index takes a position, a range its integer.
    private static void EmitMemberPositions(SourceWriter w, FibreSpec spec)
    {
        var used = new HashSet<string>(
            spec.Couplings.SelectMany(static c => c.Quantifiers.Select(static q => q.Set)).Concat(spec.Variables.SelectMany(static v => v.IndexSets)),
            System.StringComparer.Ordinal);
        foreach (var index in spec.Indices.Where(i => i.Kind == IndexKind.Table && used.Contains(i.Name)))
        {
            w.Line();
            w.Line("private static readonly global::System.Collections.Generic.Dictionary<string, int> " + PositionsField(index.Name) + " = Positions(Members." + CodeText.Pascal(CodeText.Identifier(index.Name)) + ");");
        }

        w.Line();
        w.Open("private static global::System.Collections.Generic.Dictionary<string, int> Positions(global::System.Collections.Generic.IReadOnlyList<string> members)");
        w.Line("var positions = new global::System.Collections.Generic.Dictionary<string, int>(members.Count, global::System.StringComparer.Ordinal);");
        w.Open("for (var k = 0; k < members.Count; k++)");
        w.Line("positions[members[k]] = k;");
        w.Close();
        w.Line("return positions;");
        w.Close();
        w.Line();
        w.Open("private static int Position(global::System.Collections.Generic.Dictionary<string, int> positions, string member, string set)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(member);");
        w.Line("return positions.TryGetValue(member, out var k) ? k : throw new global::System.ArgumentException(\"'\" + member + \"' is not a member of index \" + set + \".\", set);");
        w.Close();
        w.Line();
        w.Open("private static int Position(int member, int first, int count, string set)");
        w.Open("if (member < first || member - first >= count)");
        w.Line("throw new global::System.ArgumentOutOfRangeException(set, member, \"Index \" + set + \" has members \" + first.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" .. \" + (first + count - 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \".\");");
        w.Close();
        w.Line("return member - first;");
        w.Close();
    }

    // `var k = flat position of the member arguments;` for the given index sets.
    private static void EmitFlatMember(SourceWriter w, FibreSpec spec, List<string> sets)
    {
        // The counts FlatIndex (every set but the first) and Position (all but a table's) read.
        EmitCounts(w, spec, sets.Where((s, i) => i > 0 || spec.Indices.First(x => x.Name == s).Kind != IndexKind.Table), fromFields: true);
        var names = MemberParameterNames(sets);
        for (var i = 0; i < sets.Count; i++)
        {
            var index = spec.Indices.First(x => x.Name == sets[i]);
            var position = index.Kind switch
            {
                IndexKind.Table => "Position(" + PositionsField(index.Name) + ", " + names[i] + ", " + CodeText.CSharpString(index.Name) + ")",
                IndexKind.Range => "Position(" + names[i] + ", " + RangeStart(index).ToString(CultureInfo.InvariantCulture) + ", " + CountName(index.Name) + ", " + CodeText.CSharpString(index.Name) + ")",
                _ => "Position(" + names[i] + ", 0, " + CountName(index.Name) + ", " + CodeText.CSharpString(index.Name) + ")",
            };
            w.Line("var " + LoopVar("m" + i.ToString(CultureInfo.InvariantCulture)) + " = " + position + ";");
        }

        w.Line("var k = " + FlatIndex(sets, sets.Select(static (_, i) => "m" + i.ToString(CultureInfo.InvariantCulture)).ToList()) + ";");
    }

    private static void EmitCounts(SourceWriter w, FibreSpec spec, IEnumerable<string> sets, bool fromFields)
    {
        foreach (var set in sets.Distinct())
        {
            var index = spec.Indices.First(x => x.Name == set);
            if (index.Kind == IndexKind.Dynamic)
            {
                if (fromFields)
                {
                    w.Line("var " + CountName(set) + " = _" + CountName(set) + ";");
                }
            }
            else
            {
                w.Line("const int " + CountName(set) + " = " + index.Members.Count.ToString(CultureInfo.InvariantCulture) + ";");
            }
        }
    }

    private static int RangeStart(IndexSpec index) =>
        index.Members.Count > 0 && int.TryParse(index.Members[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var first) ? first : 0;

    private static List<string> MemberParameters(FibreSpec spec, List<string> sets)
    {
        var names = MemberParameterNames(sets);
        return sets.Select((s, i) => (spec.Indices.First(x => x.Name == s).Kind == IndexKind.Table ? "string " : "int ") + names[i]).ToList();
    }

    // The index sets' names, made unique, kept off the methods' own locals.
    private static List<string> MemberParameterNames(List<string> sets)
    {
        var names = new List<string>();
        foreach (var set in sets)
        {
            var name = CodeText.Identifier(set);
            if (s_instanceLocals.Contains(name) || name.StartsWith("i_", System.StringComparison.Ordinal) || name.EndsWith("Count", System.StringComparison.Ordinal))
            {
                name += "Member";
            }

            var unique = name;
            for (var n = 2; names.Contains(unique); n++)
            {
                unique = name + n.ToString(CultureInfo.InvariantCulture);
            }

            names.Add(unique);
        }

        return names;
    }

    private static string MemberDoc(List<string> sets) =>
        sets.Count == 0 ? string.Empty : " at the given member of " + string.Join(", ", sets.Select(static s => "<c>" + CodeText.XmlDoc(s) + "</c>"));

    // The name a message gives: @atp, $flux["pgi"], balance[3].
    private static string MemberLabel(string name, List<string> sets)
    {
        var names = MemberParameterNames(sets);
        return sets.Count == 0
            ? CodeText.CSharpString(name)
            : CodeText.CSharpString(name + "[") + " + " + string.Join(" + \", \" + ", names.Select(static n => n + ".ToString(global::System.Globalization.CultureInfo.InvariantCulture)")) + " + \"]\"";
    }

    private static string RowField(string row) => "_row_" + CodeText.Identifier(row);

    private static string BudgetField(string resource) => "_budget_" + CodeText.Identifier(resource);

    private static string ParameterField(string parameter) => "_param_" + CodeText.Identifier(parameter);

    private static string PositionsField(string index) => "s_positions_" + CodeText.Identifier(index);
}
