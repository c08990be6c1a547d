using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Smart.Influx.LineProtocol;

/// <summary>
/// Builds a batch of InfluxDB line protocol as UTF-8 in a pooled, reusable buffer: no per-point strings.
/// <code>
/// lp.Measurement("fire").Tag("device", id).Tag("grid", grid).Field("temp_c", 21.5).Field("alarm", false).Timestamp(ms);
/// await writer.WriteAsync(lp.WrittenMemory, ct); lp.Clear();
/// </code>
/// Write tags sorted by key (ordinal, as InfluxDB sorts them): the caller is responsible, InfluxDB's
/// recommendation for write performance; unsorted tags are still correct. A tag with an empty value is
/// omitted (InfluxDB has no empty tag values). If a call throws (NaN, bad name), the unfinished line is
/// removed so the batch stays valid. Not thread-safe: one writer per producing task.
/// </summary>
public sealed partial class LineProtocolWriter : IDisposable
{
    private enum State { LineStart, Tags, Fields }

    private byte[] _buffer;
    private int _length;
    private int _lineStart;
    private State _state;

    /// <summary>Creates a writer with a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public LineProtocolWriter(int initialCapacity = 64 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>The finished lines (an unfinished line is excluded).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _lineStart);

    /// <summary>The finished lines as a span.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _lineStart);

    /// <summary>Bytes of finished lines.</summary>
    public int Length => _lineStart;

    /// <summary>Finished points since the last <see cref="Clear"/>.</summary>
    public int PointCount { get; private set; }

    /// <summary>Forgets everything written; keeps the buffer for reuse.</summary>
    public void Clear()
    {
        _length = _lineStart = 0;
        PointCount = 0;
        _state = State.LineStart;
    }

    /// <summary>Starts a point. Commas and spaces are escaped.</summary>
    public LineProtocolWriter Measurement(ReadOnlySpan<char> name)
    {
        if (_state != State.LineStart) Fail("Measurement called before the previous point ended: call Timestamp or EndLine first.");
        if (name.IsEmpty || name[0] == '#') Fail($"Measurement '{name}' is empty or starts with '#', which line protocol reads as a comment.");
        Guarded(name, static (s, d) => LineProtocolEscaping.WriteMeasurement(s, d));
        _state = State.Tags;
        return this;
    }

    /// <summary>Adds a tag (call in key order). An empty value omits the tag.</summary>
    public LineProtocolWriter Tag(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        if (_state != State.Tags) Fail($"Tag '{key}' must come after Measurement and before the first Field.");
        if (value.IsEmpty) return this;
        CheckKey(key, "tag key");
        WriteByte((byte)',');
        Guarded(key, static (s, d) => LineProtocolEscaping.WriteKey(s, d, "tag key"));
        WriteByte((byte)'=');
        Guarded(value, static (s, d) => LineProtocolEscaping.WriteKey(s, d, "tag value"));
        return this;
    }

    /// <summary>Adds a tag whose key is a UTF-8 literal needing no escaping (<c>"device"u8</c>).</summary>
    public LineProtocolWriter Tag(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<char> value)
    {
        if (_state != State.Tags) Fail("Tag must come after Measurement and before the first Field.");
        if (value.IsEmpty) return this;
        CheckKey(keyUtf8);
        WriteByte((byte)',');
        WriteBytes(keyUtf8);
        WriteByte((byte)'=');
        Guarded(value, static (s, d) => LineProtocolEscaping.WriteKey(s, d, "tag value"));
        return this;
    }

    /// <summary>Adds a tag from UTF-8 bytes (a device id sliced from the MQTT topic): no transcoding. Escaped like strings.</summary>
    public LineProtocolWriter Tag(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<byte> valueUtf8)
    {
        if (_state != State.Tags) Fail("Tag must come after Measurement and before the first Field.");
        if (valueUtf8.IsEmpty) return this;
        CheckKey(keyUtf8);
        WriteByte((byte)',');
        WriteBytes(keyUtf8);
        WriteByte((byte)'=');
        Guarded(valueUtf8, static (s, d) => LineProtocolEscaping.WriteKeyUtf8(s, d, "tag value"));
        return this;
    }

    /// <summary>Ends the point without a timestamp (the server's receive time is used).</summary>
    public LineProtocolWriter EndLine()
    {
        if (_state != State.Fields) Fail("A point needs a Measurement and at least one Field before it ends.");
        WriteByte((byte)'\n');
        FinishLine();
        return this;
    }

    /// <summary>Ends the point with a timestamp in the precision the batch is sent with (ms by default).</summary>
    public LineProtocolWriter Timestamp(long value)
    {
        if (_state != State.Fields) Fail("A point needs a Measurement and at least one Field before its Timestamp.");
        WriteByte((byte)' ');
        Format(value);
        WriteByte((byte)'\n');
        FinishLine();
        return this;
    }

    /// <summary>Ends the point with <paramref name="time"/> converted to <paramref name="precision"/>.</summary>
    public LineProtocolWriter Timestamp(DateTimeOffset time, InfluxPrecision precision) => Timestamp(ToEpoch(time, precision));

    /// <summary>Time since the Unix epoch in the unit of <paramref name="precision"/>.</summary>
    public static long ToEpoch(DateTimeOffset time, InfluxPrecision precision)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return precision switch
        {
            InfluxPrecision.Nanoseconds => checked(ticks * 100),
            InfluxPrecision.Microseconds => ticks / 10,
            InfluxPrecision.Milliseconds => ticks / TimeSpan.TicksPerMillisecond,
            _ => ticks / TimeSpan.TicksPerSecond,
        };
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }

    private void FinishLine()
    {
        _lineStart = _length;
        _state = State.LineStart;
        PointCount++;
    }

    private void CheckKey(ReadOnlySpan<char> key, string what)
    {
        if (key.IsEmpty) Fail($"A {what} is empty.");
        if (key is "time") Fail($"The {what} 'time' is rejected by InfluxDB (the point would be dropped); rename it.");
    }

    private void CheckKey(ReadOnlySpan<byte> keyUtf8)
    {
        if (!LineProtocolEscaping.IsPlainUtf8Name(keyUtf8) || keyUtf8.SequenceEqual("time"u8))
            Fail("A UTF-8 key must be non-empty, not 'time', and need no escaping; use the string overload.");
    }

    private void Fail(string message)
    {
        _length = _lineStart;
        _state = State.LineStart;
        throw new ArgumentException(message);
    }
}
