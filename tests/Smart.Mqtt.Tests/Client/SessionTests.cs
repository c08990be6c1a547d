using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

/// <summary>Persistent sessions: offline queueing, redelivery of unacknowledged messages, resumption.</summary>
[Collection(BrokerCollection.Name)]
public sealed class SessionTests(MosquittoFixture broker)
{
    private MqttClientOptions Persistent(MqttProtocolVersion version, string clientId)
    {
        var o = Options(broker, version, clientId);
        o.CleanStart = false;
        o.SessionExpirySeconds = 300;
        return o;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Messages_published_while_offline_arrive_after_reconnect(MqttProtocolVersion version)
    {
        var id = NewId();
        var topic = NewTopic();
        await using (var sub = await ConnectAsync(Persistent(version, id)))
        {
            Assert.False(sub.SessionPresent);
            await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
            await sub.DisconnectAsync();
        }
        await using (var pub = await ConnectAsync(Options(broker, version)))
            for (var i = 0; i < 50; i++) await pub.PublishAsync(topic, Bytes($"offline {i}"), MqttQos.AtLeastOnce);

        await using var again = await ConnectAsync(Persistent(version, id));
        Assert.True(again.SessionPresent);
        for (var i = 0; i < 50; i++)
        {
            var m = await again.ReadAsync();
            Assert.Equal($"offline {i}", m.Text());
            await again.AcknowledgeAsync(m);
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Unacked_qos1_message_is_redelivered_after_disconnect(MqttProtocolVersion version)
    {
        var id = NewId();
        var topic = NewTopic();
        await using (var sub = await ConnectAsync(Persistent(version, id)))
        {
            await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
            await using (var pub = await ConnectAsync(Options(broker, version)))
            {
                await pub.PublishAsync(topic, Bytes("acked"), MqttQos.AtLeastOnce);
                await pub.PublishAsync(topic, Bytes("not acked"), MqttQos.AtLeastOnce);
            }
            var first = await sub.ReadAsync();
            await sub.AcknowledgeAsync(first);
            var second = await sub.ReadAsync();
            Assert.Equal("not acked", second.Text());
            await sub.DisconnectAsync(); // without acknowledging the second message
        }

        await using var again = await ConnectAsync(Persistent(version, id));
        var redelivered = await again.ReadAsync();
        Assert.Equal("not acked", redelivered.Text());
        Assert.True(redelivered.Duplicate);
        await again.AcknowledgeAsync(redelivered);
        await again.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Clean_start_discards_the_session(MqttProtocolVersion version)
    {
        var id = NewId();
        var topic = NewTopic();
        await using (var sub = await ConnectAsync(Persistent(version, id)))
        {
            await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
            await sub.DisconnectAsync();
        }
        var clean = Options(broker, version, id);
        await using var again = await ConnectAsync(clean);
        Assert.False(again.SessionPresent);
        await using var pub = await ConnectAsync(Options(broker, version));
        await pub.PublishAsync(topic, Bytes("x"), MqttQos.AtLeastOnce);
        await again.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }
}
