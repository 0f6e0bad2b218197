using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Bpf;

namespace Sigil.Runtime.Hosting.Kernel;

/// <summary>
/// Opens a fibre's kernel side from its compiled eBPF object and the descriptor the build wrote
/// beside it (<c>&lt;fibre&gt;.bpf.json</c>): an explicit object path, else
/// <c>&lt;search folder&gt;/&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c> in the folders the build copies
/// objects to. With <see cref="SourceFile"/> set, a found object counts only when its descriptor
/// records that very source (by SHA-256): an object built from another version of the fibre is
/// passed over, and named in the error when nothing else is found.
/// </summary>
public sealed class BpfKernelFibreFactory : IKernelFibreFactory
{
    private readonly string? _objectPath;
    private readonly string[] _searchFolders;

    /// <summary>A factory using <paramref name="objectPath"/>, or searching <paramref name="searchFolders"/>.</summary>
    public BpfKernelFibreFactory(string? objectPath, params string[] searchFolders)
    {
        _objectPath = objectPath;
        _searchFolders = searchFolders;
    }

    /// <summary>Sense only these processes (none: every process); the demo scopes the kernel to its workloads.</summary>
    public IReadOnlyList<uint> Scope { get; init; } = [];

    /// <summary>Where procfs is mounted.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>The fibre's source file, or null: when set, a searched object must have been built from it.</summary>
    public string? SourceFile { get; init; }

    /// <summary>
    /// Tests only: the hold timer's period instead of the compiled one (the proofs' detection in
    /// seconds assumes the compiled one), so a test can watch the close path alone.
    /// </summary>
    internal TimeSpan? HoldTick { get; init; }

    /// <summary>The object file of <paramref name="fibre"/>, or null when none is found.</summary>
    public string? Find(DaemonFibre fibre) => Locate(fibre, out _);

    /// <inheritdoc/>
    public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
    {
        var path = Locate(fibre, out var passedOver) ?? throw new IOException(
            $"no eBPF object for fibre '{fibre.Name}'"
            + (passedOver.Count > 0 ? $" (passed over: {string.Join("; ", passedOver)})" : string.Empty)
            + $": build it (dotnet build compiles {fibre.Name}.bpf.o and writes {fibre.Name}.bpf.json beside it) and pass --bpf-object, or run with --sensor procfs");
        return BpfKernelFibre.OpenCore(fibre, path, Scope, ProcRoot, descriptor: null, HoldTick);
    }

    private string? Locate(DaemonFibre fibre, out List<string> passedOver)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        passedOver = [];
        if (_objectPath is not null)
        {
            return _objectPath;
        }

        var source = SourceDigest();
        foreach (var folder in _searchFolders)
        {
            var candidate = Path.Combine(folder, fibre.Name, "bpf", fibre.Name + ".bpf.o");
            if (!File.Exists(candidate))
            {
                continue;
            }

            if (source is null)
            {
                return candidate;
            }

            try
            {
                var descriptor = BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(candidate));
                if (descriptor.Sources.Contains(source))
                {
                    return candidate;
                }

                passedOver.Add($"{candidate} was built from another version of {source.Path}");
            }
            catch (InvalidDataException e)
            {
                passedOver.Add(e.Message);
            }
        }

        return null;
    }

    // The SHA-256 of the fibre's source as the build records it (BpfDescriptorFile.Digests).
    private BpfSourceDigest? SourceDigest()
    {
        if (SourceFile is null)
        {
            return null;
        }

        var text = Security.BoundedFile.ReadText(SourceFile);
        return BpfDescriptorFile.Digests([new KeyValuePair<string, string>(Path.GetFileName(SourceFile), text)]).Single();
    }
}
