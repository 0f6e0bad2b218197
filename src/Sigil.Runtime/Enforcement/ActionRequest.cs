using System.Collections.Generic;

namespace Sigil.Runtime.Enforcement;

/// <summary>How an action ended.</summary>
public enum ActionStatus
{
    /// <summary>Done.</summary>
    Applied,

    /// <summary>Observation mode: the action was counted and logged, not done.</summary>
    WouldApply,

    /// <summary>The guard refused the process.</summary>
    Refused,

    /// <summary>The system refused (no privilege, process vanished mid-way).</summary>
    Failed,
}

/// <summary>A request to act on one process.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Pid">The task id.</param>
/// <param name="Reason">Why, for logs: the price and the rule that fired.</param>
/// <param name="Cpus">The CPUs of an <see cref="ActionKind.Affinity"/> action.</param>
public sealed record ActionRequest(ActionKind Kind, int Pid, string Reason, IReadOnlyList<int>? Cpus = null);

/// <summary>The outcome of an <see cref="ActionRequest"/>.</summary>
/// <param name="Request">The request.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Detail">A sentence for logs.</param>
/// <param name="Refusal">The guard's reason when refused.</param>
/// <param name="Target">The process acted on (or that would have been), when the guard allowed it.</param>
public sealed record ActionResult(ActionRequest Request, ActionStatus Status, string Detail, RefusalReason Refusal = RefusalReason.None, ProcessTarget? Target = null);
