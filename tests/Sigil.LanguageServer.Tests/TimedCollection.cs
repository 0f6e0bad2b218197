namespace Sigil.LanguageServer.Tests;

/// <summary>
/// The session test measures answer times; the fuzz test would take the machine's cores from
/// under it, so the two never run at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TimedCollection
{
    public const string Name = "Timed";
}
