using System.Collections.Generic;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>
/// The binder's result: symbols and bound statements, each statement already in its spec shape
/// and paired with the span later stages report at. The lowerer turns it into a FibreSpec.
/// </summary>
internal sealed class BoundFibre
{
    public BoundFibre(string name, TextSpan nameSpan)
    {
        Name = name;
        NameSpan = nameSpan;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public List<IndexSymbol> Indices { get; } = new();

    public List<ParameterSymbol> Parameters { get; } = new();

    public List<TableSymbol> Tables { get; } = new();

    public List<VariableSymbol> Variables { get; } = new();

    public List<ResourceSymbol> Resources { get; } = new();

    public List<Bound<CouplingSpec>> Rows { get; } = new();

    public List<Bound<UtilitySpec>> Utilities { get; } = new();

    public BoundSolve? Solve { get; set; }

    public List<Bound<CertificateKind>> Certificates { get; } = new();

    public List<Bound<SensorSpec>> Sensors { get; } = new();

    public List<Bound<ActuatorSpec>> Actuators { get; } = new();

    public List<Bound<PriceExportSpec>> PriceExports { get; } = new();

    public List<Bound<MetricSpec>> Metrics { get; } = new();

    public List<Bound<InstrumentSpec>> Instruments { get; } = new();

    public List<Bound<ProcessClassSpec>> Classes { get; } = new();

    /// <summary>The allow statements' processes, merged.</summary>
    public ProcessSetSpec Allowed { get; set; } = ProcessSetSpec.Empty;

    /// <summary>Spans of variable declarations' bounds, for the analyses' reports.</summary>
    public Dictionary<string, TextSpan> VariableSpans { get; } = new();
}
