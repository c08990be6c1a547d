namespace Smart.Influx.LineProtocol;

public sealed partial class LineProtocolWriter
{
    /// <summary>A float field; NaN and infinities are rejected (InfluxDB cannot store them).</summary>
    public LineProtocolWriter Field(ReadOnlySpan<char> key, double value)
    {
        if (!double.IsFinite(value)) Fail($"Field '{key}' is {value}; InfluxDB stores only finite floats. Validate the reading before writing it.");
        FieldKey(key);
        Format(value);
        return this;
    }

    /// <summary>An integer field (written with the <c>i</c> suffix).</summary>
    public LineProtocolWriter Field(ReadOnlySpan<char> key, long value)
    {
        FieldKey(key);
        Format(value);
        WriteByte((byte)'i');
        return this;
    }

    /// <summary>A boolean field.</summary>
    public LineProtocolWriter Field(ReadOnlySpan<char> key, bool value)
    {
        FieldKey(key);
        WriteBytes(value ? "true"u8 : "false"u8);
        return this;
    }

    /// <summary>A string field; quotes and backslashes are escaped, line breaks kept.</summary>
    public LineProtocolWriter Field(ReadOnlySpan<char> key, string value) => StringField(key, value.AsSpan());

    /// <summary>A string field from a span.</summary>
    public LineProtocolWriter StringField(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        FieldKey(key);
        WriteByte((byte)'"');
        Guarded(value, static (s, d) => LineProtocolEscaping.WriteStringValue(s, d));
        WriteByte((byte)'"');
        return this;
    }

    /// <summary>A string field from UTF-8 bytes (e.g. sliced from the JSON payload): no transcoding.</summary>
    public LineProtocolWriter StringField(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<byte> valueUtf8)
    {
        FieldKey(keyUtf8);
        WriteByte((byte)'"');
        Guarded(valueUtf8, static (s, d) => LineProtocolEscaping.WriteStringValueUtf8(s, d));
        WriteByte((byte)'"');
        return this;
    }

    /// <summary>A float field whose key is a UTF-8 literal needing no escaping (<c>"temp_c"u8</c>).</summary>
    public LineProtocolWriter Field(ReadOnlySpan<byte> keyUtf8, double value)
    {
        if (!double.IsFinite(value)) Fail($"A field is {value}; InfluxDB stores only finite floats. Validate the reading before writing it.");
        FieldKey(keyUtf8);
        Format(value);
        return this;
    }

    /// <summary>An integer field whose key is a UTF-8 literal.</summary>
    public LineProtocolWriter Field(ReadOnlySpan<byte> keyUtf8, long value)
    {
        FieldKey(keyUtf8);
        Format(value);
        WriteByte((byte)'i');
        return this;
    }

    /// <summary>A boolean field whose key is a UTF-8 literal.</summary>
    public LineProtocolWriter Field(ReadOnlySpan<byte> keyUtf8, bool value)
    {
        FieldKey(keyUtf8);
        WriteBytes(value ? "true"u8 : "false"u8);
        return this;
    }

    private void FieldKey(ReadOnlySpan<char> key)
    {
        BeginField();
        CheckKey(key, "field key");
        Guarded(key, static (s, d) => LineProtocolEscaping.WriteKey(s, d, "field key"));
        WriteByte((byte)'=');
    }

    private void FieldKey(ReadOnlySpan<byte> keyUtf8)
    {
        BeginField();
        CheckKey(keyUtf8);
        WriteBytes(keyUtf8);
        WriteByte((byte)'=');
    }

    private void BeginField()
    {
        if (_state == State.LineStart) Fail("Field called before Measurement.");
        WriteByte(_state == State.Tags ? (byte)' ' : (byte)',');
        _state = State.Fields;
    }
}
