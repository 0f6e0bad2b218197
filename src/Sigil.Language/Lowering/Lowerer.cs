using System.Linq;
using Sigil.Language.Binding;
using Sigil.Language.Model;

namespace Sigil.Language.Lowering;

/// <summary>
/// Turns a bound fibre (no errors) into the <see cref="FibreSpec"/> every backend reads. Symbols
/// become spec records in declaration order; statements were bound in spec form already. The
/// analysis and the fixed-point plan are placeholders here: <c>FibreAnalyzer</c> fills them.
/// </summary>
internal static class Lowerer
{
    public static FibreSpec Lower(BoundFibre fibre, string sourceFileName)
    {
        var indices = fibre.Indices.Select(static i => new IndexSpec(i.Name, i.Kind, i.Key, i.Capacity, i.Table?.Name, i.Members.ToEquatableArray()));
        var parameters = fibre.Parameters.Select(static p => new ParameterSpec(p.Name, p.Unit, p.Value));
        var tables = fibre.Tables.Select(static t => new TableSpec(
            t.Name,
            t.Path,
            t.Keys.ToEquatableArray(),
            t.Columns.Select(static c => new ColumnSpec(c.Name, c.Unit, c.Values.ToEquatableArray())).ToEquatableArray(),
            t.Matrix));
        var variables = fibre.Variables.Select(static v => new VariableSpec(
            v.Name,
            v.IndexSets.Select(static s => s.Name).ToEquatableArray(),
            v.Unit,
            v.Lower,
            v.Upper,
            v.IndexSets.Select(static s => s.Name).ToEquatableArray()));
        var resources = fibre.Resources.Select(static r => new ResourceSpec(
            r.Name,
            r.IndexSets.Select(static s => s.Name).ToEquatableArray(),
            r.Unit,
            r.Budget,
            r.IndexSets.Select(static s => s.Name).ToEquatableArray(),
            r.ClusterNodes,
            r.BudgetParameter));
        var solve = fibre.Solve!;
        var solver = new SolverSpec(solve.Method, solve.Step ?? 0, solve.Rho, solve.Mu, solve.AbsoluteTolerance, solve.RelativeTolerance, solve.MaxIterations, solve.Online, solve.Statement, solve.FeasibilityTolerance, solve.Rule);
        var emptyGraph = new DependenceGraphSpec(EquatableArray<string>.Empty, EquatableArray<GraphEdge>.Empty, true, EquatableArray<string>.Empty, EquatableArray<Clique>.Empty);
        var analysis = new AnalysisSpec(EquatableArray<UtilityAnalysisSpec>.Empty, EquatableArray<FeasibilitySpec>.Empty, 0, 0, 0, 0, 0, 0, emptyGraph);

        return new FibreSpec(
            fibre.Name,
            sourceFileName,
            indices.ToEquatableArray(),
            parameters.ToEquatableArray(),
            tables.ToEquatableArray(),
            variables.ToEquatableArray(),
            resources.ToEquatableArray(),
            fibre.Rows.Select(static r => r.Value).ToEquatableArray(),
            fibre.Utilities.Select(static u => u.Value).ToEquatableArray(),
            solver,
            fibre.Certificates.Select(static c => c.Value).ToEquatableArray(),
            fibre.Sensors.Select(static s => s.Value).ToEquatableArray(),
            fibre.Actuators.Select(static a => a.Value).ToEquatableArray(),
            fibre.PriceExports.Select(static p => p.Value).ToEquatableArray(),
            fibre.Metrics.Select(static m => m.Value).ToEquatableArray(),
            fibre.Instruments.Select(static i => i.Value).ToEquatableArray(),
            null,
            analysis)
        {
            Classes = fibre.Classes.Select(static c => c.Value).ToEquatableArray(),
            Allowed = fibre.Allowed,
        };
    }
}
