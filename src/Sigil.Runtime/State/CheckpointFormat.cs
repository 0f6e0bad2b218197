using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sigil.Runtime.State;

/// <summary>
/// The checkpoint file format, version 1:
/// <code>
/// offset  size  field
///      0     8  magic "SIGILCKP"
///      8     2  format version (little endian), 1
///     10     2  reserved, 0
///     12     4  payload length n (little endian)
///     16     n  payload: the <see cref="DaemonState"/> as UTF-8 JSON
///   16+n    32  SHA-256 of bytes [0, 16+n)
/// </code>
/// A file that is shorter or longer than its header says, has another magic or version, or whose
/// digest does not match, is rejected as a whole.
/// </summary>
public static class CheckpointFormat
{
    /// <summary>The format version this build writes and reads.</summary>
    public const ushort Version = 1;

    private const int HeaderSize = 16;
    private const int DigestSize = 32;
    private const int MaxPayload = 64 * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "SIGILCKP"u8;

    /// <summary>Encodes <paramref name="state"/> as a complete checkpoint file.</summary>
    public static byte[] Encode(DaemonState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var payload = JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.DaemonState);
        var bytes = new byte[HeaderSize + payload.Length + DigestSize];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(10), 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), payload.Length);
        payload.CopyTo(bytes.AsSpan(HeaderSize));
        SHA256.HashData(bytes.AsSpan(0, HeaderSize + payload.Length), bytes.AsSpan(HeaderSize + payload.Length));
        return bytes;
    }

    /// <summary>Decodes a checkpoint file; on failure returns false and says why in <paramref name="problem"/>.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out DaemonState? state, out string? problem)
    {
        state = null;
        if (bytes.Length < HeaderSize + DigestSize)
        {
            problem = $"truncated: {bytes.Length} bytes, less than the {HeaderSize + DigestSize}-byte minimum";
            return false;
        }

        if (!bytes[..8].SequenceEqual(Magic))
        {
            problem = "not a sigil checkpoint (bad magic)";
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
        if (version != Version)
        {
            problem = $"format version {version} is not supported (this build reads version {Version})";
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        if (length < 0 || length > MaxPayload)
        {
            problem = $"payload length {length} is out of range";
            return false;
        }

        if (bytes.Length != HeaderSize + length + DigestSize)
        {
            problem = $"size {bytes.Length} does not match the header ({HeaderSize + length + DigestSize} expected): truncated or trailing bytes";
            return false;
        }

        Span<byte> digest = stackalloc byte[DigestSize];
        SHA256.HashData(bytes[..(HeaderSize + length)], digest);
        if (!digest.SequenceEqual(bytes[(HeaderSize + length)..]))
        {
            problem = "checksum mismatch: the file is corrupt";
            return false;
        }

        try
        {
            state = JsonSerializer.Deserialize(bytes.Slice(HeaderSize, length), StateJsonContext.Default.DaemonState);
        }
        catch (JsonException e)
        {
            problem = "payload is not valid: " + e.Message;
            return false;
        }

        if (state is null || state.Fibre is null || state.Prices is null || state.Counters is null)
        {
            state = null;
            problem = "payload is incomplete";
            return false;
        }

        foreach (var price in state.Prices)
        {
            if (price is null || price.Resource is null || !double.IsFinite(price.Price))
            {
                state = null;
                problem = "payload holds a missing or non-finite price";
                return false;
            }
        }

        problem = null;
        return true;
    }
}
