using System.Collections.Generic;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>A bound statement in spec form with the span diagnostics point at.</summary>
internal sealed record Bound<T>(T Value, TextSpan Span);
