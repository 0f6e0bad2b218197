using System;

namespace Sigil.Cli;

/// <summary>A failure reported to the user as one clear line and an exit code, never a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }
}
