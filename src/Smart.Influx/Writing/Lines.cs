using System.Text;

namespace Smart.Influx.Writing;

/// <summary>Line-boundary arithmetic on UTF-8 line-protocol batches.</summary>
internal static class Lines
{
    /// <summary>Points in a batch: newline count, plus a last line without one.</summary>
    public static long Count(ReadOnlySpan<byte> batch)
    {
        if (batch.IsEmpty) return 0;
        long n = batch.Count((byte)'\n');
        return batch[^1] == (byte)'\n' ? n : n + 1;
    }

    /// <summary>The longest prefix of whole lines not above <paramref name="maxBytes"/> (at least one line).</summary>
    public static ReadOnlyMemory<byte> TakeUpTo(ReadOnlyMemory<byte> batch, int maxBytes)
    {
        if (batch.Length <= maxBytes) return batch;
        var cut = batch.Span[..maxBytes].LastIndexOf((byte)'\n');
        if (cut >= 0) return batch[..(cut + 1)];
        var end = batch.Span.IndexOf((byte)'\n');
        return end < 0 ? batch : batch[..(end + 1)];
    }

    /// <summary>Splits at the line boundary nearest the middle; false for a single line.</summary>
    public static bool TrySplitInHalf(ReadOnlyMemory<byte> batch, out ReadOnlyMemory<byte> first, out ReadOnlyMemory<byte> second)
    {
        var span = batch.Span.TrimEnd((byte)'\n');
        var mid = span.Length / 2;
        var cut = span[..mid].LastIndexOf((byte)'\n');
        if (cut < 0)
        {
            var after = span[mid..].IndexOf((byte)'\n');
            cut = after < 0 ? -1 : mid + after;
        }
        first = cut < 0 ? batch : batch[..(cut + 1)];
        second = cut < 0 ? ReadOnlyMemory<byte>.Empty : batch[(cut + 1)..];
        return cut >= 0;
    }

    /// <summary>
    /// The smallest and largest timestamp of a batch's lines, in Unix ms. A line's timestamp is its last token; lines
    /// without one are skipped. False when no line has a timestamp.
    /// </summary>
    public static bool TryTimeRange(ReadOnlySpan<byte> batch, InfluxPrecision precision, out long fromMs, out long toMs)
    {
        (fromMs, toMs) = (long.MaxValue, long.MinValue);
        foreach (var range in batch.Split((byte)'\n'))
        {
            var line = batch[range];
            var space = line.LastIndexOf((byte)' ');
            if (space < 0 || !System.Buffers.Text.Utf8Parser.TryParse(line[(space + 1)..], out long ts, out var used) || used != line.Length - space - 1)
                continue;
            var ms = precision switch
            {
                InfluxPrecision.Nanoseconds => Math.DivRem(ts, 1_000_000) is var (q, r) && r < 0 ? q - 1 : q,
                InfluxPrecision.Microseconds => Math.DivRem(ts, 1_000) is var (q, r) && r < 0 ? q - 1 : q,
                InfluxPrecision.Milliseconds => ts,
                _ => ts * 1000,
            };
            (fromMs, toMs) = (Math.Min(fromMs, ms), Math.Max(toMs, ms));
        }
        return fromMs <= toMs;
    }

    public static string ToText(ReadOnlyMemory<byte> line) => Encoding.UTF8.GetString(line.Span.TrimEnd((byte)'\n'));
}
