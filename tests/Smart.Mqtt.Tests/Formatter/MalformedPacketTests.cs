using System.Buffers;
using Smart.Mqtt.Formatter;

namespace Smart.Mqtt.Tests.Formatter;

/// <summary>Each input breaks one rule of the spec; the decoder must say so with <see cref="MqttProtocolException"/>.</summary>
public sealed class MalformedPacketTests
{
    [Theory]
    [InlineData("00 00", "reserved packet type 0")]
    [InlineData("36 05 00 01 61 00 01", "PUBLISH with QoS 3")]
    [InlineData("38 03 00 01 61", "DUP on QoS 0")]
    [InlineData("60 02 00 01", "PUBREL with flags 0000")]
    [InlineData("82 05 00 01 00 01 61", "SUBSCRIBE without options byte")]
    [InlineData("80 06 00 01 00 01 61 01", "SUBSCRIBE with flags 0000")]
    [InlineData("82 02 00 01", "SUBSCRIBE without any filter")]
    [InlineData("82 06 00 01 00 01 61 03", "SUBSCRIBE with QoS 3")]
    [InlineData("82 06 00 01 00 01 61 05", "3.1.1 SUBSCRIBE with reserved option bits")]
    [InlineData("C0 01 00", "PINGREQ with a body")]
    [InlineData("D0 01 00", "PINGRESP with a body")]
    [InlineData("30 FF FF FF FF 01", "remaining length of 5 bytes")]
    [InlineData("40 02 00 00", "PUBACK with packet id 0")]
    [InlineData("40 03 00 01 00", "3.1.1 PUBACK with a trailing byte")]
    [InlineData("32 05 00 01 61 00 00", "PUBLISH QoS 1 with packet id 0")]
    [InlineData("20 02 02 00", "CONNACK with reserved flags")]
    [InlineData("20 03 00 00 00", "3.1.1 CONNACK with a trailing byte")]
    [InlineData("30 04 00 01 2B 61", "PUBLISH topic with '+'")]
    [InlineData("30 04 00 02 C3 28", "PUBLISH topic with invalid UTF-8")]
    [InlineData("30 04 00 02 61 00", "PUBLISH topic with U+0000")]
    [InlineData("30 02 00 00", "PUBLISH with an empty topic (3.1.1)")]
    [InlineData("30 05 00 05 61 62 63", "string longer than the packet")]
    [InlineData("90 02 00 01", "SUBACK without return codes")]
    [InlineData("90 03 00 01 03", "3.1.1 SUBACK return code 3")]
    [InlineData("B0 03 00 01 00", "3.1.1 UNSUBACK with a payload")]
    [InlineData("F0 00", "AUTH on 3.1.1")]
    [InlineData("E0 01 00", "3.1.1 DISCONNECT with a body")]
    [InlineData("10 0C 00 04 4D 51 54 54 03 02 00 3C 00 00", "CONNECT with protocol level 3")]
    [InlineData("10 0C 00 04 4D 51 49 73 04 02 00 3C 00 00", "CONNECT with protocol name MQIs")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 03 00 3C 00 00", "CONNECT with the reserved flag")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 42 00 3C 00 00", "3.1.1 CONNECT with password but no user name")]
    [InlineData("10 0C 00 04 4D 51 54 54 04 1A 00 3C 00 00", "CONNECT with will QoS 3")]
    public void Malformed_mqtt311_packet_is_rejected(string hex, string rule) => AssertRejected(hex, MqttProtocolVersion.V311, rule);

    [Theory]
    [InlineData("40 04 00 01 87 05", "PUBACK property length beyond the body")]
    [InlineData("40 06 00 01 87 02 7F 00", "unknown property 0x7F")]
    [InlineData("20 09 00 00 06 21 00 01 21 00 02", "Receive Maximum twice")]
    [InlineData("20 05 00 00 02 21 00", "property value truncated")]
    [InlineData("20 07 00 00 04 1F 00 05 61", "reason string longer than its property")]
    [InlineData("30 05 00 00 03 23 00", "empty topic with a truncated topic alias")]
    [InlineData("30 03 00 00 00", "empty topic without a topic alias")]
    [InlineData("82 07 00 01 00 00 01 61 C1", "SUBSCRIBE with reserved option bits 6-7")]
    [InlineData("82 07 00 01 00 00 01 61 31", "SUBSCRIBE with retain handling 3")]
    [InlineData("B0 03 00 01 00", "UNSUBACK without reason codes")]
    [InlineData("E0 02 00 FF", "DISCONNECT with a property length beyond the body")]
    public void Malformed_mqtt5_packet_is_rejected(string hex, string rule) => AssertRejected(hex, MqttProtocolVersion.V500, rule);

    [Fact]
    public void Packet_larger_than_MaxPacketBytes_is_rejected_from_its_header_alone()
    {
        // Claims 200 MB; only the 5-byte header is present. Must fail at once, without waiting for or buffering the body.
        var seq = new ReadOnlySequence<byte>(Hex("30 80 80 80 64"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.TryDecode(ref seq, MqttProtocolVersion.V500, 1 << 20, out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("maximum packet size", ex.Message);
    }

    [Fact]
    public void Incomplete_packet_under_the_limit_waits_for_more_without_allocating()
    {
        var seq = new ReadOnlySequence<byte>(Hex("30 FF FF 3F 00 01 61")); // 1 MB - 1 announced, 3 bytes present
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(MqttPacketDecoder.TryDecode(ref seq, MqttProtocolVersion.V500, 1 << 21, out var packet));
        Assert.Null(packet);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024);
    }

    private static void AssertRejected(string hex, MqttProtocolVersion version, string rule)
    {
        var seq = new ReadOnlySequence<byte>(Hex(hex));
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketDecoder.TryDecode(ref seq, version, 1 << 20, out _));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), rule);
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}
