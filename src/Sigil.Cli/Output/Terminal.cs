using System;
using Spectre.Console;

namespace Sigil.Cli.Output;

/// <summary>
/// The console the text format writes to. Escape sequences (colour, bold, progress, cursor
/// movement) only go to a terminal, and never when <c>NO_COLOR</c> is set (no-color.org: any
/// non-empty value); otherwise the output is plain text, one line per row, not wrapped at 80
/// columns.
/// </summary>
internal static class Terminal
{
    private static readonly Lazy<IAnsiConsole> s_out = new(() => Create(Console.Out, Console.IsOutputRedirected));

    /// <summary>Standard output, set up as described above.</summary>
    public static IAnsiConsole Out => s_out.Value;

    /// <summary>True when standard output gets escape sequences (a terminal, and no NO_COLOR).</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && !NoColor;

    /// <summary>True when the environment asks for no colour (and, here, no other styling either).</summary>
    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>A console over <paramref name="writer"/>: styled only when it is a terminal and NO_COLOR is unset.</summary>
    public static IAnsiConsole Create(System.IO.TextWriter writer, bool redirected)
    {
        var styled = !redirected && !NoColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = styled ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = styled ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = styled ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (redirected)
        {
            // A pipe has no width: rows stay whole rather than wrapping at Spectre's default 80.
            console.Profile.Width = 4096;
        }

        return console;
    }
}
