using System;
using System.Runtime.InteropServices;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// Pins a map by name inside a folder held open by descriptor (<c>BPF_OBJ_PIN</c> with
/// <c>BPF_F_PATH_FD</c>, Linux 6.5): the pin lands in that folder even if another user swaps a path
/// component meanwhile. libbpf's <c>bpf_map__pin</c> takes a path, and the <c>bpf_obj_pin_opts</c>
/// that takes a folder descriptor is newer than the libbpf this machine ships, so the one system
/// call is made here.
/// </summary>
internal static partial class BpfPin
{
    private const int BpfObjPin = 6;
    private const uint PathFd = 1u << 14;

    /// <summary>Pins <paramref name="mapFd"/> as <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static unsafe void Pin(int mapFd, SecureDirectory folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a pin name", nameof(name));
        }

        var path = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = path)
        {
            // union bpf_attr, the BPF_OBJ_* part: pathname, bpf_fd, file_flags, path_fd.
            var attr = stackalloc byte[24];
            new Span<byte>(attr, 24).Clear();
            *(ulong*)attr = (ulong)p;
            *(uint*)(attr + 8) = (uint)mapFd;
            *(uint*)(attr + 12) = PathFd;
            *(int*)(attr + 16) = folder.Fd;
            var number = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;
            if (Syscall(number, BpfObjPin, (nint)attr, 24) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new BpfException($"pinning map at {folder.Combine(name)}", errno, BpfErrors.PinHint(errno));
            }

            GC.KeepAlive(folder);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long command, nint attr, long size);
}
