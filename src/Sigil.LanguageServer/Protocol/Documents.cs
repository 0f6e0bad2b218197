namespace Sigil.LanguageServer.Protocol;

internal sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

/// <summary>A change; with full sync only <see cref="Text"/> matters, a range edits part of the text.</summary>
internal sealed record TextDocumentContentChangeEvent(Range? Range, string Text);

internal sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record Diagnostic(Range Range, int Severity, string Code, string Source, string Message);

internal sealed record PublishDiagnosticsParams(string Uri, int? Version, Diagnostic[] Diagnostics);
