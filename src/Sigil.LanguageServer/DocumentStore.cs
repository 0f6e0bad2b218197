using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Sigil.Language;
using Sigil.Language.Authoring;

namespace Sigil.LanguageServer;

/// <summary>
/// The open documents. Each change starts a compilation of the new text on the thread pool and
/// cancels the one before; a request waits for the newest text's compilation, so it never answers
/// from a stale tree, and the keystroke that triggered it is not held up by the compiler.
/// </summary>
internal sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, OpenDocument> _documents = new(StringComparer.Ordinal);
    private readonly Action<OpenDocument, SigilDocument> _analysed;

    public DocumentStore(Action<OpenDocument, SigilDocument> analysed) => _analysed = analysed;

    /// <summary>Opens or replaces the text of <paramref name="uri"/>.</summary>
    public void Update(string uri, int version, string text)
    {
        var document = _documents.GetOrAdd(uri, static u => new OpenDocument(u));
        lock (document)
        {
            document.Cancellation?.Cancel();
            var cancellation = new CancellationTokenSource();
            document.Cancellation = cancellation;
            document.Version = version;
            document.Text = text;
            var source = new SourceFile(document.Path ?? uri, text);
            var folder = document.Path is null ? null : System.IO.Path.GetDirectoryName(document.Path);
            document.Analysis = Task.Run(
                () =>
                {
                    var analysed = SigilDocument.Analyze(source, relative => folder is null ? null : Sigil.Build.FibreFiles.ReadTable(folder, relative), cancellationToken: cancellation.Token);
                    _analysed(document, analysed);
                    return analysed;
                },
                cancellation.Token);
        }
    }

    public void Close(string uri)
    {
        if (_documents.TryRemove(uri, out var document))
        {
            document.Cancellation?.Cancel();
        }
    }

    public string? TextOf(string uri) => _documents.TryGetValue(uri, out var document) ? document.Text : null;

    /// <summary>The compilation of the newest text of <paramref name="uri"/>, or null when it is not open.</summary>
    public async Task<SigilDocument?> GetAsync(string uri)
    {
        while (_documents.TryGetValue(uri, out var document))
        {
            Task<SigilDocument>? analysis;
            lock (document)
            {
                analysis = document.Analysis;
            }

            if (analysis is null)
            {
                return null;
            }

            try
            {
                return await analysis.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Superseded by a newer text: wait for that one.
            }
        }

        return null;
    }
}

/// <summary>One open document: its newest text and the compilation of it.</summary>
internal sealed class OpenDocument
{
    public OpenDocument(string uri)
    {
        Uri = uri;
        Path = FilePath(uri);
    }

    public string Uri { get; }

    /// <summary>The local file path of a <c>file:</c> URI (tables are read beside it), else null.</summary>
    public string? Path { get; }

    public int Version { get; set; }

    public string Text { get; set; } = string.Empty;

    public Task<SigilDocument>? Analysis { get; set; }

    public CancellationTokenSource? Cancellation { get; set; }

    private static string? FilePath(string uri) =>
        System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : null;
}
