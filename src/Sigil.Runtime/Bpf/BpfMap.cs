using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// A BPF map: of a loaded <see cref="BpfObject"/>, or opened from a pinned path
/// (<see cref="OpenPinned"/>). Keys and values are unmanaged structs whose sizes must equal the
/// map's (the generated layouts are); per-CPU maps are read with <see cref="LookupPerCpu{TKey, TValue}(in TKey, Span{TValue})"/>.
/// </summary>
public sealed unsafe class BpfMap : IDisposable
{
    private readonly BpfObject? _owner;
    private readonly nint _map;
    private readonly SafeBpfFdHandle? _pinned;

    internal BpfMap(BpfObject owner, nint map)
    {
        _owner = owner;
        _map = map;
        Name = Libbpf.Text(Libbpf.bpf_map__name(map));
        Type = (BpfMapType)Libbpf.bpf_map__type(map);
        KeySize = (int)Libbpf.bpf_map__key_size(map);
        ValueSize = (int)Libbpf.bpf_map__value_size(map);
        MaxEntries = (int)Libbpf.bpf_map__max_entries(map);
    }

    private BpfMap(SafeBpfFdHandle fd, string name, BpfMapType type, int keySize, int valueSize, int maxEntries)
    {
        _pinned = fd;
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
    }

    /// <summary>The map's name in the object (the kernel keeps its first 15 characters).</summary>
    public string Name { get; }

    /// <summary>The map type.</summary>
    public BpfMapType Type { get; }

    /// <summary>Key size in bytes.</summary>
    public int KeySize { get; }

    /// <summary>Value size in bytes (per CPU for per-CPU maps).</summary>
    public int ValueSize { get; }

    /// <summary>Capacity.</summary>
    public int MaxEntries { get; }

    /// <summary>True for per-CPU maps: one value per possible CPU.</summary>
    public bool IsPerCpu => Type is BpfMapType.PerCpuArray or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash;

    /// <summary>The map's file descriptor; valid once the object is loaded.</summary>
    public int Fd
    {
        get
        {
            if (_pinned is not null)
            {
                ObjectDisposedException.ThrowIf(_pinned.IsClosed, this);
                return _pinned.Fd;
            }

            _owner!.ThrowIfDisposed();
            var fd = Libbpf.bpf_map__fd(_map);
            if (fd < 0)
            {
                throw new InvalidOperationException($"map {Name} has no file descriptor: load {_owner.FileName} first");
            }

            return fd;
        }
    }

    internal nint Handle => _map;

    /// <summary>The number of possible CPUs: the length of a per-CPU value array.</summary>
    public static int PossibleCpus => s_possibleCpus.Value;

    private static readonly Lazy<int> s_possibleCpus = new(() =>
    {
        var n = Libbpf.libbpf_num_possible_cpus();
        if (n <= 0)
        {
            throw new BpfException("counting possible CPUs (/sys/devices/system/cpu/possible)", -n);
        }

        return n;
    });

    /// <summary>
    /// Opens a map pinned at <paramref name="path"/> (e.g. <c>/sys/fs/bpf/sigil/dwell/price_dwell</c>);
    /// dispose it to close the descriptor.
    /// </summary>
    public static BpfMap OpenPinned(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int fd;
        using (LibbpfLog.Begin())
        {
            fd = Libbpf.bpf_obj_get(path);
        }

        if (fd < 0)
        {
            throw new BpfException($"opening the pinned map {path}", -fd, BpfErrors.PinHint(-fd));
        }

        return FromPinnedFd(fd, path);
    }

    /// <summary>
    /// Opens the map pinned as <paramref name="name"/> in <paramref name="folder"/>, resolved
    /// relative to the folder's descriptor; null when nothing is pinned there.
    /// </summary>
    internal static BpfMap? OpenPinnedIn(Security.SecureDirectory folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var fd = BpfPin.Get(folder, name);
        if (fd == -Errno.ENOENT)
        {
            return null;
        }

        if (fd < 0)
        {
            throw new BpfException($"opening the pinned map {folder.Combine(name)}", -fd, BpfErrors.PinHint(-fd));
        }

        return FromPinnedFd(fd, folder.Combine(name));
    }

    /// <summary>True when <paramref name="other"/> has this map's type, key and value sizes and capacity.</summary>
    public bool HasShapeOf(BpfMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Type == Type && other.KeySize == KeySize && other.ValueSize == ValueSize && other.MaxEntries == MaxEntries;
    }

