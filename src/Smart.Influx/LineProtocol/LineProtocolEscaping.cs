using System.Buffers;
using System.Text;

namespace Smart.Influx.LineProtocol;

/// <summary>
/// InfluxDB 1.x line-protocol escaping, as influxd 1.6.7 parses it (checked against the server):
/// measurement escapes <c>,</c> and space; tag keys, tag values and field keys escape <c>,</c> <c>=</c> and space;
/// string field values escape <c>"</c> and <c>\</c>. In names a backslash is not an escape for itself
/// (<c>a\\b</c> is stored with two backslashes), so a backslash before an escaped character or at the end
/// cannot be represented and is rejected, as are newlines (they end the line).
/// </summary>
internal static class LineProtocolEscaping
{
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", \\\n\r");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= \\\n\r");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");
    private static readonly SearchValues<byte> KeySpecialBytes = SearchValues.Create(",= \\\n\r\""u8);
    private static readonly SearchValues<byte> KeyEscapeBytes = SearchValues.Create(",= \\\n\r"u8);
    private static readonly SearchValues<byte> StringEscapeBytes = SearchValues.Create("\"\\"u8);

    /// <summary>Most UTF-8 bytes one UTF-16 char can become, escape included.</summary>
    public const int MaxBytesPerChar = 3;

    public static int WriteMeasurement(ReadOnlySpan<char> s, Span<byte> dst) => WriteName(s, dst, MeasurementSpecials, ", ", "measurement");

    public static int WriteKey(ReadOnlySpan<char> s, Span<byte> dst, string what) => WriteName(s, dst, KeySpecials, ",= ", what);

    /// <summary>UTF-8 names given as bytes (<c>"temp_c"u8</c>) are written as is, so they must need no escaping.</summary>
    public static bool IsPlainUtf8Name(ReadOnlySpan<byte> s) => s.Length > 0 && s.IndexOfAny(KeySpecialBytes) < 0;

    private static int WriteName(ReadOnlySpan<char> s, Span<byte> dst, SearchValues<char> specials, string escaped, string what)
    {
        var w = 0;
        while (true)
        {
            var i = s.IndexOfAny(specials);
            w += Encoding.UTF8.GetBytes(i < 0 ? s : s[..i], dst[w..]);
            if (i < 0) return w;
            var c = s[i];
            if (c is '\n' or '\r') throw new ArgumentException($"The {what} contains a line break, which line protocol cannot carry.");
            if (c == '\\')
            {
                if (i + 1 == s.Length || escaped.Contains(s[i + 1]))
                    throw new ArgumentException($"The {what} has a backslash at its end or before '{(i + 1 < s.Length ? s[i + 1] : ' ')}', which InfluxDB 1.x line protocol cannot represent.");
            }
            else
            {
                dst[w++] = (byte)'\\';
            }
            dst[w++] = (byte)c;
            s = s[(i + 1)..];
        }
    }

    /// <summary>A tag value given as UTF-8 (e.g. straight from an MQTT topic); same rules as <see cref="WriteKey"/>.</summary>
    public static int WriteKeyUtf8(ReadOnlySpan<byte> s, Span<byte> dst, string what)
    {
        if (!System.Text.Unicode.Utf8.IsValid(s)) throw new ArgumentException($"The {what} is not valid UTF-8.");
        var w = 0;
        while (true)
        {
            var i = s.IndexOfAny(KeyEscapeBytes);
            (i < 0 ? s : s[..i]).CopyTo(dst[w..]);
            w += i < 0 ? s.Length : i;
            if (i < 0) return w;
            var c = s[i];
            if (c is (byte)'\n' or (byte)'\r') throw new ArgumentException($"The {what} contains a line break, which line protocol cannot carry.");
            if (c == '\\')
            {
                if (i + 1 == s.Length || s[i + 1] is (byte)',' or (byte)'=' or (byte)' ')
                    throw new ArgumentException($"The {what} has a backslash at its end or before a comma, '=' or space, which InfluxDB 1.x line protocol cannot represent.");
            }
            else
            {
                dst[w++] = (byte)'\\';
            }
            dst[w++] = c;
            s = s[(i + 1)..];
        }
    }

    /// <summary>A string field value given as UTF-8, without its quotes.</summary>
    public static int WriteStringValueUtf8(ReadOnlySpan<byte> s, Span<byte> dst)
    {
        if (!System.Text.Unicode.Utf8.IsValid(s)) throw new ArgumentException("A string field value is not valid UTF-8.");
        var w = 0;
        while (true)
        {
            var i = s.IndexOfAny(StringEscapeBytes);
            (i < 0 ? s : s[..i]).CopyTo(dst[w..]);
            w += i < 0 ? s.Length : i;
            if (i < 0) return w;
            dst[w++] = (byte)'\\';
            dst[w++] = s[i];
            s = s[(i + 1)..];
        }
    }

    /// <summary>A string field value without its quotes.</summary>
    public static int WriteStringValue(ReadOnlySpan<char> s, Span<byte> dst)
    {
        var w = 0;
        while (true)
        {
            var i = s.IndexOfAny(StringSpecials);
            w += Encoding.UTF8.GetBytes(i < 0 ? s : s[..i], dst[w..]);
            if (i < 0) return w;
            dst[w++] = (byte)'\\';
            dst[w++] = (byte)s[i];
            s = s[(i + 1)..];
        }
    }
}
