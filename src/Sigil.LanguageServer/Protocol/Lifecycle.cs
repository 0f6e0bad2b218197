using System.Text.Json;

namespace Sigil.LanguageServer.Protocol;

internal sealed record InitializeParams(int? ProcessId, string? RootUri, JsonElement? Capabilities);

internal sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

internal sealed record ServerInfo(string Name, string? Version);

/// <summary>What the server offers. Text sync 1 = the client sends the whole text on each change.</summary>
internal sealed record ServerCapabilities(
    int TextDocumentSync,
    bool HoverProvider,
    bool DefinitionProvider,
    bool ReferencesProvider,
    bool DocumentSymbolProvider,
    bool DocumentFormattingProvider,
    CompletionOptions CompletionProvider);

internal sealed record CompletionOptions(string[] TriggerCharacters);
