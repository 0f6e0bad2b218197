using System;
using System.Collections;
using System.Collections.Generic;

namespace Sigil.Runtime.Bpf;

/// <summary>An attached program (a <c>struct bpf_link</c>); disposing it detaches the program.</summary>
public sealed class BpfLink : IDisposable
{
    private readonly SafeBpfLinkHandle _handle;

    internal BpfLink(SafeBpfLinkHandle handle, string program)
    {
        _handle = handle;
        Program = program;
    }

    /// <summary>The attached program's name.</summary>
    public string Program { get; }

    /// <summary>True once detached.</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>Pins the link on bpffs: the program stays attached after this process exits, until the pin is removed.</summary>
    public void Pin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        using var capture = LibbpfLog.Begin();
        var error = Libbpf.bpf_link__pin(_handle.DangerousGetHandle(), path);
        if (error < 0)
        {
            throw new BpfException($"pinning the link of {Program} at {path}", -error, BpfErrors.PinHint(-error), libbpfLog: capture.Text);
        }
    }

    /// <summary>Detaches the program.</summary>
    public void Dispose() => _handle.Dispose();
}

/// <summary>The links of an object's programs, detached together on dispose.</summary>
public sealed class BpfLinkSet : IReadOnlyList<BpfLink>, IDisposable
{
    private readonly List<BpfLink> _links;

    internal BpfLinkSet(List<BpfLink> links) => _links = links;

    /// <inheritdoc/>
    public int Count => _links.Count;

    /// <inheritdoc/>
    public BpfLink this[int index] => _links[index];

    /// <summary>Detaches every program, last attached first.</summary>
    public void Dispose()
    {
        for (var i = _links.Count - 1; i >= 0; i--)
        {
            _links[i].Dispose();
        }
    }

    /// <inheritdoc/>
    public IEnumerator<BpfLink> GetEnumerator() => _links.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
