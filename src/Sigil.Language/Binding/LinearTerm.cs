using System.Collections.Generic;
using System.Collections.Immutable;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary><c>coefficient * $variable[subscript]</c> inside the sums <see cref="Sums"/> (outermost first).</summary>
internal sealed record LinearTerm(ValueSpec Coefficient, VariableSymbol Variable, ImmutableArray<string> Subscript, ImmutableArray<IndexVariable> Sums, TextSpan Span);
