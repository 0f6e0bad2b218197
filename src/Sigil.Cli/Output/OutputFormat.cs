namespace Sigil.Cli.Output;

/// <summary>How a command prints its results: <c>--format text|json|csv</c> (<see cref="FormatOption"/>).</summary>
internal enum OutputFormat
{
    /// <summary>For people: tables, colour on a terminal (see <see cref="Terminal"/>), plain text otherwise.</summary>
    Text,

    /// <summary>One JSON document on standard output, for programs.</summary>
    Json,

    /// <summary>Comma-separated rows, for commands whose results are a table.</summary>
    Csv,
}
