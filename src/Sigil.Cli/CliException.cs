using System;

namespace Sigil.Cli;

/// <summary>A failure reported to the user as one clear line and an exit code, never a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }

    /// <summary>A command whose dependency has not landed: "not available yet: needs X".</summary>
    public static CliException NotAvailable(string what, string needs) =>
        new(CliExitCodes.NotAvailable, $"{what}: not available yet: needs {needs}");
}