    private static BpfMap FromPinnedFd(int fd, string path)
    {
        var handle = new SafeBpfFdHandle(fd);
        var info = stackalloc byte[88];
        new Span<byte>(info, 88).Clear();
        var length = 88u;
        var error = Libbpf.bpf_obj_get_info_by_fd(fd, info, &length);
        if (error < 0)
        {
            handle.Dispose();
            throw new BpfException($"reading the map info of {path}", -error, "the path is not a pinned map");
        }

        // struct bpf_map_info: type 0, key_size 8, value_size 12, max_entries 16, name 24 (16 bytes).
        var name = Marshal.PtrToStringUTF8((nint)(info + 24)) ?? string.Empty;
        return new BpfMap(handle, name, (BpfMapType)(*(uint*)info), (int)*(uint*)(info + 8), (int)*(uint*)(info + 12), (int)*(uint*)(info + 16));
    }

    /// <summary>Reads the value at <paramref name="key"/>; false when the key is missing.</summary>
    public bool TryLookup<TKey, TValue>(in TKey key, out TValue value)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        RequireNotPerCpu();
        value = default;
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            var error = Libbpf.bpf_map_lookup_elem(Fd, k, v);
            if (error == -Errno.ENOENT)
            {
                return false;
            }

            ThrowIfError(error, "reading");
            return true;
        }
    }

    /// <summary>Reads the value at <paramref name="key"/> as bytes (for layouts known only at run time); false when the key is missing.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        if (key.Length != KeySize || value.Length != ValueSize)
        {
            throw new ArgumentException($"map {Name} has {KeySize}-byte keys and {ValueSize}-byte values; got {key.Length} and {value.Length} bytes");
        }

        RequireNotPerCpu();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var error = Libbpf.bpf_map_lookup_elem(Fd, k, v);
            if (error == -Errno.ENOENT)
            {
                return false;
            }

            ThrowIfError(error, "reading");
            return true;
        }
    }

    /// <summary>Reads the value at <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when it is missing.</summary>
    public TValue Lookup<TKey, TValue>(in TKey key)
        where TKey : unmanaged
        where TValue : unmanaged
        => TryLookup<TKey, TValue>(key, out var value) ? value : throw new KeyNotFoundException($"map {Name} has no entry for {key}");

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>.</summary>
    public void Update<TKey, TValue>(in TKey key, in TValue value, BpfUpdate flags = BpfUpdate.Any)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        RequireNotPerCpu();
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
        {
            ThrowIfError(Libbpf.bpf_map_update_elem(Fd, k, v, (ulong)flags), "writing");
        }
    }

    /// <summary>Deletes the entry at <paramref name="key"/>; false when there was none.</summary>
    public bool Delete<TKey>(in TKey key)
        where TKey : unmanaged
    {
        CheckKey<TKey>();
        fixed (TKey* k = &key)
        {
            var error = Libbpf.bpf_map_delete_elem(Fd, k);
            if (error == -Errno.ENOENT)
            {
                return false;
            }

            ThrowIfError(error, "deleting from");
            return true;
        }
    }

    /// <summary>
    /// Every key, by bpf_map_get_next_key. Entries added or removed meanwhile may or may not be
    /// seen; a removed current key restarts the walk from the first key, as the kernel does.
    /// </summary>
    public IEnumerable<TKey> Keys<TKey>()
        where TKey : unmanaged
    {
        CheckKey<TKey>();
        var fd = Fd;
        var current = default(TKey);
        var first = true;
        while (NextKey(fd, first, current, out var next))
        {
            first = false;
            current = next;
            yield return next;
        }
    }

    private bool NextKey<TKey>(int fd, bool first, TKey current, out TKey next)
        where TKey : unmanaged
    {
        next = default;
        fixed (TKey* n = &next)
        {
            var error = Libbpf.bpf_map_get_next_key(fd, first ? null : &current, n);
            if (error == -Errno.ENOENT)
            {
                return false;
            }

            ThrowIfError(error, "iterating");
            return true;
        }
    }

    /// <summary>Every entry (key and value), by <see cref="Keys{TKey}"/> and a lookup each; entries gone meanwhile are skipped.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries<TKey, TValue>()
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        foreach (var key in Keys<TKey>())
        {
            if (TryLookup<TKey, TValue>(key, out var value))
            {
                yield return new KeyValuePair<TKey, TValue>(key, value);
            }
        }
    }

    /// <summary>
    /// Reads a per-CPU value: one per possible CPU into <paramref name="values"/>, which must hold
    /// <see cref="PossibleCpus"/> elements. Returns false when the key is missing.
    /// </summary>
    public bool LookupPerCpu<TKey, TValue>(in TKey key, Span<TValue> values)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        CheckSizes<TKey, TValue>();
        if (!IsPerCpu)
        {
            throw new InvalidOperationException($"map {Name} is a {Type} map, not per-CPU: use TryLookup");
        }

        var cpus = PossibleCpus;
        if (values.Length < cpus)
        {
            throw new ArgumentException($"a value of map {Name} has {cpus} per-CPU parts; the span holds {values.Length}", nameof(values));
        }

        // The kernel copies each CPU's value rounded up to 8 bytes.
        var stride = (ValueSize + 7) & ~7;
        var size = stride * cpus;
        var buffer = size <= 4096 ? stackalloc byte[size] : new byte[size];
        fixed (TKey* k = &key)
        fixed (byte* b = buffer)
        {
            var error = Libbpf.bpf_map_lookup_elem(Fd, k, b);
            if (error == -Errno.ENOENT)
            {
                return false;
            }

            ThrowIfError(error, "reading");
            for (var cpu = 0; cpu < cpus; cpu++)
            {
                values[cpu] = Unsafe.ReadUnaligned<TValue>(b + (cpu * stride));
            }
        }

        return true;
    }

    /// <summary>Reads a per-CPU value into a new array of <see cref="PossibleCpus"/> elements.</summary>
    public TValue[] LookupPerCpu<TKey, TValue>(in TKey key)
        where TKey : unmanaged
        where TValue : unmanaged
    {
        var values = new TValue[PossibleCpus];
        return LookupPerCpu(key, values.AsSpan()) ? values : throw new KeyNotFoundException($"map {Name} has no entry for {key}");
    }

    /// <summary>Pins the map at <paramref name="path"/> on bpffs so other processes can open it.</summary>
    public void Pin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireObjectMap("pin");
        using var capture = LibbpfLog.Begin();
        var error = Libbpf.bpf_map__pin(_map, path);
        if (error < 0)
        {
            throw new BpfException($"pinning map {Name} at {path}", -error, BpfErrors.PinHint(-error), libbpfLog: capture.Text);
        }
    }

    /// <summary>Removes the pin at <paramref name="path"/>.</summary>
    public void Unpin(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireObjectMap("unpin");
        using var capture = LibbpfLog.Begin();
        var error = Libbpf.bpf_map__unpin(_map, path);
        if (error < 0)
        {
            throw new BpfException($"unpinning map {Name} from {path}", -error, BpfErrors.PinHint(-error), libbpfLog: capture.Text);
        }
    }

    /// <summary>
    /// Makes this map (of an object not loaded yet) use <paramref name="existing"/>'s kernel map
    /// instead of creating its own: two objects then share one map (e.g. a ring buffer).
    /// </summary>
    public void Reuse(BpfMap existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        RequireObjectMap("reuse");
        if (!HasShapeOf(existing))
        {
            throw new ArgumentException($"map {Name} ({this}) cannot reuse {existing.Name} ({existing}): type, sizes and capacity must match", nameof(existing));
        }

        using var capture = LibbpfLog.Begin();
        var error = Libbpf.bpf_map__reuse_fd(_map, existing.Fd);
        if (error < 0)
        {
            throw new BpfException($"making map {Name} reuse {existing.Name}", -error, libbpfLog: capture.Text);
        }
    }

    /// <summary>Closes a map opened with <see cref="OpenPinned"/>; a map of an object is closed with its object.</summary>
    public void Dispose() => _pinned?.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Type}, key {KeySize} B, value {ValueSize} B, {MaxEntries} entries)";

    private void CheckKey<TKey>()
        where TKey : unmanaged
    {
        if (sizeof(TKey) != KeySize)
        {
            throw new ArgumentException($"map {Name} has {KeySize}-byte keys; {typeof(TKey).Name} is {sizeof(TKey)} bytes");
        }
    }

    private void CheckSizes<TKey, TValue>()
        where TKey : unmanaged
        where TValue : unmanaged
    {
        if (sizeof(TKey) != KeySize || sizeof(TValue) != ValueSize)
        {
            throw new ArgumentException(
                $"map {Name} has {KeySize}-byte keys and {ValueSize}-byte values; {typeof(TKey).Name} is {sizeof(TKey)} bytes and {typeof(TValue).Name} is {sizeof(TValue)} bytes");
        }
    }

    private void RequireNotPerCpu()
    {
        if (IsPerCpu)
        {
            throw new InvalidOperationException($"map {Name} is per-CPU: use LookupPerCpu");
        }
    }

    private void RequireObjectMap(string what)
    {
        if (_owner is null)
        {
            throw new InvalidOperationException($"map {Name} was opened from a pin; {what} it through its object");
        }

        _owner.ThrowIfDisposed();
    }

    private void ThrowIfError(int error, string verb)
    {
        if (error < 0)
        {
            throw new BpfException($"{verb} map {Name}", -error, BpfErrors.MapHint(-error));
        }
    }
}
