using System;
using System.Collections.Generic;
using System.Linq;

namespace Sigil.Language.Analysis;

/// <summary>One file event a behaviour sensor can name as <c>file:&lt;name&gt;</c>.</summary>
/// <param name="Name">The event name.</param>
/// <param name="CarriesSize">True when the event has a byte count (<c>bytes(...)</c> sums it).</param>
/// <param name="Distinct">True when the event happens at most once per file and agent (<c>files(...)</c> counts it).</param>
/// <param name="Meaning">What happened, for docs and the generated C.</param>
internal sealed record FileEvent(string Name, bool CarriesSize, bool Distinct, string Meaning);

/// <summary>
/// The file events of the behaviour program (<c>templates/bpf/behaviour.bpf.c.scriban</c>), derived in the
/// kernel from non-syscall tracepoints (ext4, filemap, writeback) and the agent's per-file facts.
/// This table and that template are the two halves of one contract: every name here has an
/// <c>on_&lt;name&gt;</c> in the template.
/// </summary>
internal static class FileEvents
{
    /// <summary>The tracepoint-like category the events are written under: <c>file:overwrite</c>.</summary>
    public const string Category = "file";

    /// <summary>Every file event, in the template's order.</summary>
    public static IReadOnlyList<FileEvent> All { get; } = new[]
    {
        new FileEvent("write", CarriesSize: true, Distinct: false, "bytes about to be written to a regular file (write, pwrite64, writev, pwritev2, io_uring, copy_file_range)"),
        new FileEvent("fill", CarriesSize: false, Distinct: true, "a regular file the agent writes from empty: its own output"),
        new FileEvent("overwrite", CarriesSize: false, Distinct: true, "a write over existing bytes of a file the agent did not fill (in place, at any offset; also through a shared mapping)"),
        new FileEvent("truncate", CarriesSize: false, Distinct: true, "existing bytes of a file the agent did not fill cut off (O_TRUNC, truncate, ftruncate)"),
        new FileEvent("remove", CarriesSize: false, Distinct: true, "the last link of a file the agent read and did not fill goes (unlink, or a rename over it)"),
    };

    /// <summary>The event named <paramref name="name"/>, or null.</summary>
    public static FileEvent? Find(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>The names, for messages.</summary>
    public static IEnumerable<string> Names => All.Select(static e => e.Name);
}
