using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>A <c>struct bpf_object *</c>; releasing it closes the object (bpf_object__close).</summary>
internal sealed class SafeBpfObjectHandle : SafeHandle
{
    public SafeBpfObjectHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Libbpf.bpf_object__close(handle);
        return true;
    }
}

/// <summary>A <c>struct bpf_link *</c>; releasing it detaches the program (bpf_link__destroy).</summary>
internal sealed class SafeBpfLinkHandle : SafeHandle
{
    public SafeBpfLinkHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => Libbpf.bpf_link__destroy(handle) == 0;
}

/// <summary>A <c>struct ring_buffer *</c>; releasing it frees the consumer (ring_buffer__free).</summary>
internal sealed class SafeRingBufferHandle : SafeHandle
{
    public SafeRingBufferHandle(nint handle)
        : base(0, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Libbpf.ring_buffer__free(handle);
        return true;
    }
}

/// <summary>A file descriptor the runtime owns (a pinned map, a stats switch).</summary>
internal sealed class SafeBpfFdHandle : SafeHandle
{
    public SafeBpfFdHandle(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Libbpf.close((int)handle) == 0;
}
