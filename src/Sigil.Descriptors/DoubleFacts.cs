namespace Sigil.Descriptors;

/// <summary><c>double.IsFinite</c>, which netstandard2.0 lacks.</summary>
internal static class DoubleFacts
{
    public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
}
