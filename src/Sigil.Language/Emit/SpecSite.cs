namespace Sigil.Language.Emit;

/// <summary>The kind of fibre statement a <see cref="SpecSite"/> points at.</summary>
public enum SpecSiteKind
{
    /// <summary>The fibre as a whole (its name).</summary>
    Fibre,

    /// <summary><c>FibreSpec.Indices[Ordinal]</c>.</summary>
    Index,

    /// <summary><c>FibreSpec.Parameters[Ordinal]</c>.</summary>
    Parameter,

    /// <summary><c>FibreSpec.Tables[Ordinal]</c>.</summary>
    Table,

    /// <summary><c>FibreSpec.Variables[Ordinal]</c>.</summary>
    Variable,

    /// <summary><c>FibreSpec.Resources[Ordinal]</c>.</summary>
    Resource,

    /// <summary><c>FibreSpec.Couplings[Ordinal]</c>.</summary>
    Row,

    /// <summary>The <c>solve</c> statement.</summary>
    Solve,

    /// <summary><c>FibreSpec.Sensors[Ordinal]</c>.</summary>
    Sensor,

    /// <summary><c>FibreSpec.Actuators[Ordinal]</c>.</summary>
    Actuator,

    /// <summary><c>FibreSpec.PriceExports[Ordinal]</c>.</summary>
    PriceExport,

    /// <summary><c>FibreSpec.Metrics[Ordinal]</c>.</summary>
    Metric,

    /// <summary><c>FibreSpec.Instruments[Ordinal]</c>.</summary>
    Instrument,
}

/// <summary>
/// A statement of a lowered fibre, named by its list and position in the spec (the spec holds no
/// spans: a comment edit must leave it equal). The compiler maps a site to the statement's span
/// when it reports a backend's limit, so a backend can say where without knowing the source text.
/// </summary>
/// <param name="Kind">Which list of the spec.</param>
/// <param name="Ordinal">The position in that list; 0 for <see cref="SpecSiteKind.Fibre"/> and <see cref="SpecSiteKind.Solve"/>.</param>
public readonly record struct SpecSite(SpecSiteKind Kind, int Ordinal)
{
    /// <summary>The fibre as a whole.</summary>
    public static SpecSite Fibre => new(SpecSiteKind.Fibre, 0);

    /// <summary>The solve statement.</summary>
    public static SpecSite Solve => new(SpecSiteKind.Solve, 0);
}
