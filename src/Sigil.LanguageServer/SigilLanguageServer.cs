using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Sigil.Language.Authoring;
using Sigil.Language.Diagnostics;
using Sigil.LanguageServer.Protocol;
using StreamJsonRpc;
using LinePosition = Sigil.Language.Text.LinePosition;
using TextSpan = Sigil.Language.Text.TextSpan;

namespace Sigil.LanguageServer;

/// <summary>
/// The LSP methods: each turns a request into a call on the compiler's authoring API
/// (<see cref="SigilDocument"/>) and its answer into protocol types. Every answer comes from the
/// compilation of the newest text; diagnostics are pushed when a compilation finishes.
/// </summary>
internal sealed class SigilLanguageServer
{
    private readonly DocumentStore _documents;
    private readonly TextWriter _log;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonRpc? _rpc;

    public SigilLanguageServer(TextWriter log)
    {
        _log = log;
        _documents = new DocumentStore(Publish);
    }

    /// <summary>True once the client has asked the server to shut down.</summary>
    public bool ShutdownRequested { get; private set; }

    /// <summary>Completes when the client sends <c>exit</c>.</summary>
    public Task Exited => _exited.Task;

    public void Attach(JsonRpc rpc) => _rpc = rpc;

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Initialize(InitializeParams parameters)
    {
        _ = parameters;
        var version = typeof(SigilLanguageServer).Assembly.GetName().Version?.ToString(3);
        return new InitializeResult(
            new ServerCapabilities(
                TextDocumentSync: 1,
                HoverProvider: true,
                DefinitionProvider: true,
                ReferencesProvider: true,
                DocumentSymbolProvider: true,
                DocumentFormattingProvider: true,
                CompletionProvider: new CompletionOptions(new[] { "$", "@", "^", ":", "(", " " })),
            new ServerInfo("sigil", version));
    }

