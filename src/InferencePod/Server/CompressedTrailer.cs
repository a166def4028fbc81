using System.Buffers.Binary;

namespace RecOperator.InferencePod.Server;

/// <summary>
/// Whether an inflated message is all of its compressed stream. GZipStream and ZLibStream hand back what they inflated,
/// with no error, when the input stops short of the stream's end (zlib checks the trailer only on reaching it), so a
/// truncated message would pass for a shorter one. The trailer holds the inflated data's checksum: Adler-32 for zlib
/// (RFC 1950), CRC-32 and the length for gzip (RFC 1952), which zlib has verified when the stream did end.
/// </summary>
internal static class CompressedTrailer
{
    private static readonly uint[] Crc32Table = BuildCrc32Table();

    /// <remarks>
    /// No bytes at all are an empty message: .NET's GZipStream and ZLibStream write nothing when nothing was written to
    /// them, so a .NET client compressing an empty message (ServerLiveRequest, say) sends that.
    /// </remarks>
    public static bool Matches(bool gzip, ReadOnlySpan<byte> compressed, ReadOnlySpan<byte> inflated)
    {
        if (compressed.IsEmpty)
        {
            return inflated.IsEmpty;
        }
        return gzip
            ? compressed.Length >= 8
                && BinaryPrimitives.ReadUInt32LittleEndian(compressed[^4..]) == (uint)inflated.Length
                && BinaryPrimitives.ReadUInt32LittleEndian(compressed[^8..]) == Crc32(inflated)
            : compressed.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(compressed[^4..]) == Adler32(inflated);
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        // 5552 bytes is the most that can be summed before b may overflow 32 bits (zlib's NMAX).
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(data.Length, 5552)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }
            (a, b) = (a % 65521, b % 65521);
            data = data[block.Length..];
        }
        return (b << 16) | a;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var value in data)
        {
            crc = Crc32Table[(int)((crc ^ value) & 0xFF)] ^ (crc >> 8);
        }
        return ~crc;
    }

    /// <summary>CRC-32 as gzip uses it: the reflected IEEE polynomial.</summary>
    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (var n = 0u; n < table.Length; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
