namespace Sigil.Runtime.Solvers;

/// <summary>The concave utility families with a closed-form agent step (one per agent in <c>MixedAgents</c>).</summary>
public enum UtilityKind : byte
{
    /// <summary><c>w log(x + eps)</c>; step <c>x = w / q - eps</c>.</summary>
    Log = 0,

    /// <summary><c>w (x + eps)^(1 - a) / (1 - a)</c>, <c>a &gt; 0, a != 1</c>; step <c>x = (w / q)^(1/a) - eps</c>.</summary>
    AlphaFair = 1,

    /// <summary><c>w x - (k / 2) x^2</c>, <c>k &gt; 0</c>; step <c>x = (w - q) / k</c>.</summary>
    Quadratic = 2,

    /// <summary><c>w x</c>; step: the upper bound when <c>w &gt; q</c>, else the lower bound.</summary>
    Linear = 3,
}
