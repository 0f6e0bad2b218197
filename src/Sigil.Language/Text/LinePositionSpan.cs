namespace Sigil.Language.Text;

/// <summary>A zero-based line and character position, as Roslyn's LinePosition.</summary>
/// <param name="Line">Zero-based line.</param>
/// <param name="Character">Zero-based column.</param>
public readonly record struct LinePosition(int Line, int Character);

/// <summary>The start and end positions of a span.</summary>
/// <param name="Start">Start position.</param>
/// <param name="End">End position.</param>
public readonly record struct LinePositionSpan(LinePosition Start, LinePosition End);
