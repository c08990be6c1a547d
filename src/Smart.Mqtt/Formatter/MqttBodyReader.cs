using System.Buffers.Binary;
using System.Text;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

/// <summary>Reads the fields of one packet body. Every read is bounds-checked and throws
/// <see cref="MqttProtocolException"/>; nothing is allocated beyond what the body itself contains.</summary>
internal ref struct MqttBodyReader(ReadOnlySpan<byte> body, MqttPacketType type)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _body = body;
    private int _pos;

    public readonly int Remaining => _body.Length - _pos;
    public readonly bool End => _pos == _body.Length;

    public byte ReadByte()
    {
        Need(1, "byte");
        return _body[_pos++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "two-byte integer");
        var v = BinaryPrimitives.ReadUInt16BigEndian(_body[_pos..]);
        _pos += 2;
        return v;
    }

    public uint ReadUInt32()
    {
        Need(4, "four-byte integer");
        var v = BinaryPrimitives.ReadUInt32BigEndian(_body[_pos..]);
        _pos += 4;
        return v;
    }

    /// <summary>Variable byte integer, at most 4 bytes (MQTT 5 §1.5.5).</summary>
    public uint ReadVarInt()
    {
        uint value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte();
            value |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw Fail("variable byte integer longer than 4 bytes (MQTT 5 §1.5.5)");
    }

    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        var len = ReadUInt16();
        Need(len, "binary data");
        var span = _body.Slice(_pos, len);
        _pos += len;
        return span;
    }

    public byte[] ReadBinary() => ReadBinarySpan().ToArray();

    /// <summary>UTF-8 string: well-formed, no U+0000 (MQTT 5 §1.5.4).</summary>
    public string ReadString()
    {
        var bytes = ReadBinarySpan();
        if (bytes.IndexOf((byte)0) >= 0) throw Fail("UTF-8 string contains U+0000 (MQTT 5 §1.5.4)");
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail("string is not well-formed UTF-8 (MQTT 5 §1.5.4)"); }
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _body[_pos..];
        _pos = _body.Length;
        return rest;
    }

    /// <summary>MQTT 5 property list (§2.2.2): length, then id/value pairs of the right types, no forbidden duplicates.</summary>
    public MqttProperties? ReadProperties()
    {
        var length = ReadVarInt();
        if (length == 0) return null;
        Need(length, "property list");
        var end = _pos + (int)length;
        var props = new MqttProperties();
        ulong seen = 0;
        while (_pos < end)
        {
            var id = (MqttPropertyId)ReadVarInt();
            var kind = MqttProperty.TypeOf(id);
            if (kind == MqttPropertyType.Invalid) throw Fail($"unknown property identifier 0x{(uint)id:X2} (MQTT 5 §2.2.2.2)");
            var bit = 1UL << (int)id;
            if ((seen & bit) != 0 && id is not (MqttPropertyId.UserProperty or MqttPropertyId.SubscriptionIdentifier))
                throw Fail($"property {id} appears twice (MQTT 5 §2.2.2.2)");
            seen |= bit;
            props.Items.Add(ReadProperty(id, kind));
            if (_pos > end) throw Fail("property overruns the property length");
        }
        return props;
    }

    private MqttProperty ReadProperty(MqttPropertyId id, MqttPropertyType kind) => kind switch
    {
        MqttPropertyType.Byte => new(id, ReadByte()),
        MqttPropertyType.UInt16 => new(id, ReadUInt16()),
        MqttPropertyType.UInt32 => new(id, ReadUInt32()),
        MqttPropertyType.VarInt => new(id, ReadVarInt()),
        MqttPropertyType.String => new(id, Text: ReadString()),
        MqttPropertyType.Binary => new(id, Binary: ReadBinary()),
        _ => new(id, Text: ReadString(), Value: ReadString()),
    };

    public readonly void ExpectEnd()
    {
        if (!End) throw Fail($"{Remaining} unexpected trailing bytes");
    }

    private readonly void Need(long count, string what)
    {
        if (count > _body.Length - _pos) throw Fail($"truncated: {what} needs {count} bytes, {_body.Length - _pos} left");
    }

    public readonly MqttProtocolException Fail(string reason) => new($"Malformed MQTT {type} packet: {reason}.");
}
