using System;
using System.CommandLine;
using System.Linq;

namespace Sigil.Cli.Output;

/// <summary>
/// The one <c>--format</c> option every command that prints results shares. A command names the
/// formats it can write (text and json always; csv where its results are one table), so help and
/// the parser's error both list exactly those.
/// </summary>
internal static class FormatOption
{
    /// <summary>A <c>--format</c> option accepting <see cref="OutputFormat.Text"/>, <see cref="OutputFormat.Json"/> and <paramref name="more"/>.</summary>
    public static Option<OutputFormat> Create(params OutputFormat[] more)
    {
        var allowed = new[] { OutputFormat.Text, OutputFormat.Json }.Concat(more).Distinct().ToArray();
        var names = allowed.Select(Name).ToArray();
        var option = new Option<OutputFormat>("--format")
        {
            Description = "Output: " + string.Join(", ", names) + " (default text).",
            DefaultValueFactory = _ => OutputFormat.Text,
            CustomParser = result =>
            {
                var token = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
                foreach (var format in allowed)
                {
                    if (string.Equals(Name(format), token, StringComparison.Ordinal))
                    {
                        return format;
                    }
                }

                result.AddError($"--format: '{token}' is not one of {string.Join(", ", names)}");
                return OutputFormat.Text;
            },
        };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    /// <summary>The name a format has on the command line.</summary>
    public static string Name(OutputFormat format) => format.ToString().ToLowerInvariant();
}
