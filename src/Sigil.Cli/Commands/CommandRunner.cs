using System;
using System.IO;
using System.Threading.Tasks;

namespace Sigil.Cli.Commands;

/// <summary>Runs a command body and turns every failure into a message and an exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return CliExitCodes.Environment;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"error: internal: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return CliExitCodes.Failed;
        }
    }

    public static int Run(Func<int> body) => RunAsync(() => Task.FromResult(body())).GetAwaiter().GetResult();
}
