using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Threading;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The shared price page (docs/llvm.md): a file, conventionally <c>/run/sigil/&lt;fibre&gt;.prices</c>,
/// from which an instrumented program's hook reads its process's price without BPF. A 64-byte
/// header (magic "SGPP", version 1, scale bits, capacity, sequence, shared price) and an open
/// addressing table of 16-byte (tgid, flags, price) slots keyed by tgid, probed linearly from
/// <c>(tgid * 2654435761 mod 2^32) mod capacity</c>. The daemon is the only writer: a price of a
/// process that has a slot is stored in place with one aligned 8-byte store; when the set of
/// priced processes changes the table is rebuilt between an odd and the next even sequence, and
/// readers retry a read that saw either. Only processes with a positive price have a slot (no
/// slot reads as 0). Host byte order.
/// </summary>
public sealed class SharedPricePage : IDisposable
{
    /// <summary>"SGPP".</summary>
    public const uint Magic = 0x50504753;

    /// <summary>The layout's version.</summary>
    public const uint Version = 1;

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
    private readonly HashSet<int> _keys = [];
    private readonly HashSet<int> _next = [];
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
    /// <exception cref="UnsafeFileException">The folder is a link, another user's, or writable by others.</exception>
    public SharedPricePage(string path, int scaleBits, int agents)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(scaleBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scaleBits, 62);
        Path = System.IO.Path.GetFullPath(path);
        _scaleBits = scaleBits;
        Capacity = (int)Math.Min(1 << 24, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, agents * 2)));
        _mask = (uint)Capacity - 1;
        _name = System.IO.Path.GetFileName(Path);
        _folder = SecureDirectory.Open(System.IO.Path.GetDirectoryName(Path)!, FolderMode);
        try
        {
            var temporary = SecureDirectory.TemporaryName(_name);
            var size = HeaderSize + ((long)Capacity * SlotSize);
            using (var handle = _folder.CreateExclusive(temporary, FileMode))
            {
                RandomAccess.Write(handle, Image(scaleBits, Capacity, new Dictionary<int, ulong>(), 0), 0);
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

    /// <summary>Slots in the table (a power of two, at least twice the agents).</summary>
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

        if (_next.Count > Capacity / 2)
        {
            throw new InvalidOperationException($"{_next.Count} priced processes do not fit the price page's {Capacity} slots");
        }

        if (!_next.SetEquals(_keys))
        {
            Rebuild(prices);
            return;
        }

        foreach (var (tgid, price) in prices)
        {
            if (tgid > 0 && price > 0)
            {
                _view.Write(Find((uint)tgid) + 8, ToFixed(price));
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

    /// <summary>The bytes of a page holding <paramref name="prices"/> (fixed point) with a stable sequence.</summary>
    public static byte[] Image(int scaleBits, int capacity, IReadOnlyDictionary<int, ulong> prices, ulong sharedPrice)
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
        foreach (var (tgid, price) in prices)
        {
            var slot = Home((uint)tgid, mask);
            while (BinaryPrimitives.ReadUInt32LittleEndian(span[(HeaderSize + ((int)slot * SlotSize))..]) != 0)
            {
                slot = (slot + 1) & mask;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(span[(HeaderSize + ((int)slot * SlotSize))..], (uint)tgid);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(HeaderSize + ((int)slot * SlotSize) + 8)..], price);
        }

        return page;
    }

    private static uint Home(uint tgid, uint mask) => unchecked(tgid * 2654435761u) & mask;

    private void Rebuild(IEnumerable<(int Tgid, double Price)> prices)
    {
        // Odd while the slots move: readers retry.
        _view.Write(SequenceOffset, ++_sequence);
        Thread.MemoryBarrier();
        for (long offset = HeaderSize; offset < HeaderSize + ((long)Capacity * SlotSize); offset += 8)
        {
            _view.Write(offset, 0UL);
        }

        _keys.Clear();
        foreach (var (tgid, price) in prices)
        {
            if (tgid > 0 && price > 0 && _keys.Add(tgid))
            {
                var slot = Home((uint)tgid, _mask);
                while (_view.ReadUInt32(HeaderSize + ((long)slot * SlotSize)) != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                var at = HeaderSize + ((long)slot * SlotSize);
                _view.Write(at + 8, ToFixed(price));
                _view.Write(at, (uint)tgid);
            }
        }

        Thread.MemoryBarrier();
        _view.Write(SequenceOffset, ++_sequence);
        Rebuilds++;
    }

    private long Find(uint tgid)
    {
        for (var slot = Home(tgid, _mask); ; slot = (slot + 1) & _mask)
        {
            var at = HeaderSize + ((long)slot * SlotSize);
            if (_view.ReadUInt32(at) == tgid)
            {
                return at;
            }
        }
    }

    private ulong ToFixed(double price) =>
        (ulong)Math.Min(Math.Round(price * Math.Pow(2, _scaleBits)), (double)long.MaxValue);
}
