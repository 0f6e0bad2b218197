using System;
using System.CommandLine;
using System.Threading.Tasks;
using Sigil.Cli.Commands;

namespace Sigil.Cli;

/// <summary>
/// The <c>sigil</c> command: check, emit, solve, model, run, demo, prove, explain, thaw, sites, lsp (and hidden workload
/// subcommands used by the demo and the tests). Every failure is one clear line on standard error
/// and a non-zero exit code; no stack trace reaches the user.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("Sigil: compile and run resource-control fibres.")
        {
            CheckCommand.Create(),
            EmitCommand.Create(),
            SolveCommand.Create(),
            ModelCommand.Create(),
            RunCommand.Create(),
            DemoCommand.Create(),
            ProveCommand.Create(),
            ExplainCommand.Create(),
            ThawCommand.Create(),
            SitesCommand.Create(),
            LspCommand.Create(),
            WorkloadCommand.Create(),
        };

        // The daemon's host handles SIGTERM and Ctrl+C itself (graceful stop, final checkpoint);
        // the parser must not cut that short.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        try
        {
            return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync("error: internal: " + e.Message).ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
    }
}
