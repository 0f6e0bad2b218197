using Sigil.Language.Text;

namespace Sigil.Language.Authoring;

/// <summary>The role a declared name plays in a fibre; the sigil a use of it carries follows from it.</summary>
public enum NameRole
{
    /// <summary>The fibre itself.</summary>
    Fibre,

    /// <summary>An index set (<c>index task by pid</c>).</summary>
    IndexSet,

    /// <summary>A parameter (<c>param budget : s = 5</c>).</summary>
    Parameter,

    /// <summary>A table read from a file.</summary>
    Table,

    /// <summary>A column of a table.</summary>
    Column,

    /// <summary>A decision or load variable, written <c>$name</c>.</summary>
    Variable,

    /// <summary>A resource with its budget, written <c>@name</c>.</summary>
    Resource,

    /// <summary>The price of a resource, written <c>^name</c>.</summary>
    Price,

    /// <summary>An exported metric.</summary>
    Metric,
}

/// <summary>
/// A declared name for editors: its role, where it is declared, the statement that declares it,
/// a one-line signature and a Markdown description (unit, bounds, value, table numbers).
/// </summary>
/// <param name="Name">The name without its sigil.</param>
/// <param name="Role">The role.</param>
/// <param name="Span">The declaring identifier's span.</param>
/// <param name="StatementSpan">The declaring statement's span.</param>
/// <param name="Signature">The declaration as sigil text, e.g. <c>param budget : s = 5</c>.</param>
/// <param name="Description">Markdown: role, unit, bounds, values.</param>
/// <param name="Container">The name of the enclosing declaration (a column's table, the fibre), or null for the fibre.</param>
public sealed record NameSymbol(string Name, NameRole Role, TextSpan Span, TextSpan StatementSpan, string Signature, string Description, string? Container)
{
    /// <summary>The name as it is written where used: <c>$hold</c>, <c>@dwell</c>, <c>^dwell</c>, <c>budget</c>.</summary>
    public string SigilName => Role switch
    {
        NameRole.Variable => "$" + Name,
        NameRole.Resource => "@" + Name,
        NameRole.Price => "^" + Name,
        _ => Name,
    };
}

/// <summary>One occurrence of a declared name: its declaration or a use.</summary>
/// <param name="Symbol">The name it denotes.</param>
/// <param name="Span">The identifier's span (without the sigil).</param>
/// <param name="IsDeclaration">True at the declaration.</param>
public sealed record NameOccurrence(NameSymbol Symbol, TextSpan Span, bool IsDeclaration);

/// <summary>The kind of a completion item, mapped by a language server onto its protocol's kinds.</summary>
public enum CompletionKind
{
    /// <summary>A keyword of the language.</summary>
    Keyword,

    /// <summary>A declared name.</summary>
    Name,

    /// <summary>A unit.</summary>
    Unit,

    /// <summary>A function: utility family, sensor, actuator, aggregate, hook.</summary>
    Function,

    /// <summary>A solver method or setting, a certificate, a key.</summary>
    Setting,

    /// <summary>A kernel tracepoint.</summary>
    Tracepoint,
}

/// <summary>A completion proposal.</summary>
/// <param name="Label">The text to insert.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Detail">A short description, or null.</param>
public sealed record CompletionItem(string Label, CompletionKind Kind, string? Detail);
