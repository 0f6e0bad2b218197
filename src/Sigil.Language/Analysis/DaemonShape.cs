using Sigil.Language.Emit;
using Sigil.Language.Model;

namespace Sigil.Language.Analysis;

/// <summary>
/// The daemon's reading of a fibre, decided once beside the model (<see cref="DaemonShapeAnalysis"/>):
/// its shape, the agents' index, and the limits it exceeds, each a SIG3015-SIG3018 warning at its
/// statement. The compiler reports the problems (<c>sigil check</c>, the generator, the build);
/// <c>sigil run</c> refuses a fibre with any and builds the daemon's fibre from the shape.
/// Value-equatable: strings, enums and equatable arrays only.
/// </summary>
/// <param name="Kind">The shape.</param>
/// <param name="AgentIndex">The dynamic index whose members are the agents; null when offline or none.</param>
/// <param name="Problems">Why the daemon cannot run the fibre as written; empty when it can.</param>
public sealed record DaemonShape(DaemonShapeKind Kind, string? AgentIndex, EquatableArray<TargetProblem> Problems)
{
    /// <summary>True when <c>sigil run</c> runs the fibre.</summary>
    public bool Runs => Kind != DaemonShapeKind.Offline && Kind != DaemonShapeKind.None && Problems.IsEmpty;
}
