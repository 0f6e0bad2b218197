using System;
using System.Collections.Generic;
using System.IO;

namespace Sigil.Runtime.Hosting.Kernel;

/// <summary>
/// Opens a fibre's kernel side from its compiled eBPF object: an explicit path, else
/// <c>&lt;search folder&gt;/&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c> in the folders the build copies
/// objects to.
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

    /// <summary>The object file of <paramref name="fibre"/>, or null when none is found.</summary>
    public string? Find(DaemonFibre fibre)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        if (_objectPath is not null)
        {
            return _objectPath;
        }

        foreach (var folder in _searchFolders)
        {
            var candidate = Path.Combine(folder, fibre.Name, "bpf", fibre.Name + ".bpf.o");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
    {
        var path = Find(fibre) ?? throw new IOException(
            $"no eBPF object for fibre '{fibre.Name}': build it (dotnet build compiles {fibre.Name}.bpf.o) and pass --bpf-object, or run with --sensor procfs");
        return BpfKernelFibre.Open(fibre, path, Scope, ProcRoot);
    }
}
