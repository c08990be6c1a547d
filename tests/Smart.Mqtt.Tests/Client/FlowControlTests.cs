using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

[Collection(BrokerCollection.Name)]
public sealed class FlowControlTests(MosquittoFixture broker)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Slow_consumer_gets_every_message_in_order_and_the_blocked_reader_is_not_mistaken_for_a_dead_broker(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        var options = Options(broker, version);
        options.MessageBufferCapacity = 10;
        options.KeepAlive = TimeSpan.FromSeconds(1);
        await using var sub = await ConnectAsync(options);
        var disconnects = 0;
        sub.StateChanged += s => { if (s.Status == MqttConnectionStatus.Disconnected) Interlocked.Increment(ref disconnects); };
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        await using var pub = await ConnectAsync(Options(broker, version));
        const int count = 2000;
        for (var i = 0; i < count; i++) await pub.PublishAsync(topic, Bytes(i.ToString()), MqttQos.AtLeastOnce);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the consumer is busy for 2.5 keep-alive periods: the buffer is full

        for (var i = 0; i < count; i++)
        {
            var m = await sub.ReadAsync();
            Assert.Equal(i.ToString(), m.Text());
            await sub.AcknowledgeAsync(m);
        }
        Assert.Equal(0, disconnects);
    }

    [Fact]
    public async Task Publish_above_the_brokers_maximum_packet_size_is_refused_before_sending()
    {
        var small = new MosquittoFixture();
        small.ExtraConfig.Add("max_packet_size 2000");
        await small.InitializeAsync();
        try
        {
            await using var client = await ConnectAsync(Options(small, MqttProtocolVersion.V500));
            var ex = await Assert.ThrowsAsync<MqttPublishException>(
                () => client.PublishAsync("big/one", new byte[5000], MqttQos.AtLeastOnce));
            Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);
            await client.PublishAsync("small/one", new byte[100], MqttQos.AtLeastOnce);
            Assert.True(client.IsConnected);
        }
        finally
        {
            await small.DisposeAsync();
        }
    }
}
