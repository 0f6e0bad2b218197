using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Sigil.Runtime.Proofs;

/// <summary>The library's sources: files in <c>_CoqProject</c> order (dependencies first) and a hash of their text.</summary>
/// <param name="Files">Relative path (<c>Sigil/PriceUpdate.v</c>) and text of each file.</param>
/// <param name="Hash">A SHA-256 prefix over paths and texts: compiled copies are keyed by it.</param>
internal sealed record CoqLibrarySources(IReadOnlyList<KeyValuePair<string, string>> Files, string Hash);

/// <summary>A compiled copy of the library: the folder that holds <c>Sigil/</c>, or the error that stopped it.</summary>
internal sealed record CompiledCoqLibrary(string Root, TimeSpan Time, IReadOnlyList<KeyValuePair<string, TimeSpan>> FileTimes, string? Error)
{
    /// <summary>True when an earlier process had checked this same library with this same coqc.</summary>
    public bool Reused { get; init; }

    public bool Ok => Error is null;

    /// <summary>The coqc arguments that map the logical path <c>Sigil</c> to this copy.</summary>
    public string[] LoadPath => new[] { "-R", Path.Combine(Root, "Sigil"), "Sigil" };
}

/// <summary>
/// Sigil's Coq library (proofs/Sigil): read from a folder or from the copy embedded in this
/// assembly, and compiled with coqc once per process into a folder keyed by its content.
/// </summary>
internal static class CoqLibrary
{
    private const string ResourcePrefix = "proofs/";
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, CompiledCoqLibrary> s_compiled = new(StringComparer.Ordinal);

    /// <summary>The sources in <paramref name="directory"/> (a folder with <c>_CoqProject</c>), or the embedded copy when null.</summary>
    public static CoqLibrarySources Load(string? directory)
    {
        string Read(string relative)
        {
            if (directory is not null)
            {
                return File.ReadAllText(Path.Combine(directory, relative));
            }

            var assembly = typeof(CoqLibrary).Assembly;
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + relative)
                ?? throw new InvalidOperationException($"the Coq library file {relative} is not embedded in {assembly.GetName().Name}");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        var project = Read("_CoqProject");
        var files = project.Split('\n')
            .Select(static l => l.Trim())
            .Where(static l => l.EndsWith(".v", StringComparison.Ordinal))
            .Select(f => new KeyValuePair<string, string>(f, Read(f).Replace("\r\n", "\n")))
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException("the Coq library's _CoqProject lists no .v file");
        }

        var hash = new StringBuilder();
        foreach (var file in files)
        {
            hash.Append(file.Key).Append('\0').Append(file.Value).Append('\0');
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(hash.ToString()));
        return new CoqLibrarySources(files, Convert.ToHexString(digest)[..16].ToLowerInvariant());
    }

    /// <summary>
    /// The library compiled under <paramref name="workRoot"/>, once per process for the same
    /// sources and coqc (later calls return it with <see cref="CompiledCoqLibrary.Time"/> zero).
    /// With <paramref name="reuse"/>, a copy an earlier process completed for the same sources and
    /// coqc version is used as it is (<see cref="CompiledCoqLibrary.Reused"/>); copies are built
    /// in a private folder and moved into place only when every file passed.
    /// </summary>
    public static CompiledCoqLibrary Compile(Coqc coqc, CoqLibrarySources sources, string workRoot, TimeSpan timeout, bool reuse = false)
    {
        lock (s_lock)
        {
            var version = new string(coqc.Version.Where(static c => char.IsAsciiLetterOrDigit(c) || c == '.').ToArray());
            var key = workRoot + "|" + sources.Hash + "|" + version;
            if (s_compiled.TryGetValue(key, out var done))
            {
                return done with { Time = TimeSpan.Zero };
            }

            var final = Path.Combine(workRoot, "library-" + sources.Hash + "-" + version);
            if (reuse && File.Exists(Path.Combine(final, CompleteMarker)))
            {
                var reused = new CompiledCoqLibrary(final, TimeSpan.Zero, Array.Empty<KeyValuePair<string, TimeSpan>>(), null) { Reused = true };
                s_compiled[key] = reused;
                return reused;
            }

            var building = final + "-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
            var compiled = CompileFresh(coqc, sources, building, timeout);
            if (!compiled.Ok)
            {
                return compiled;
            }

            File.WriteAllText(Path.Combine(building, CompleteMarker), coqc.Version + "\n");
            try
            {
                if (Directory.Exists(final))
                {
                    Directory.Delete(final, recursive: true);
                }

                Directory.Move(building, final);
                compiled = compiled with { Root = final };
            }
            catch (IOException)
            {
                // Another process moved its copy into place first: keep using ours.
            }

            s_compiled[key] = compiled;
            return compiled;
        }
    }

    private const string CompleteMarker = ".checked";

    /// <summary>Forgets the copies compiled in this process under <paramref name="workRoot"/>, as a new process would.</summary>
    internal static void Forget(string workRoot)
    {
        lock (s_lock)
        {
            foreach (var key in s_compiled.Keys.Where(k => k.StartsWith(workRoot + "|", StringComparison.Ordinal)).ToList())
            {
                s_compiled.Remove(key);
            }
        }
    }

    /// <summary>Writes the sources into <paramref name="root"/> and compiles each file in order.</summary>
    public static CompiledCoqLibrary CompileFresh(Coqc coqc, CoqLibrarySources sources, string root, TimeSpan timeout)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(root, "Sigil"));
        foreach (var file in sources.Files)
        {
            File.WriteAllText(Path.Combine(root, file.Key), file.Value);
        }

        var times = new List<KeyValuePair<string, TimeSpan>>();
        var total = TimeSpan.Zero;
        foreach (var file in sources.Files)
        {
            var run = coqc.Run(new[] { "-q", "-R", Path.Combine(root, "Sigil"), "Sigil", Path.Combine(root, file.Key) }, root, timeout);
            total += run.Elapsed;
            times.Add(new KeyValuePair<string, TimeSpan>(file.Key, run.Elapsed));
            if (!run.Succeeded)
            {
                var error = run.TimedOut ? $"coqc timed out on {file.Key}" : $"coqc rejected {file.Key}: {run.Output.Trim()}";
                return new CompiledCoqLibrary(root, total, times, error);
            }
        }

        return new CompiledCoqLibrary(root, total, times, null);
    }
}
