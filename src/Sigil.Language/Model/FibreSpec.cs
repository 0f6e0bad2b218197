namespace Sigil.Language.Model;

/// <summary>
/// The lowered fibre: everything every backend (C#, eBPF C, LLVM C++, Coq, YAML) needs, and
/// nothing else. Emitters read only this model; analyses are computed once, by the compiler, and
/// stored in <see cref="Analysis"/> so that no backend recomputes them.
/// </summary>
/// <remarks>
/// Equality contract: the spec and every spec it holds are records of strings, numbers, enums,
/// nested specs and <see cref="EquatableArray{T}"/>; two specs compiled from texts that differ only
/// in comments and white space are equal. It holds no Roslyn symbol, syntax node, source text or
/// ANTLR tree, and no absolute path: statements are quoted as text, never as line numbers.
/// </remarks>
/// <param name="Name">The fibre's name: a validated identifier, safe in every target language.</param>
/// <param name="SourceFileName">The file name of the fibre (no directory), for headers.</param>
/// <param name="Indices">Index sets, in declaration order.</param>
/// <param name="Parameters">Named parameters with their values.</param>
/// <param name="Tables">Data tables read from files beside the fibre.</param>
/// <param name="Variables">Decision / load variables ($).</param>
/// <param name="Resources">Resources (@) with budgets.</param>
/// <param name="Couplings">Rows of A, normalised to <c>sum terms (&lt;= | ==) rhs</c>.</param>
/// <param name="Utilities">One concave utility per variable family.</param>
/// <param name="Solver">The decomposition and its settings.</param>
/// <param name="Certificates">The certificates the fibre asks for.</param>
/// <param name="Sensors">Kernel sensors for sensed (online) loads.</param>
/// <param name="Actuators">Actions taken when a price crosses a threshold.</param>
/// <param name="PriceExports">Prices exported by name (the kernel price map).</param>
/// <param name="Metrics">Exported metrics.</param>
/// <param name="Instruments">LLVM instrumentation points.</param>
/// <param name="FixedPoint">The kernel's fixed-point arithmetic, when a price lives in the kernel.</param>
/// <param name="Analysis">Results of the compiler's analyses.</param>
public sealed record FibreSpec(
    string Name,
    string SourceFileName,
    EquatableArray<IndexSpec> Indices,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<TableSpec> Tables,
    EquatableArray<VariableSpec> Variables,
    EquatableArray<ResourceSpec> Resources,
    EquatableArray<CouplingSpec> Couplings,
    EquatableArray<UtilitySpec> Utilities,
    SolverSpec Solver,
    EquatableArray<CertificateKind> Certificates,
    EquatableArray<SensorSpec> Sensors,
    EquatableArray<ActuatorSpec> Actuators,
    EquatableArray<PriceExportSpec> PriceExports,
    EquatableArray<MetricSpec> Metrics,
    EquatableArray<InstrumentSpec> Instruments,
    FixedPointSpec? FixedPoint,
    AnalysisSpec Analysis)
{
    /// <summary>Classes of processes by executable or cgroup, each with a weight on its events (behaviour fibres).</summary>
    public EquatableArray<ProcessClassSpec> Classes { get; init; } = EquatableArray<ProcessClassSpec>.Empty;

    /// <summary>Processes never signalled nor frozen, by executable or cgroup (behaviour fibres): every allow statement's.</summary>
    public ProcessSetSpec Allowed { get; init; } = ProcessSetSpec.Empty;
}
