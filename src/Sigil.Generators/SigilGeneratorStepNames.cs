namespace Sigil.Generators;

/// <summary>Tracking names of the generator's pipeline steps, for incremental-run tests.</summary>
public static class SigilGeneratorStepNames
{
    /// <summary>Tables (*.csv AdditionalFiles) collected by path.</summary>
    public const string Tables = nameof(Tables);

    /// <summary>Each fibre compiled: spec and diagnostics.</summary>
    public const string Compile = nameof(Compile);

    /// <summary>Each fibre's diagnostics.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>Each fibre's spec with the generation options: the input of emission.</summary>
    public const string Spec = nameof(Spec);
}
