using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Threading;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The shared price page (docs/llvm.md): a file, conventionally <c>/run/sigil/&lt;fibre&gt;.prices</c>,
/// from which an instrumented program's hook reads its process's price without BPF. A 64-byte
/// header (magic "SGPP", version 2, scale bits, capacity, sequence, shared price) and an open
/// addressing table of 16-byte (pid, namespace, price) slots keyed by a process id and the inode
/// of the PID namespace it is counted in, probed linearly from
/// <c>((pid XOR namespace * 2246822507) * 2654435761 mod 2^32) mod capacity</c>. Each priced
/// process has a slot under its host tgid (in the initial namespace, <see cref="InitialNamespace"/>)
/// and, when it lives in another PID namespace, one more under its pid there: a hook reads the
/// key it can learn from inside (its <c>/proc/self/ns/pid</c> inode and <c>getpid()</c>), also in
/// a container with its own <c>/proc</c>. The daemon is the only writer: a price of a process
/// that has slots is stored in place with aligned 8-byte stores; when the set of priced processes
/// changes the table is rebuilt between an odd and the next even sequence, and readers retry a
/// read that saw either. Only processes with a positive price have a slot (no slot reads as 0).
/// Host byte order.
/// </summary>
public sealed class SharedPricePage : IDisposable
{
    /// <summary>"SGPP".</summary>
    public const uint Magic = 0x50504753;

    /// <summary>The layout's version.</summary>
    public const uint Version = 2;

    /// <summary>The inode of the initial PID namespace (the kernel's <c>PROC_PID_INIT_INO</c>): the key of host tgids.</summary>
    public const uint InitialNamespace = 0xEFFFFFFC;

    /// <summary>Header bytes.</summary>
    public const int HeaderSize = 64;

    /// <summary>Bytes per slot.</summary>
    public const int SlotSize = 16;

    private const int SequenceOffset = 16;
    private const int SharedPriceOffset = 24;

    /// <summary>The mode of the page's folder when the daemon creates it (others may read pages, not add them).</summary>
    public const int FolderMode = 0x1ED; // 0755

    /// <summary>The page's mode: the daemon writes, everyone reads.</summary>
    public const int FileMode = 0x1A4; // 0644

    private readonly SecureDirectory _folder;
    private readonly string _name;
    private readonly ulong _inode;
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly HashSet<int> _next = [];
    private readonly Func<int, (uint Namespace, int Pid)?> _namespaceOf;
    private readonly byte[] _table;

    // Each priced process (by host tgid): where its slots are, and its key in another PID
    // namespace (asked once, when it gets a slot).
    private Dictionary<int, Placed> _placed = [];
    private readonly int _scaleBits;
    private readonly uint _mask;
    private ulong _sequence;

