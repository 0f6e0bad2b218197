using System;
using System.Globalization;

namespace Sigil.Cli;

/// <summary>Durations on the command line: <c>250ms</c>, <c>5s</c>, <c>2m</c>, or a bare number of seconds.</summary>
internal static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount < 0 || amount * scale > 86_400 * 7)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    public static TimeSpan Parse(string text, string option) =>
        TryParse(text, out var value) ? value : throw new CliException(CliExitCodes.BadInput, $"{option}: '{text}' is not a duration (e.g. 250ms, 5s, 2m)");
}
