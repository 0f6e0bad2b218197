using System;
using System.Runtime.InteropServices;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// Pins a map by name inside a folder held open by descriptor, and opens what is pinned there
/// (<c>BPF_OBJ_PIN</c> and <c>BPF_OBJ_GET</c> with <c>BPF_F_PATH_FD</c>, Linux 6.5): the name is
/// resolved in that folder even if another user swaps a path component meanwhile. libbpf's
/// <c>bpf_map__pin</c> and <c>bpf_obj_get</c> take paths, and the <c>_opts</c> forms that take a
/// folder descriptor are newer than the libbpf this machine ships, so the system calls are made here.
/// </summary>
internal static partial class BpfPin
{
    private const int BpfObjPin = 6;
    private const uint PathFd = 1u << 14;

    private const int BpfObjGet = 7;

    /// <summary>Pins <paramref name="mapFd"/> as <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static void Pin(int mapFd, SecureDirectory folder, string name)
    {
        if (Call(BpfObjPin, mapFd, folder, name) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new BpfException($"pinning map at {folder.Combine(name)}", errno, BpfErrors.PinHint(errno));
        }
    }

    /// <summary>
    /// Opens the object pinned as <paramref name="name"/> in <paramref name="folder"/> (<c>BPF_OBJ_GET</c>
    /// with <c>BPF_F_PATH_FD</c>): its descriptor, or minus the errno (<c>-ENOENT</c> when nothing is pinned there).
    /// </summary>
    public static int Get(SecureDirectory folder, string name)
    {
        var fd = Call(BpfObjGet, 0, folder, name);
        return fd < 0 ? -Marshal.GetLastPInvokeError() : (int)fd;
    }

    private static unsafe long Call(int command, int objectFd, SecureDirectory folder, string name)
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
            *(uint*)(attr + 8) = (uint)objectFd;
            *(uint*)(attr + 12) = PathFd;
            *(int*)(attr + 16) = folder.Fd;
            var number = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;
            var result = Syscall(number, command, (nint)attr, 24);
            GC.KeepAlive(folder);
            return result;
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long command, nint attr, long size);
}
