using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Formatter;

/// <summary>Appends MQTT data types (MQTT 5 §1.5) to a buffer.</summary>
internal static class MqttBodyWriter
{
    public static void WriteByte(this IBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }

    public static void WriteUInt16(this IBufferWriter<byte> w, ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(w.GetSpan(2), value);
        w.Advance(2);
    }

    public static void WriteUInt32(this IBufferWriter<byte> w, uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    public static void WriteVarInt(this IBufferWriter<byte> w, uint value)
    {
        var n = WriteVarInt(w.GetSpan(4), value);
        w.Advance(n);
    }

    public static int WriteVarInt(Span<byte> span, uint value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            span[i++] = value > 0 ? (byte)(b | 0x80) : b;
        } while (value > 0);
        return i;
    }

    public static int VarIntSize(uint value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    public static void WriteString(this IBufferWriter<byte> w, string value)
    {
        var len = Encoding.UTF8.GetByteCount(value);
        if (len > ushort.MaxValue) throw new ArgumentException($"MQTT string of {len} UTF-8 bytes exceeds 65535 (MQTT 5 §1.5.4).");
        w.WriteUInt16((ushort)len);
        var n = Encoding.UTF8.GetBytes(value, w.GetSpan(len));
        w.Advance(n);
    }

    public static void WriteBinary(this IBufferWriter<byte> w, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue) throw new ArgumentException($"MQTT binary data of {value.Length} bytes exceeds 65535 (MQTT 5 §1.5.6).");
        w.WriteUInt16((ushort)value.Length);
        w.Write(value);
    }

    public static void WriteProperties(this IBufferWriter<byte> w, MqttProperties? props)
    {
        if (props is null || props.Items.Count == 0)
        {
            w.WriteByte(0);
            return;
        }
        var body = new ArrayBufferWriter<byte>();
        foreach (var p in props.Items) WriteProperty(body, p);
        w.WriteVarInt((uint)body.WrittenCount);
        w.Write(body.WrittenSpan);
    }

    private static void WriteProperty(ArrayBufferWriter<byte> w, MqttProperty p)
    {
        w.WriteVarInt((uint)p.Id);
        switch (MqttProperty.TypeOf(p.Id))
        {
            case MqttPropertyType.Byte: w.WriteByte((byte)p.Number); break;
            case MqttPropertyType.UInt16: w.WriteUInt16((ushort)p.Number); break;
            case MqttPropertyType.UInt32: w.WriteUInt32(p.Number); break;
            case MqttPropertyType.VarInt: w.WriteVarInt(p.Number); break;
            case MqttPropertyType.String: w.WriteString(p.Text ?? ""); break;
            case MqttPropertyType.Binary: w.WriteBinary(p.Binary); break;
            case MqttPropertyType.StringPair: w.WriteString(p.Text ?? ""); w.WriteString(p.Value ?? ""); break;
            default: throw new ArgumentException($"Unknown MQTT property id 0x{(byte)p.Id:X2}.");
        }
    }
}
