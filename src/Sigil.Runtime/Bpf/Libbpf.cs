using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// P/Invoke declarations for libbpf.so.1 (libbpf 1.x; written against 1.1). libbpf 1.x returns
/// NULL or a negative errno and also sets errno; pointer-returning calls read the error with
/// <see cref="Marshal.GetLastPInvokeError"/>. Only this file knows libbpf's C signatures.
/// </summary>
internal static unsafe partial class Libbpf
{
    private const string Library = "libbpf.so.1";

    // Objects: open, load, close.
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint bpf_object__open_file(string path, BpfObjectOpenOpts* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_object__load(nint obj);

    [LibraryImport(Library)]
    internal static partial void bpf_object__close(nint obj);

    [LibraryImport(Library)]
    internal static partial byte* bpf_object__name(nint obj);

    [LibraryImport(Library)]
    internal static partial nint bpf_object__btf(nint obj);

    // Programs.
    [LibraryImport(Library)]
    internal static partial nint bpf_object__next_program(nint obj, nint prog);

    [LibraryImport(Library)]
    internal static partial byte* bpf_program__name(nint prog);

    [LibraryImport(Library)]
    internal static partial byte* bpf_program__section_name(nint prog);

    [LibraryImport(Library)]
    internal static partial int bpf_program__fd(nint prog);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_program__set_autoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint bpf_program__attach(nint prog);

    // Links.
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_link__pin(nint link, string path);

    [LibraryImport(Library)]
    internal static partial int bpf_link__destroy(nint link);

    // Maps of an object.
    [LibraryImport(Library)]
    internal static partial nint bpf_object__next_map(nint obj, nint map);

    [LibraryImport(Library)]
    internal static partial byte* bpf_map__name(nint map);

    [LibraryImport(Library)]
    internal static partial int bpf_map__fd(nint map);

    [LibraryImport(Library)]
    internal static partial int bpf_map__type(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__key_size(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__value_size(nint map);

    [LibraryImport(Library)]
    internal static partial uint bpf_map__max_entries(nint map);

    [LibraryImport(Library)]
    internal static partial void* bpf_map__initial_value(nint map, nuint* size);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_map__pin(nint map, string path);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_map__unpin(nint map, string path);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map__reuse_fd(nint map, int fd);

    // Maps by file descriptor (bpf.h): the same calls serve object maps and pinned maps.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_delete_elem(int fd, void* key);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_map_get_next_key(int fd, void* key, void* nextKey);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_obj_get(string path);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_obj_get_info_by_fd(int fd, void* info, uint* infoLength);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int bpf_map_create(int type, string? name, uint keySize, uint valueSize, uint maxEntries, nint opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_enable_stats(int type);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int bpf_prog_test_run_opts(int progFd, BpfTestRunOpts* opts);

    // BTF.
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int btf__find_by_name_kind(nint btf, string name, uint kind);

    [LibraryImport(Library)]
    internal static partial BtfType* btf__type_by_id(nint btf, uint id);

    [LibraryImport(Library)]
    internal static partial byte* btf__name_by_offset(nint btf, uint offset);

    // Ring buffers.
    [LibraryImport(Library, SetLastError = true)]
    internal static partial nint ring_buffer__new(int mapFd, delegate* unmanaged<nint, void*, nuint, int> sampleCallback, nint context, void* opts);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ring_buffer__add(nint ringBuffer, int mapFd, delegate* unmanaged<nint, void*, nuint, int> sampleCallback, nint context);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ring_buffer__poll(nint ringBuffer, int timeoutMs);

    [LibraryImport(Library, SetLastError = true)]
    internal static partial int ring_buffer__consume(nint ringBuffer);

    [LibraryImport(Library)]
    internal static partial int ring_buffer__epoll_fd(nint ringBuffer);

    [LibraryImport(Library)]
    internal static partial void ring_buffer__free(nint ringBuffer);

    // Process-wide.
    [LibraryImport(Library)]
    internal static partial int libbpf_num_possible_cpus();

    [LibraryImport(Library)]
    internal static partial nint libbpf_set_print(delegate* unmanaged<int, byte*, nint, int> print);

    // libc: formats libbpf's messages (va_list is a pointer on x86-64 and arm64 Linux), closes fds.
    [LibraryImport("libc", EntryPoint = "vsnprintf")]
    internal static partial int vsnprintf(byte* buffer, nuint size, byte* format, nint args);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);

    /// <summary>BTF_KIND_STRUCT, BTF_KIND_DATASEC (include/uapi/linux/btf.h).</summary>
    internal const uint BtfKindStruct = 4;
    internal const uint BtfKindVar = 14;
    internal const uint BtfKindDatasec = 15;

    /// <summary>struct bpf_object_open_opts (libbpf 1.1, 80 bytes on 64-bit Linux).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    internal struct BpfObjectOpenOpts
    {
        [FieldOffset(0)]
        public nuint Size;

        [FieldOffset(8)]
        public byte* ObjectName;

        [FieldOffset(24)]
        public byte* PinRootPath;

        [FieldOffset(56)]
        public byte* KernelLogBuffer;

        [FieldOffset(64)]
        public nuint KernelLogSize;

        [FieldOffset(72)]
        public uint KernelLogLevel;
    }

    /// <summary>struct bpf_test_run_opts (libbpf 1.1, 80 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    internal struct BpfTestRunOpts
    {
        [FieldOffset(0)]
        public nuint Size;

        [FieldOffset(56)]
        public uint ReturnValue;

        [FieldOffset(60)]
        public int Repeat;

        [FieldOffset(64)]
        public uint Duration;
    }

    /// <summary>struct btf_type: name offset, info (kind in bits 24..28, vlen in 0..15), size or type.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfType
    {
        public uint NameOffset;
        public uint Info;
        public uint SizeOrType;

        public readonly uint Kind => (Info >> 24) & 0x1f;

        public readonly int VLen => (int)(Info & 0xffff);

        public readonly bool KindFlag => (Info >> 31) != 0;
    }

    /// <summary>struct btf_member: follows a struct's btf_type.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfMember
    {
        public uint NameOffset;
        public uint Type;
        public uint Offset;
    }

    /// <summary>struct btf_var_secinfo: follows a datasec's btf_type.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfVarSecinfo
    {
        public uint Type;
        public uint Offset;
        public uint Size;
    }

    /// <summary>A NUL-terminated UTF-8 string from libbpf, or an empty string.</summary>
    internal static string Text(byte* text) => text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
}
