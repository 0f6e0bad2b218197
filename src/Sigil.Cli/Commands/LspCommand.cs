using System;
using System.CommandLine;
using Sigil.LanguageServer;

namespace Sigil.Cli.Commands;

/// <summary><c>sigil lsp</c>: the language server, LSP over standard input and output (docs/editors.md).</summary>
internal static class LspCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak LSP over standard input and output (the default and only transport; accepted for clients that pass it)." };
        var command = new Command("lsp", "Run the sigil language server over standard input and output.") { stdio };
        command.SetAction(async (_, _) => await LanguageServerHost.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error).ConfigureAwait(false));
        return command;
    }
}
