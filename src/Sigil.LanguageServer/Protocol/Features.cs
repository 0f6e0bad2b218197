namespace Sigil.LanguageServer.Protocol;

internal sealed record Hover(MarkupContent Contents, Range? Range);

internal sealed record ReferenceContext(bool IncludeDeclaration);

internal sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

internal sealed record CompletionItem(string Label, int Kind, string? Detail);

internal sealed record CompletionList(bool IsIncomplete, CompletionItem[] Items);

internal sealed record DocumentSymbolParams(TextDocumentIdentifier TextDocument);

internal sealed record DocumentSymbol(string Name, string? Detail, int Kind, Range Range, Range SelectionRange, DocumentSymbol[]? Children);

internal sealed record FormattingOptions(int TabSize, bool InsertSpaces);

internal sealed record DocumentFormattingParams(TextDocumentIdentifier TextDocument, FormattingOptions? Options);
