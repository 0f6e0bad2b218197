// The slice of the Language Server Protocol 3.17 this server speaks, written by hand: no LSP
// protocol-types package is served here. Property names follow the specification through the
// serializer's camel-case policy; absent optional members are null and not written.
namespace Sigil.LanguageServer.Protocol;

internal sealed record Position(int Line, int Character);

internal sealed record Range(Position Start, Position End);

internal sealed record Location(string Uri, Range Range);

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

internal sealed record TextEdit(Range Range, string NewText);

internal sealed record MarkupContent(string Kind, string Value)
{
    public static MarkupContent Markdown(string value) => new("markdown", value);
}
