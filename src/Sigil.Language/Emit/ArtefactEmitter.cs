using System.Collections.Generic;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;

namespace Sigil.Language.Emit;

/// <summary>
/// Every non-C# artefact of a fibre, from every backend. The build task and the CLI call this;
/// a backend joins by adding its emitter here. Output is sorted by path and deterministic.
/// </summary>
public static class ArtefactEmitter
{
    /// <summary>
    /// All artefacts of <paramref name="spec"/>, sorted by relative path. <paramref name="kubernetes"/>
    /// and <paramref name="fibreFiles"/> go to <see cref="Kubernetes.KubernetesEmitter.Emit"/>.
    /// </summary>
    public static IReadOnlyList<Artefact> EmitAll(FibreSpec spec, Kubernetes.KubernetesOptions? kubernetes = null, IReadOnlyList<KeyValuePair<string, string>>? fibreFiles = null)
    {
        var artefacts = new List<Artefact>();
        // Backends add their artefacts here, one line each.
        artefacts.Add(Coq.CoqEmitter.Emit(spec));
        artefacts.AddRange(Llvm.LlvmEmitter.Emit(spec));
        artefacts.AddRange(BpfEmitter.Emit(spec));
        artefacts.AddRange(Kubernetes.KubernetesEmitter.Emit(spec, kubernetes, fibreFiles));
        artefacts.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return artefacts;
    }
}
