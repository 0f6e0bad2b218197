namespace Sigil.Language.Model;

/// <summary>What an actuator does.</summary>
public enum ActuatorKind
{
    /// <summary>Limit the agent's CPU through its cgroup (argument <c>cpu</c>, a fraction).</summary>
    Throttle,

    /// <summary>Kill the agent (in the kernel where the fibre keeps the price there).</summary>
    Kill,

    /// <summary>Set CPU affinity from the placement (cache fibres).</summary>
    Affinity,

    /// <summary>
    /// Freeze the agent, reversibly: the kernel stops the process at its damaging event (SIGSTOP)
    /// and the daemon freezes every task of the agent through the cgroup v2 freezer until an
    /// operator thaws it (<c>sigil thaw</c>). Behaviour fibres (agents by tree) only.
    /// </summary>
    Freeze,
}

/// <summary>A named numeric argument of a call (<c>cpu = 20%</c> is <c>cpu</c>, 0.2).</summary>
/// <param name="Name">Validated identifier.</param>
/// <param name="Value">The value; percentages are fractions.</param>
public sealed record ArgumentSpec(string Name, double Value);

/// <summary>An action taken when a price crosses a threshold (<c>act kill when ^dwell[t] &gt;= 15;</c>). Value-equatable.</summary>
/// <param name="Kind">The action.</param>
/// <param name="Resource">The resource whose price is compared.</param>
/// <param name="Threshold">The price at or above which the action applies.</param>
/// <param name="Arguments">Named arguments.</param>
/// <param name="Statement">The fibre statement, quoted verbatim.</param>
public sealed record ActuatorSpec(
    ActuatorKind Kind,
    string Resource,
    double Threshold,
    EquatableArray<ArgumentSpec> Arguments,
    string Statement);
