namespace Sigil.Runtime.Fibres;

/// <summary>The role a name plays in a fibre, marked in sigil source by its sigil.</summary>
public enum SigilRole
{
    /// <summary>An index set (agents, edits, domains).</summary>
    Index,

    /// <summary><c>$</c>: a decision / load variable.</summary>
    Variable,

    /// <summary><c>@</c>: a resource with a budget.</summary>
    Resource,

    /// <summary><c>^</c>: the price of a resource.</summary>
    Price,

    /// <summary><c>~</c>: a utility.</summary>
    Utility,
}

/// <summary>One entry of a fibre's sigil map: a domain name and the role it plays.</summary>
/// <param name="Role">The role.</param>
/// <param name="Name">The domain name, as written in the fibre.</param>
/// <param name="Detail">The unit (variables, resources) or utility family; empty otherwise.</param>
public sealed record SigilBinding(SigilRole Role, string Name, string Detail);
