namespace Sigil.Language.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Information only.</summary>
    Info,

    /// <summary>Suspicious but compiled.</summary>
    Warning,

    /// <summary>Nothing is emitted while a fibre has errors.</summary>
    Error,
}
