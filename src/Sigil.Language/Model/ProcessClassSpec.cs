namespace Sigil.Language.Model;

/// <summary>
/// A class of processes with a weight on every event they cause
/// (<c>class archivers: exe "/usr/bin/gzip" weight 0.1;</c>): 0.1 gives them ten times the budget,
/// 0 leaves them unpriced. Value-equatable.
/// </summary>
/// <param name="Name">The class's name.</param>
/// <param name="Weight">The weight, in [0, 1000].</param>
/// <param name="Members">Its executables and cgroups.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record ProcessClassSpec(string Name, double Weight, ProcessSetSpec Members, string Statement);
