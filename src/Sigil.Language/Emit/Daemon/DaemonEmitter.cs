using System.Collections.Generic;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;

namespace Sigil.Language.Emit.Daemon;

/// <summary>
/// The daemon's artefact: <c>daemon/&lt;fibre&gt;.daemon.json</c>, the fibre's
/// <see cref="DaemonFibre"/> (<see cref="DaemonFibreMapper"/>) with the SHA-256 of the files it was
/// compiled from, written by the same build step as the eBPF object's descriptor; for a cluster
/// fibre, <c>daemon/&lt;fibre&gt;.cluster.json</c> (<see cref="ClusterFibreMapper"/>). A fibre the
/// daemon does not run (offline, or a shape <c>sigil check</c> warns about with SIG3015-SIG3018)
/// gets none.
/// </summary>
public static class DaemonEmitter
{
    /// <summary>The artefacts' backend name.</summary>
    public const string Target = "daemon";

    /// <summary>
    /// The daemon descriptor of <paramref name="spec"/> (a cluster fibre's node description), or
    /// nothing when the daemon does not run it.
    /// </summary>
    public static IEnumerable<Artefact> Emit(FibreSpec spec, IReadOnlyList<KeyValuePair<string, string>>? fibreFiles = null)
    {
        var sources = BpfDescriptorFile.Digests(fibreFiles);
        if (ClusterFibreMapper.IsCluster(spec))
        {
            if (ClusterFibreMapper.Map(spec, out _) is { } cluster)
            {
                yield return new Artefact(Target, ClusterDescriptionFile.RelativePath(spec.Name), ClusterDescriptionFile.Write(cluster with { Sources = sources }));
            }
        }
        else if (DaemonFibreMapper.Map(spec, out _) is { } daemon)
        {
            yield return new Artefact(Target, DaemonFibreFile.RelativePath(spec.Name), DaemonFibreFile.Write(daemon with { Sources = sources }));
        }
    }

    /// <summary>Why <paramref name="spec"/> gets no daemon descriptor; empty when it gets one.</summary>
    public static IReadOnlyList<string> Problems(FibreSpec spec)
    {
        IReadOnlyList<string> problems;
        if (ClusterFibreMapper.IsCluster(spec))
        {
            ClusterFibreMapper.Map(spec, out problems);
        }
        else
        {
            DaemonFibreMapper.Map(spec, out problems);
        }

        return problems;
    }
}
