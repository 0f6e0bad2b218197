namespace Sigil.Language.Analysis;

/// <summary>What the daemon (<c>sigil run</c>) does with a fibre.</summary>
public enum DaemonShapeKind
{
    /// <summary>The fibre senses nothing: it is solved (<c>sigil solve</c>), not run.</summary>
    Offline,

    /// <summary>
    /// Per-agent rows loaded by one sensed variable, priced online by the dual update at every
    /// sample (<c>solve dual { online; }</c>); the kernel keeps the price when it can.
    /// </summary>
    OnlineRows,

    /// <summary>
    /// Per-agent rows loaded by a sensed variable and decided variables, solved each period by
    /// penalty or ADMM with the sensed loads as data.
    /// </summary>
    PeriodicRows,

    /// <summary>Threads placed over a static index of domains, solved by ADMM each placement period.</summary>
    Placement,

    /// <summary>Process trees priced in the kernel from file-behaviour rates.</summary>
    Behaviour,

    /// <summary>A sensed fibre of no shape the daemon runs (see <see cref="DaemonShape.Problems"/>).</summary>
    None,
}
