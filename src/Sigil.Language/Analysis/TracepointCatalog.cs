using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Sigil.Language.Analysis;

/// <summary>
/// The kernel tracepoints a fibre may attach to, as <c>category:event</c>. The compiler ships the
/// catalogue of the kernel it is developed against (<see cref="Embedded"/>, made from
/// <c>/sys/kernel/tracing/events</c>); a tool that can read the live kernel passes its own through
/// <see cref="CompilationOptions.Tracepoints"/>.
/// </summary>
public sealed class TracepointCatalog
{
    private static readonly Lazy<TracepointCatalog> s_embedded = new(LoadEmbedded);

    private readonly HashSet<string> _events;
    private IReadOnlyList<string>? _all;

    private TracepointCatalog(HashSet<string> events, string description)
    {
        _events = events;
        Description = description;
    }

    /// <summary>The catalogue embedded in the compiler.</summary>
    public static TracepointCatalog Embedded => s_embedded.Value;

    /// <summary>Where the catalogue came from, for messages.</summary>
    public string Description { get; }

    /// <summary>The number of tracepoints.</summary>
    public int Count => _events.Count;

    /// <summary>
    /// A catalogue from text with one <c>category:event</c> per line, the format of
    /// <c>/sys/kernel/tracing/available_events</c>; blank lines and <c>#</c> comments are skipped.
    /// </summary>
    /// <param name="text">The catalogue text.</param>
    /// <param name="description">Where it came from, e.g. <c>the running kernel</c>.</param>
    public static TracepointCatalog Parse(string text, string description)
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length > 0 && line[0] != '#' && line.IndexOf(':') > 0)
            {
                events.Add(line);
            }
        }

        return new TracepointCatalog(events, description);
    }

    /// <summary>Every tracepoint as <c>category:event</c>, sorted by ordinal.</summary>
    public IReadOnlyList<string> All => _all ??= _events.OrderBy(static e => e, StringComparer.Ordinal).ToArray();

    /// <summary>True when the kernel has the tracepoint <paramref name="category"/>:<paramref name="eventName"/>.</summary>
    public bool Contains(string category, string eventName) => _events.Contains(category + ":" + eventName);

    /// <summary>The closest known event name in <paramref name="category"/>, for "did you mean".</summary>
    internal IEnumerable<string> EventsOf(string category)
    {
        var prefix = category + ":";
        foreach (var e in _events)
        {
            if (e.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return e;
            }
        }
    }

    private static TracepointCatalog LoadEmbedded()
    {
        using var stream = typeof(TracepointCatalog).Assembly.GetManifestResourceStream("Sigil.Language.Tracepoints.txt");
        if (stream is null)
        {
            return new TracepointCatalog(new HashSet<string>(StringComparer.Ordinal), "the embedded catalogue (missing)");
        }

        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "the catalogue of Linux 6.18");
    }
}
