using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>A resource read in a row: <c>@llc[d]</c>.</summary>
internal sealed record ResourceReference(ResourceSymbol Resource, ImmutableArray<string> Subscript, ValueSpec Coefficient, bool InSum, TextSpan Span);
