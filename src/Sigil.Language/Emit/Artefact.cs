namespace Sigil.Language.Emit;

/// <summary>One generated file of a fibre, for a target other than C#.</summary>
/// <param name="Target">The backend: <c>bpf</c>, <c>llvm</c>, <c>coq</c>, <c>k8s</c>.</param>
/// <param name="RelativePath">Path under the fibre's artefact folder, forward slashes, e.g. <c>bpf/dwell.bpf.c</c>.</param>
/// <param name="Content">The file's text (LF line ends, final newline).</param>
public sealed record Artefact(string Target, string RelativePath, string Content);
