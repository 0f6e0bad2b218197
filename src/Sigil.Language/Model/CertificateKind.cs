namespace Sigil.Language.Model;

/// <summary>Certificates a fibre can request with <c>certify</c>.</summary>
public enum CertificateKind
{
    /// <summary>Bounded Lyapunov drift of the projected dual update (<c>lyapunov</c>).</summary>
    Lyapunov,

    /// <summary>The step is below the stability bound 2/L (<c>step</c>).</summary>
    StepBound,

    /// <summary>Detection and recovery bounds of the price update (<c>detection</c>).</summary>
    Detection,

    /// <summary>ADMM's monotone Lyapunov function (<c>admm</c>).</summary>
    Admm,

    /// <summary>Chordality of the resource dependence graph, with a perfect elimination ordering (<c>chordal</c>).</summary>
    Chordal,
}
