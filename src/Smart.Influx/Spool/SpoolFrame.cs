using System.Buffers.Binary;
using System.Numerics;

namespace Smart.Influx.Spool;

/// <summary>
/// One spool record: <c>magic(4) length(4, LE) crc32c(4, LE) payload</c>. A crash while appending leaves a short or
/// mismatching record at a segment's end; the CRC makes it detectable so it is skipped instead of replayed as garbage.
/// </summary>
internal static class SpoolFrame
{
    public const int HeaderBytes = 12;
    public const uint Magic = 0x314C5053; // "SPL1"

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C(payload));
    }

    /// <summary>Payload length from a header, or -1 when the header is not a record's.</summary>
    public static int PayloadLength(ReadOnlySpan<byte> header, long bytesLeftInFile)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic) return -1;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        return length < 0 || length > bytesLeftInFile - HeaderBytes ? -1 : length;
    }

    public static bool CrcMatches(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) == Crc32C(payload);

    /// <summary>CRC-32C (Castagnoli) with the CPU's instruction where there is one (<see cref="BitOperations.Crc32C(uint, ulong)"/>).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }
}
