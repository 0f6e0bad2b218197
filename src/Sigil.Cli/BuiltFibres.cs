using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting;

namespace Sigil.Cli;

/// <summary>A fibre as its build left it: its daemon descriptor (or a cluster fibre's node description) and, when built, the eBPF object beside it.</summary>
/// <param name="Daemon">The daemon's fibre, or null for a cluster fibre.</param>
/// <param name="Cluster">A cluster fibre's numbers for one node, or null.</param>
/// <param name="DescriptorPath">The descriptor read, <c>&lt;fibre&gt;/daemon/&lt;fibre&gt;.{daemon,cluster}.json</c>.</param>
/// <param name="BpfObject">The eBPF object of the same build (<c>&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c>), or null when none sits beside.</param>
internal sealed record BuiltFibre(DaemonFibre? Daemon, ClusterDescription? Cluster, string DescriptorPath, string? BpfObject)
{
    /// <summary>The fibre's name.</summary>
    public string Name => Daemon?.Name ?? Cluster!.Fibre;

    /// <summary>The files the fibre was built from.</summary>
    public IReadOnlyList<BpfSourceDigest> Sources => Daemon?.Sources ?? Cluster!.Sources;
}

/// <summary>
/// What <c>sigil run</c> reads: the artefacts the build wrote for a fibre, never the compiler.
/// A descriptor (<c>.daemon.json</c>, or a cluster fibre's <c>.cluster.json</c>) is read as given,
/// strictly; a <c>.sigil</c> file names the build of that very text: the descriptor, among the
/// build outputs <see cref="KernelFibres.SearchFolders"/> lists, that records the SHA-256 of the
/// file and of every table it read as they are now. Either way, an eBPF object's descriptor beside
/// it must record the same sources, or the two come from different builds and the run is refused
/// (docs/daemon.md).
/// </summary>
internal static class BuiltFibres
{
    private const string DaemonSuffix = ".daemon.json";
    private const string ClusterSuffix = ".cluster.json";

    public static BuiltFibre Load(string path)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return Read(path);
        }

        if (!path.EndsWith(".sigil", StringComparison.Ordinal))
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: expected a fibre (.sigil) or its daemon descriptor (.daemon.json)");
        }

        return Find(path);
    }

    /// <summary>Reads a descriptor and checks it against the eBPF object's descriptor of the same build.</summary>
    public static BuiltFibre Read(string path)
    {
        var built = TryRead(path, out var problem) ?? throw new CliException(CliExitCodes.BadInput, problem!);
        // <fibre>/daemon/<fibre>.daemon.json beside <fibre>/bpf/<fibre>.bpf.{o,json}.
        var artefacts = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? ".";
        var bpfObject = Path.Combine(artefacts, "bpf", built.Name + ".bpf.o");
        var bpfDescriptor = BpfDescriptorReader.PathBeside(bpfObject);
        if (!File.Exists(bpfDescriptor))
        {
            return built;
        }

        BpfObjectDescription description;
        try
        {
            description = BpfDescriptorReader.Read(bpfDescriptor);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(CliExitCodes.BadInput, e.Message);
        }

        if (!description.Sources.SequenceEqual(built.Sources))
        {
            throw new CliException(CliExitCodes.BadInput, $"{path}: error: the descriptor was built from other sources ({Describe(built.Sources)}) than the eBPF object beside it, {bpfDescriptor} ({Describe(description.Sources)}): rebuild the fibre");
        }

        return built with { BpfObject = File.Exists(bpfObject) ? bpfObject : null };
    }

    private static BuiltFibre? TryRead(string path, out string? problem)
    {
        if (path.EndsWith(ClusterSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return DaemonFibreJson.TryReadCluster(path, out problem) is { } cluster ? new BuiltFibre(null, cluster, path, null) : null;
        }

        return DaemonFibreJson.TryRead(path, out problem) is { } daemon ? new BuiltFibre(daemon, null, path, null) : null;
    }

    // The build of the fibre at `path`: a descriptor that records this file's text and that of
    // every table it read, as they are now.
    private static BuiltFibre Find(string path)
    {
        var name = Path.GetFileName(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var text = Sigil.Build.FibreFiles.ReadFibre(path, out var unreadable)
            ?? throw new CliException(CliExitCodes.BadInput, $"{path}: cannot be read: {unreadable}");
        var source = Digest(name, text);
        var passedOver = new List<string>();
        var searched = new List<string>();
        foreach (var root in KernelFibres.SearchFolders().Where(Directory.Exists))
        {
            searched.Add(root);
            var candidates = Directory.EnumerateDirectories(root)
                .OrderBy(static d => d, StringComparer.Ordinal)
                .SelectMany(static d => new[] { DaemonSuffix, ClusterSuffix }.Select(suffix => Path.Combine(d, "daemon", Path.GetFileName(d) + suffix)))
                .Where(File.Exists);
            foreach (var candidate in candidates)
            {
                var built = TryRead(candidate, out var problem);
                if (built is null)
                {
                    passedOver.Add(problem!);
                    continue;
                }

                if (!built.Sources.Any(s => s.Path == name))
                {
                    continue;
                }

                if (!built.Sources.Contains(source))
                {
                    passedOver.Add($"{candidate} was built from another version of {name}");
                    continue;
                }

                var stale = built.Sources.Where(s => s.Path != name && !Unchanged(folder, s)).Select(static s => s.Path).ToList();
                if (stale.Count > 0)
                {
                    passedOver.Add($"{candidate} was built from other versions of {string.Join(", ", stale)}");
                    continue;
                }

                return Read(candidate);
            }
        }

        throw new CliException(
            CliExitCodes.NotAvailable,
            $"{path}: no build of this fibre found (searched {(searched.Count > 0 ? string.Join(", ", searched) : "nothing: no build output")}"
            + (passedOver.Count > 0 ? $"; passed over: {string.Join("; ", passedOver)}" : string.Empty)
            + $"). sigil run reads what the build wrote and does not compile: build the project that holds the fibre (dotnet build writes sigil/<fibre>/daemon/<fibre>.daemon.json to its output), or run 'sigil emit {path} -o DIR' and then 'sigil run DIR/daemon/<fibre>.daemon.json'. A fibre the daemon does not run gets no daemon descriptor; 'sigil check' says why.");
    }

    // True when the table the build read is, as it is now beside the fibre, the same text.
    private static bool Unchanged(string folder, BpfSourceDigest recorded) =>
        Sigil.Build.FibreFiles.ReadTable(folder, recorded.Path) is { } table && Digest(recorded.Path, table) == recorded;

    private static BpfSourceDigest Digest(string path, string text) => BpfDescriptorFile.Digests([new KeyValuePair<string, string>(path, text)])[0];

    private static string Describe(IReadOnlyList<BpfSourceDigest> sources) =>
        sources.Count == 0 ? "none recorded" : string.Join(", ", sources.Select(static s => s.Path + " " + s.Sha256[..Math.Min(12, s.Sha256.Length)]));
}
