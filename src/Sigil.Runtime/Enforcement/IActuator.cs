using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Runtime.Enforcement;

/// <summary>Carries out actions on processes. Observation (dry-run) unless armed.</summary>
public interface IActuator
{
    /// <summary>True when actions are carried out; false in observation mode, where they are only counted and logged.</summary>
    bool Armed { get; }

    /// <summary>Applies (or, unarmed, records) <paramref name="request"/>.</summary>
    Task<ActionResult> ApplyAsync(ActionRequest request, CancellationToken cancellationToken = default);
}
