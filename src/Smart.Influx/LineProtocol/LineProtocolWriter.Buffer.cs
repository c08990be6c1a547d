using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace Smart.Influx.LineProtocol;

public sealed partial class LineProtocolWriter
{
    private delegate int SpanWriter(ReadOnlySpan<char> s, Span<byte> dst);

    private void Guarded(ReadOnlySpan<char> s, SpanWriter write)
    {
        try { _length += write(s, Reserve(s.Length * LineProtocolEscaping.MaxBytesPerChar + 2)); }
        catch (ArgumentException e) { Fail(e.Message); }
    }

    private delegate int Utf8Writer(ReadOnlySpan<byte> s, Span<byte> dst);

    private void Guarded(ReadOnlySpan<byte> s, Utf8Writer write)
    {
        try { _length += write(s, Reserve(s.Length * 2 + 2)); }
        catch (ArgumentException e) { Fail(e.Message); }
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_buffer.Length - _length < bytes) Grow(bytes);
        return _buffer.AsSpan(_length);
    }

    private void Grow(int bytes)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void WriteByte(byte b)
    {
        Reserve(1)[0] = b;
        _length++;
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _length += bytes.Length;
    }

    private void Format(long value)
    {
        Utf8Formatter.TryFormat(value, Reserve(20), out var n);
        _length += n;
    }

    private void Format(double value)
    {
        // "R": shortest text that parses back to the same double (1.7976931348623157E+308, 5E-324, -0).
        value.TryFormat(Reserve(32), out var n, "R", CultureInfo.InvariantCulture);
        _length += n;
    }
}
