using System;
using System.CommandLine;
using Sigil.Language.Diagnostics;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil explain SIG1003 [SIG2008 ...]</c>: a diagnostic's help, offline: its section of
/// docs/diagnostics.md (embedded in the compiler), printed as the document has it.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var codes = new Argument<string[]>("code") { Description = "Diagnostic codes, e.g. SIG1003.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("explain", "Print a diagnostic's explanation, a bad example and its fix.") { codes };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var ids = parse.GetValue(codes)!;
            for (var i = 0; i < ids.Length; i++)
            {
                var text = DiagnosticHelp.Get(ids[i])
                    ?? throw new CliException(CliExitCodes.BadInput, $"'{ids[i]}' is not a sigil diagnostic code (codes look like SIG1003; docs/diagnostics.md lists them)");
                Console.Out.Write((i > 0 ? "\n" : string.Empty) + text);
            }

            return CliExitCodes.Ok;
        }));
        return command;
    }
}
