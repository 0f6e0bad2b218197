using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sigil.Cli.Output;

/// <summary>Writes one JSON document to standard output (the <c>--format json</c> of every command).</summary>
internal static class JsonOutput
{
    /// <summary>Writes the document <paramref name="write"/> builds, indented, followed by a newline.</summary>
    public static void Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        using var stdout = Console.OpenStandardOutput();
        stream.WriteTo(stdout);
        stdout.WriteByte((byte)'\n');
    }
}
