using System.Buffers;
using Smart.Mqtt.Formatter;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt.Tests.Formatter;

/// <summary>Every packet type, both protocol versions: encode, decode, compare; and the byte layout of a few
/// against the spec's own examples.</summary>
public sealed class CodecRoundTripTests
{
    public static TheoryData<MqttProtocolVersion, string> Cases()
    {
        var data = new TheoryData<MqttProtocolVersion, string>();
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            foreach (var name in SamplePackets.Names(v))
                data.Add(v, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Packet_round_trips(MqttProtocolVersion version, string name)
    {
        var packet = SamplePackets.Create(version, name);
        var bytes = Encode(packet, version);

        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.True(MqttPacketDecoder.TryDecode(ref sequence, version, 1 << 20, out var decoded));
        Assert.True(sequence.IsEmpty);
        Assert.Equal(SamplePackets.Describe(packet, version), SamplePackets.Describe(decoded!, version));
        Assert.Equal(bytes, Encode(decoded!, version)); // canonical: re-encoding gives the same bytes
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Packet_split_across_segments_and_fed_byte_by_byte_decodes_the_same(MqttProtocolVersion version, string name)
    {
        var bytes = Encode(SamplePackets.Create(version, name), version);
        for (var available = 0; available < bytes.Length; available++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, available);
            Assert.False(MqttPacketDecoder.TryDecode(ref partial, version, 1 << 20, out _));
        }
        var segmented = Segments.Split(bytes, 3);
        Assert.True(MqttPacketDecoder.TryDecode(ref segmented, version, 1 << 20, out var decoded));
        Assert.Equal(bytes, Encode(decoded!, version));
    }

    [Fact]
    public void Publish_matches_the_wire_layout_of_mqtt311()
    {
        var packet = MqttPublishPacket.Create("a/b", [1, 2], MqttQos.AtLeastOnce, retain: true, dup: false, packetId: 10);
        // 0x33 = PUBLISH|QoS1|RETAIN, remaining 9: topic len 3 "a/b", packet id 10, payload 01 02 (MQTT 3.1.1 §3.3)
        Assert.Equal(new byte[] { 0x33, 9, 0, 3, (byte)'a', (byte)'/', (byte)'b', 0, 10, 1, 2 }, Encode(packet, MqttProtocolVersion.V311));
    }

    [Fact]
    public void Puback_with_success_omits_the_reason_code_on_mqtt5()
    {
        var bytes = Encode(new MqttAckPacket(MqttPacketType.PubAck, 7), MqttProtocolVersion.V500);
        Assert.Equal(new byte[] { 0x40, 2, 0, 7 }, bytes); // MQTT 5 §3.4.2.1
    }

    [Fact]
    public void Large_remaining_length_uses_a_multi_byte_variable_integer()
    {
        var payload = new byte[200_000];
        new Random(7).NextBytes(payload);
        var packet = MqttPublishPacket.Create("big", payload, MqttQos.AtMostOnce, false, false, 0);
        var bytes = Encode(packet, MqttProtocolVersion.V500);
        Assert.Equal(0x30, bytes[0]);
        Assert.True((bytes[1] & 0x80) != 0 && (bytes[2] & 0x80) != 0 && (bytes[3] & 0x80) == 0); // 3-byte length (§1.5.5)
        var seq = new ReadOnlySequence<byte>(bytes);
        Assert.True(MqttPacketDecoder.TryDecode(ref seq, MqttProtocolVersion.V500, 1 << 20, out var decoded));
        Assert.Equal(payload, ((MqttPublishPacket)decoded!).Message.Payload.ToArray());
    }

    internal static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var w = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(w, packet, version);
        return w.WrittenSpan.ToArray();
    }
}

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> (the decoder must not assume one segment).</summary>
internal sealed class Segments : ReadOnlySequenceSegment<byte>
{
    private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        if (bytes.Length <= size) return new ReadOnlySequence<byte>(bytes);
        var first = new Segments(bytes.AsMemory(0, size), 0);
        var last = first;
        for (var i = size; i < bytes.Length; i += size)
        {
            var next = new Segments(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), i);
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
