using System;
using System.IO;

namespace Sigil.LanguageServer;

/// <summary>Reads a fibre's table files: named relative to the fibre's folder, never outside it.</summary>
public static class TableFiles
{
    /// <summary>The text of <paramref name="relative"/> inside <paramref name="folder"/>, or null when there is none or it lies outside.</summary>
    public static string? Read(string? folder, string relative)
    {
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }

        try
        {
            var root = System.IO.Path.GetFullPath(folder);
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
            if (!full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return null;
            }

            return File.Exists(full) ? File.ReadAllText(full) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
