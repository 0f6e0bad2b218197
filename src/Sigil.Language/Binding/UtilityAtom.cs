using System.Collections.Generic;
using Sigil.Language.Model;

namespace Sigil.Language.Binding;

/// <summary><c>Coefficient * log(x + Offset)</c> (<see cref="IsLog"/>) or <c>Coefficient * (x + Offset)^Exponent</c>.</summary>
internal sealed record UtilityAtom(bool IsLog, ValueSpec Coefficient, ValueSpec Offset, double Exponent);
