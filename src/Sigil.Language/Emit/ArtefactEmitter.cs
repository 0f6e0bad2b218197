using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
using Sigil.Language.Text;

namespace Sigil.Language.Emit;

/// <summary>
/// Every non-C# artefact of a fibre, from every backend. The build task and the CLI call this;
/// a backend joins by adding its emitter here (and its check to <see cref="Check"/>). Output is
/// sorted by path and deterministic.
/// </summary>
public static class ArtefactEmitter
{
    /// <summary>
    /// The limits of every backend (the C# of the generator included) that <paramref name="spec"/>
    /// exceeds. The compiler reports them as diagnostics (Analysis/TargetLimitAnalyzer), so a spec
    /// it returns has none: every emitter is then a total function of it.
    /// </summary>
    public static IReadOnlyList<TargetProblem> Check(FibreSpec spec) =>
        CSharp.CSharpEmitter.Check(spec)
            .Concat(BpfEmitter.Check(spec))
            .Concat(Kubernetes.KubernetesEmitter.Check(spec))
            .ToList();

    /// <summary>
    /// All artefacts of <paramref name="spec"/>, sorted by relative path. <paramref name="kubernetes"/>
    /// and <paramref name="fibreFiles"/> go to <see cref="Kubernetes.KubernetesEmitter.Emit"/>; the
    /// eBPF descriptor and the daemon descriptor (<see cref="Daemon.DaemonEmitter"/>) record
    /// <paramref name="fibreFiles"/> by SHA-256 (<see cref="BpfEmitter.Describe"/>).
    /// </summary>
    public static IReadOnlyList<Artefact> EmitAll(FibreSpec spec, Kubernetes.KubernetesOptions? kubernetes = null, IReadOnlyList<KeyValuePair<string, string>>? fibreFiles = null)
    {
        var artefacts = new List<Artefact>();
        // Backends add their artefacts here, one line each.
        artefacts.Add(Coq.CoqEmitter.Emit(spec));
        artefacts.AddRange(Llvm.LlvmEmitter.Emit(spec));
        artefacts.AddRange(BpfEmitter.Emit(spec, fibreFiles));
        artefacts.AddRange(Kubernetes.KubernetesEmitter.Emit(spec, kubernetes, fibreFiles));
        artefacts.AddRange(Daemon.DaemonEmitter.Emit(spec, fibreFiles));
        artefacts.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return artefacts;
    }

    /// <summary>
    /// <see cref="EmitAll"/> as a total function: an emitter that fails on a checked spec is a
    /// compiler bug, reported as SIG9999 at the start of <paramref name="filePath"/> (the spec holds
    /// no spans) with no artefacts, never as an exception. Cancellation still propagates.
    /// </summary>
    public static EmissionResult Emit(FibreSpec spec, string filePath, Kubernetes.KubernetesOptions? kubernetes = null, IReadOnlyList<KeyValuePair<string, string>>? fibreFiles = null)
    {
        try
        {
            return new EmissionResult(EmitAll(spec, kubernetes, fibreFiles).ToEquatableArray(), EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            return new EmissionResult(EquatableArray<Artefact>.Empty, EquatableArray.Create(InternalError(spec, filePath, "emitting", e)));
        }
    }

    /// <summary>SIG9999 for an exception thrown while <paramref name="doing"/> fibre <paramref name="spec"/>, at the start of <paramref name="filePath"/>.</summary>
    public static DiagnosticInfo InternalError(FibreSpec spec, string filePath, string doing, Exception exception) => new(
        DiagnosticDescriptors.InternalError.Id,
        DiagnosticSeverity.Error,
        string.Format(System.Globalization.CultureInfo.InvariantCulture, DiagnosticDescriptors.InternalError.MessageFormat, $"{doing} fibre '{spec.Name}' failed: {exception.GetType().Name}: {exception.Message}"),
        filePath,
        new TextSpan(0, 0),
        default);
}

/// <summary>What <see cref="ArtefactEmitter.Emit"/> produced: the artefacts, or the SIG9999 that stopped them.</summary>
/// <param name="Artefacts">Every artefact, sorted by path; empty when emission failed.</param>
/// <param name="Diagnostics">Empty, or the internal error.</param>
public sealed record EmissionResult(EquatableArray<Artefact> Artefacts, EquatableArray<DiagnosticInfo> Diagnostics);
