using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>A member of a fibre: one declaration or statement, ended by ';' (or '}' for a table).</summary>
internal abstract class MemberSyntax : SyntaxNode
{
    protected MemberSyntax(TextSpan span)
        : base(span)
    {
    }

    /// <summary>True when the parser reported an error inside this member; the binder then declares its name only.</summary>
    public bool ContainsErrors { get; set; }
}