    /// <summary>
    /// Creates the page at <paramref name="path"/> (an empty table, written whole and renamed
    /// into place, so a reader never sees a partial header), for at least <paramref name="agents"/>
    /// priced processes. The page's folder must be the daemon user's and writable by no one else
    /// (it is created 0755 when missing); the page is created afresh there (exclusive, no link
    /// followed), 0644, and renamed over the name inside the folder.
    /// </summary>
    /// <remarks>
    /// <paramref name="namespaceOf"/> finds a host tgid's PID namespace and its pid there (null:
    /// the initial namespace, or gone); by default <see cref="ProcessIdentity.PidNamespace"/> from
    /// the host's <c>/proc</c>. It is asked once per process, when the process gets a slot.
    /// </remarks>
    /// <exception cref="UnsafeFileException">The folder is a link, another user's, or writable by others.</exception>
    public SharedPricePage(string path, int scaleBits, int agents, Func<int, (uint Namespace, int Pid)?>? namespaceOf = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(scaleBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scaleBits, 62);
        Path = System.IO.Path.GetFullPath(path);
        _scaleBits = scaleBits;
        _namespaceOf = namespaceOf ?? (static tgid => ProcessIdentity.PidNamespace(tgid));
        // up to two slots per process (host and namespace keys), at most half the table full
        Capacity = (int)Math.Min(1 << 24, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, agents * 4)));
        _mask = (uint)Capacity - 1;
        _table = new byte[Capacity * SlotSize];
        _name = System.IO.Path.GetFileName(Path);
        _folder = SecureDirectory.Open(System.IO.Path.GetDirectoryName(Path)!, FolderMode);
        try
        {
            var temporary = SecureDirectory.TemporaryName(_name);
            var size = HeaderSize + ((long)Capacity * SlotSize);
            using (var handle = _folder.CreateExclusive(temporary, FileMode))
            {
                RandomAccess.Write(handle, Image(scaleBits, Capacity, new Dictionary<(uint, int), ulong>(), 0), 0);
                _inode = UnixFiles.Stat((int)handle.DangerousGetHandle(), string.Empty, 0, out _)?.Inode ?? 0;
                _file = MemoryMappedFile.CreateFromFile(handle, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            }

            _view = _file.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
            _folder.Rename(temporary, _name);
        }
        catch
        {
            _view?.Dispose();
            _file?.Dispose();
            _folder.Dispose();
            throw;
        }
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Slots in the table (a power of two, at least four times the agents).</summary>
    public int Capacity { get; }

    /// <summary>Table rebuilds so far (changes of the set of priced processes).</summary>
    public long Rebuilds { get; private set; }

    /// <summary>
    /// Publishes <paramref name="prices"/> (tgid, price; prices of 0 or less have no slot): in
    /// place when the same processes are priced as before, else by a rebuild.
    /// </summary>
    public void Publish(IEnumerable<(int Tgid, double Price)> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _next.Clear();
        foreach (var (tgid, price) in prices)
        {
            if (tgid > 0 && price > 0)
            {
                _next.Add(tgid);
            }
        }

        if (_next.Count > Capacity / 4)
        {
            throw new InvalidOperationException($"{_next.Count} priced processes do not fit the price page's {Capacity} slots");
        }

        if (!_next.SetEquals(_placed.Keys))
        {
            Rebuild(prices);
            return;
        }

        foreach (var (tgid, price) in prices)
        {
            if (tgid > 0 && price > 0)
            {
                var value = ToFixed(price);
                var placed = _placed[tgid];
                _view.Write(SlotOffset(placed.Host) + 8, value);
                if (placed.Inner >= 0)
                {
                    _view.Write(SlotOffset(placed.Inner) + 8, value);
                }
            }
        }
    }

    /// <summary>Removes the page: hooks then read price 0 (they fail open).</summary>
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
        try
        {
            // Only the page this daemon made: never a file put in its place.
            if (_folder.Status(_name) is { } status && status.Inode == _inode)
            {
                _folder.Delete(_name);
            }
        }
        catch (IOException)
        {
            // Gone already.
        }

        _folder.Dispose();
    }

    /// <summary>
    /// The bytes of a page holding <paramref name="prices"/> (fixed point) of host tgids with a
    /// stable sequence.
    /// </summary>
    public static byte[] Image(int scaleBits, int capacity, IReadOnlyDictionary<int, ulong> prices, ulong sharedPrice)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var keyed = new Dictionary<(uint, int), ulong>();
        foreach (var (tgid, price) in prices)
        {
            keyed[(InitialNamespace, tgid)] = price;
        }

        return Image(scaleBits, capacity, keyed, sharedPrice);
    }

    /// <summary>
    /// The bytes of a page holding <paramref name="prices"/> (fixed point) by (PID namespace
    /// inode, pid there) with a stable sequence.
    /// </summary>
    public static byte[] Image(int scaleBits, int capacity, IReadOnlyDictionary<(uint Namespace, int Pid), ulong> prices, ulong sharedPrice)
    {
        ArgumentNullException.ThrowIfNull(prices);
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the capacity must be a power of two");
        }

        var page = new byte[HeaderSize + (capacity * SlotSize)];
        var span = page.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)scaleBits);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)capacity);
        BinaryPrimitives.WriteUInt64LittleEndian(span[SharedPriceOffset..], sharedPrice);
        var mask = (uint)capacity - 1;
        foreach (var ((ns, pid), price) in prices)
        {
            Place(span[HeaderSize..], mask, ns, pid, price);
        }

        return page;
    }

    // Puts (ns, pid) at the first empty slot from its home in a slot table; the slot's index.
    // The hook's page_lookup (templates/llvm/hook.c.scriban) probes from the same home.
    private static uint Place(Span<byte> table, uint mask, uint ns, int pid, ulong price)
    {
        var slot = unchecked(((uint)pid ^ (ns * 2246822507u)) * 2654435761u) & mask;
        while (BinaryPrimitives.ReadUInt32LittleEndian(table[((int)slot * SlotSize)..]) != 0)
        {
            slot = (slot + 1) & mask;
        }

        var at = table[((int)slot * SlotSize)..];
        BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)pid);
        BinaryPrimitives.WriteUInt32LittleEndian(at[4..], ns);
        BinaryPrimitives.WriteUInt64LittleEndian(at[8..], price);
        return slot;
    }

    private static long SlotOffset(long slot) => HeaderSize + (slot * SlotSize);

    // The table is laid out aside and copied in between an odd and the next even sequence.
    private void Rebuild(IEnumerable<(int Tgid, double Price)> prices)
    {
        Array.Clear(_table);
        var placed = new Dictionary<int, Placed>();
        foreach (var (tgid, price) in prices)
        {
            if (tgid > 0 && price > 0 && !placed.ContainsKey(tgid))
            {
                // A process that left the page is asked again if it comes back (its pid may be another's by then).
                var inner = _placed.TryGetValue(tgid, out var before) ? before.Namespace : NamespaceOf(tgid);
                var value = ToFixed(price);
                long host = Place(_table, _mask, InitialNamespace, tgid, value);
                long innerSlot = inner is { } key ? Place(_table, _mask, key.Namespace, key.Pid, value) : -1;
                placed[tgid] = new Placed(host, innerSlot, inner);
            }
        }

        _placed = placed;

        // Odd while the slots move: readers retry.
        _view.Write(SequenceOffset, ++_sequence);
        Thread.MemoryBarrier();
        _view.WriteArray(HeaderSize, _table, 0, _table.Length);
        Thread.MemoryBarrier();
        _view.Write(SequenceOffset, ++_sequence);
        Rebuilds++;
    }

    // The process's key in its own PID namespace, or null in the initial one (or when it is gone).
    private (uint Namespace, int Pid)? NamespaceOf(int tgid) =>
        _namespaceOf(tgid) is { } found && found.Namespace != InitialNamespace && found.Pid > 0 ? found : null;

    private ulong ToFixed(double price) =>
        (ulong)Math.Min(Math.Round(price * Math.Pow(2, _scaleBits)), (double)long.MaxValue);

    // Where a priced process's slots are (Inner: -1 when it has only its host key).
    private readonly record struct Placed(long Host, long Inner, (uint Namespace, int Pid)? Namespace);
}
