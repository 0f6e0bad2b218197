using Sigil.Language.Binding;
using Sigil.Language.Diagnostics;
using Sigil.Language.Emit;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Analysis;

/// <summary>
/// The last analysis: every backend's limits (<see cref="ArtefactEmitter.Check"/>: eBPF maps,
/// sensors, actions and prices, generated C# names, Kubernetes names) on the analysed spec, each
/// reported as its SIG3xxx diagnostic at the statement's span, then the daemon's
/// (<see cref="DaemonShapeAnalysis"/>, SIG3015-SIG3018 warnings). It runs in <c>sigil check</c>, the
/// generator and the build alike (all call <see cref="SigilCompiler"/>), so a spec the compiler
/// returns is one every emitter can emit.
/// </summary>
internal static class TargetLimitAnalyzer
{
    public static void Analyze(FibreSpec spec, BoundFibre bound, DiagnosticBag diagnostics)
    {
        // One diagnostic per code and statement: when two backends refuse the same statement for
        // the same kind of limit (a long fibre name is too long for the eBPF C and for Kubernetes),
        // the first backend's reason is reported, as an error symbol stops a cascade.
        var reported = new System.Collections.Generic.HashSet<(string, SpecSite)>();
        foreach (var problem in ArtefactEmitter.Check(spec))
        {
            if (reported.Add((problem.Descriptor.Id, problem.Site)))
            {
                diagnostics.ReportTargetProblem(SpanOf(problem.Site, bound), problem);
            }
        }

        // The daemon's limits (warnings: a fibre the daemon cannot run still builds and solves),
        // once the backends accept the fibre: a statement they refuse reports nothing more.
        if (reported.Count > 0)
        {
            return;
        }

        foreach (var problem in DaemonShapeAnalysis.Of(spec).Problems)
        {
            if (reported.Add((problem.Descriptor.Id, problem.Site)))
            {
                diagnostics.ReportTargetProblem(SpanOf(problem.Site, bound), problem);
            }
        }
    }

    // The lowerer keeps the bound fibre's order in every list, so a spec ordinal is a bound one.
    private static TextSpan SpanOf(SpecSite site, BoundFibre bound)
    {
        var i = site.Ordinal;
        return site.Kind switch
        {
            SpecSiteKind.Index when i < bound.Indices.Count => bound.Indices[i].Span,
            SpecSiteKind.Parameter when i < bound.Parameters.Count => bound.Parameters[i].Span,
            SpecSiteKind.Table when i < bound.Tables.Count => bound.Tables[i].Span,
            SpecSiteKind.Variable when i < bound.Variables.Count => bound.Variables[i].Span,
            SpecSiteKind.Resource when i < bound.Resources.Count => bound.Resources[i].Span,
            SpecSiteKind.Row when i < bound.Rows.Count => bound.Rows[i].Span,
            SpecSiteKind.Solve when bound.Solve is not null => bound.Solve.Span,
            SpecSiteKind.Sensor when i < bound.Sensors.Count => bound.Sensors[i].Span,
            SpecSiteKind.Actuator when i < bound.Actuators.Count => bound.Actuators[i].Span,
            SpecSiteKind.PriceExport when i < bound.PriceExports.Count => bound.PriceExports[i].Span,
            SpecSiteKind.Metric when i < bound.Metrics.Count => bound.Metrics[i].Span,
            SpecSiteKind.Instrument when i < bound.Instruments.Count => bound.Instruments[i].Span,
            _ => bound.NameSpan,
        };
    }
}