    [JsonRpcMethod("initialized")]
    public void Initialized()
    {
    }

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        ShutdownRequested = true;
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => _exited.TrySetResult();

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams parameters) =>
        _documents.Update(parameters.TextDocument.Uri, parameters.TextDocument.Version, parameters.TextDocument.Text);

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams parameters)
    {
        var uri = parameters.TextDocument.Uri;
        var text = _documents.TextOf(uri) ?? string.Empty;
        foreach (var change in parameters.ContentChanges)
        {
            text = change.Range is null ? change.Text : Apply(text, change.Range, change.Text);
        }

        _documents.Update(uri, parameters.TextDocument.Version, text);
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams parameters)
    {
        _documents.Close(parameters.TextDocument.Uri);
        _ = SendAsync(new PublishDiagnosticsParams(parameters.TextDocument.Uri, null, Array.Empty<Protocol.Diagnostic>()));
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public async Task<Hover?> HoverAsync(TextDocumentPositionParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        var position = document.GetPosition(ToLinePosition(parameters.Position));
        var parts = new List<string>();
        Protocol.Range? range = null;
        if (document.OccurrenceAt(position) is { } occurrence)
        {
            parts.Add("```sigil\n" + occurrence.Symbol.Signature + "\n```\n\n" + occurrence.Symbol.Description);
            range = ToRange(document, occurrence.Span);
        }

        foreach (var diagnostic in document.Result.Diagnostics.Where(d => d.Span.Start <= position && position <= d.Span.End))
        {
            parts.Add("**" + diagnostic.Id + "**: " + diagnostic.Message + "\n\n" + (DiagnosticHelp.Summary(diagnostic.Id) ?? string.Empty) + "\n\nMore: `sigil explain " + diagnostic.Id + "`");
            range ??= ToRange(document, diagnostic.Span);
        }

        return parts.Count == 0 ? null : new Hover(MarkupContent.Markdown(string.Join("\n\n---\n\n", parts)), range);
    }

    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public async Task<Location[]> DefinitionAsync(TextDocumentPositionParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document?.OccurrenceAt(document.GetPosition(ToLinePosition(parameters.Position))) is not { } occurrence)
        {
            return Array.Empty<Location>();
        }

        return new[] { new Location(parameters.TextDocument.Uri, ToRange(document, occurrence.Symbol.Span)) };
    }

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public async Task<Location[]> ReferencesAsync(ReferenceParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document?.OccurrenceAt(document.GetPosition(ToLinePosition(parameters.Position))) is not { } occurrence)
        {
            return Array.Empty<Location>();
        }

        var includeDeclaration = parameters.Context?.IncludeDeclaration ?? true;
        return document.OccurrencesOf(occurrence.Symbol)
            .Where(o => includeDeclaration || !o.IsDeclaration)
            .Select(o => new Location(parameters.TextDocument.Uri, ToRange(document, o.Span)))
            .ToArray();
    }

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public async Task<CompletionList> CompletionAsync(TextDocumentPositionParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document is null)
        {
            return new CompletionList(false, Array.Empty<Protocol.CompletionItem>());
        }

        var items = document.Complete(document.GetPosition(ToLinePosition(parameters.Position)))
            .Select(static i => new Protocol.CompletionItem(i.Label, CompletionItemKind(i.Kind), i.Detail))
            .ToArray();
        return new CompletionList(false, items);
    }

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public async Task<DocumentSymbol[]> DocumentSymbolAsync(DocumentSymbolParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document is null || document.Symbols.Count == 0)
        {
            return Array.Empty<DocumentSymbol>();
        }

        DocumentSymbol Build(NameSymbol symbol)
        {
            var children = document.Symbols.Where(s => s.Container == symbol.Name && s.Role != NameRole.Fibre && (symbol.Role == NameRole.Fibre ? s.Role != NameRole.Column : symbol.Role == NameRole.Table))
                .Select(Build).ToArray();
            return new DocumentSymbol(symbol.SigilName, symbol.Signature, SymbolKind(symbol.Role), ToRange(document, symbol.StatementSpan), ToRange(document, symbol.Span), children.Length == 0 ? null : children);
        }

        var fibre = document.Symbols[0];
        return new[] { Build(fibre) };
    }

    [JsonRpcMethod("textDocument/formatting", UseSingleObjectParameterDeserialization = true)]
    public async Task<TextEdit[]> FormattingAsync(DocumentFormattingParams parameters)
    {
        var document = await _documents.GetAsync(parameters.TextDocument.Uri).ConfigureAwait(false);
        if (document is null)
        {
            return Array.Empty<TextEdit>();
        }

        var indent = parameters.Options is { InsertSpaces: true, TabSize: > 0 and <= 16 } options ? options.TabSize : 4;
        var formatted = document.Format(indent);
        if (formatted == document.Source.Text)
        {
            return Array.Empty<TextEdit>();
        }

        var whole = new TextSpan(0, document.Source.Text.Length);
        return new[] { new TextEdit(ToRange(document, whole), formatted) };
    }

    private void Publish(OpenDocument document, SigilDocument analysed)
    {
        if (document.Text != analysed.Source.Text)
        {
            return;
        }

        var diagnostics = analysed.Result.Diagnostics.Select(d => new Protocol.Diagnostic(
            new Protocol.Range(ToPosition(d.LineSpan.Start), ToPosition(d.LineSpan.End)),
            d.Severity switch
            {
                DiagnosticSeverity.Error => 1,
                DiagnosticSeverity.Warning => 2,
                _ => 3,
            },
            d.Id,
            "sigil",
            d.Message)).ToArray();
        _ = SendAsync(new PublishDiagnosticsParams(document.Uri, document.Version, diagnostics));
    }

    private async Task SendAsync(PublishDiagnosticsParams parameters)
    {
        try
        {
            if (_rpc is { IsDisposed: false } rpc)
            {
                await rpc.NotifyWithParameterObjectAsync("textDocument/publishDiagnostics", parameters).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or ConnectionLostException or IOException)
        {
            await _log.WriteLineAsync("sigil lsp: diagnostics not sent: " + e.Message).ConfigureAwait(false);
        }
    }

    private static string Apply(string text, Protocol.Range range, string replacement)
    {
        var start = Offset(text, range.Start);
        var end = Math.Max(start, Offset(text, range.End));
        return text.Substring(0, start) + replacement + text.Substring(end);
    }

    private static int Offset(string text, Position position)
    {
        var offset = 0;
        for (var line = 0; line < position.Line; line++)
        {
            var next = text.IndexOf('\n', offset);
            if (next < 0)
            {
                return text.Length;
            }

            offset = next + 1;
        }

        var lineEnd = text.IndexOf('\n', offset);
        return Math.Min(offset + Math.Max(0, position.Character), lineEnd < 0 ? text.Length : lineEnd);
    }

    private static LinePosition ToLinePosition(Position position) => new(position.Line, position.Character);

    private static Position ToPosition(LinePosition position) => new(position.Line, position.Character);

    private static Protocol.Range ToRange(SigilDocument document, TextSpan span) =>
        new(ToPosition(document.GetLinePosition(span.Start)), ToPosition(document.GetLinePosition(span.End)));

    private static int CompletionItemKind(CompletionKind kind) => kind switch
    {
        CompletionKind.Keyword => 14,
        CompletionKind.Name => 6,
        CompletionKind.Unit => 11,
        CompletionKind.Function => 3,
        CompletionKind.Setting => 10,
        CompletionKind.Tracepoint => 23,
        _ => 1,
    };

    private static int SymbolKind(NameRole role) => role switch
    {
        NameRole.Fibre => 2,
        NameRole.IndexSet => 10,
        NameRole.Parameter => 14,
        NameRole.Table => 23,
        NameRole.Column => 8,
        NameRole.Variable => 13,
        NameRole.Resource => 7,
        NameRole.Price => 16,
        NameRole.Metric => 24,
        _ => 13,
    };

    internal static JsonSerializerOptions SerializerOptions(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        options.PropertyNameCaseInsensitive = true;
        return options;
    }
}
