namespace Sigil.Language.Model;

/// <summary>A named parameter (<c>param budget : s = 5.0;</c>). Value-equatable.</summary>
/// <param name="Name">Validated identifier.</param>
/// <param name="Unit">Its unit.</param>
/// <param name="Value">Its value, folded at compile time.</param>
public sealed record ParameterSpec(string Name, UnitSpec Unit, double Value);
