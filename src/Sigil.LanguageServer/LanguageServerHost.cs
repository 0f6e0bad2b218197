using System;
using System.IO;
using System.Threading.Tasks;
using StreamJsonRpc;

namespace Sigil.LanguageServer;

/// <summary>Runs the sigil language server over a pair of streams (stdin and stdout for <c>sigil lsp</c>).</summary>
public static class LanguageServerHost
{
    /// <summary>
    /// Serves LSP on <paramref name="input"/> and <paramref name="output"/> (JSON-RPC with
    /// <c>Content-Length</c> headers) until the client sends <c>exit</c> or closes the stream.
    /// Returns 0 after an orderly <c>shutdown</c> then <c>exit</c>, 1 otherwise (the protocol's exit codes).
    /// </summary>
    /// <param name="input">The client's messages.</param>
    /// <param name="output">The server's messages.</param>
    /// <param name="log">Where the server logs (standard error); never the protocol stream.</param>
    public static async Task<int> RunAsync(Stream input, Stream output, TextWriter log)
    {
        var server = new SigilLanguageServer(log);
        var formatter = new SystemTextJsonFormatter();
        SigilLanguageServer.SerializerOptions(formatter.JsonSerializerOptions);
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter));
        rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
        server.Attach(rpc);
        rpc.StartListening();
        try
        {
            await Task.WhenAny(rpc.Completion, server.Exited).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConnectionLostException or IOException or ObjectDisposedException)
        {
            await log.WriteLineAsync("sigil lsp: " + e.Message).ConfigureAwait(false);
        }

        return server.ShutdownRequested ? 0 : 1;
    }
}
