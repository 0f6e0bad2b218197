using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Sigil.Language.Text;

namespace Sigil.Language.Syntax;

/// <summary>An immutable node of sigil's syntax tree: a kind, a span and children (tokens or nodes).</summary>
internal abstract class SyntaxNode
{
    // The child properties of each node type, looked up once (editors walk trees on every keystroke).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<System.Type, PropertyInfo[]> s_properties = new();

    protected SyntaxNode(TextSpan span) => Span = span;

    public abstract SyntaxKind Kind { get; }

    public TextSpan Span { get; }

    /// <summary>Children in source order: every node and token property, lists flattened, nulls skipped.</summary>
    public IEnumerable<SyntaxNode> GetChildren()
    {
        var properties = s_properties.GetOrAdd(GetType(), static type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(static p => p.DeclaringType != typeof(SyntaxNode) && p.Name != nameof(Span) && p.Name != nameof(Kind))
            .ToArray());
        var children = new List<SyntaxNode>();
        foreach (var property in properties)
        {
            var value = property.GetValue(this);
            if (value is SyntaxNode node)
            {
                children.Add(node);
            }
            else if (value is IEnumerable list and not string)
            {
                if (value is ImmutableArray<SyntaxToken> { IsDefault: true })
                {
                    continue;
                }

                children.AddRange(list.OfType<SyntaxNode>());
            }
        }

        return children.OrderBy(static c => c.Span.Start);
    }

    /// <summary>The tokens under this node, in source order.</summary>
    public IEnumerable<SyntaxToken> DescendantTokens()
    {
        if (this is SyntaxToken token)
        {
            yield return token;
            yield break;
        }

        foreach (var child in GetChildren())
        {
            foreach (var t in child.DescendantTokens())
            {
                yield return t;
            }
        }
    }

    public override string ToString() => Kind + " " + Span;
}
