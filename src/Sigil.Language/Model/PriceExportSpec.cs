namespace Sigil.Language.Model;

/// <summary>A price exported by name (<c>^dwell -&gt; map price_dwell;</c>). Value-equatable.</summary>
/// <param name="Resource">The resource whose price is exported.</param>
/// <param name="MapName">The exported name: the BPF map's name; a validated C identifier of at most 15 characters.</param>
public sealed record PriceExportSpec(string Resource, string MapName);
