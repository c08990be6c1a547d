using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

[Collection(BrokerCollection.Name)]
public sealed class QosTests(MosquittoFixture broker)
{
    public static TheoryData<MqttProtocolVersion, MqttQos, MqttQos> Cases()
    {
        var data = new TheoryData<MqttProtocolVersion, MqttQos, MqttQos>();
        foreach (var v in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
            foreach (var q in new[] { MqttQos.AtMostOnce, MqttQos.AtLeastOnce, MqttQos.ExactlyOnce })
                data.Add(v, q, q);
        data.Add(MqttProtocolVersion.V500, MqttQos.ExactlyOnce, MqttQos.AtLeastOnce); // downgraded to the subscription QoS
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Message_round_trips_at_each_qos(MqttProtocolVersion version, MqttQos publishQos, MqttQos subscribeQos)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Options(broker, version));
        await using var pub = await ConnectAsync(Options(broker, version));
        await sub.SubscribeAsync(topic, subscribeQos);

        for (var i = 0; i < 20; i++) await pub.PublishAsync(topic, Bytes($"m{i}"), publishQos);

        for (var i = 0; i < 20; i++)
        {
            var m = await sub.ReadAsync();
            Assert.Equal(topic, m.Topic);
            Assert.Equal($"m{i}", m.Text());
            Assert.Equal(subscribeQos, m.Qos);
            await sub.AcknowledgeAsync(m);
        }
        Assert.Equal(0, pub.InflightCount);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Retained_message_is_delivered_to_a_later_subscriber(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var pub = await ConnectAsync(Options(broker, version));
        await pub.PublishAsync(topic, Bytes("{\"online\":true}"), MqttQos.AtLeastOnce, retain: true);
        await using var sub = await ConnectAsync(Options(broker, version));
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        var m = await sub.ReadAsync();
        Assert.True(m.Retain);
        Assert.Equal("{\"online\":true}", m.Text());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Many_qos1_publishes_through_a_small_window_all_arrive_in_order(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Options(broker, version));
        var pubOptions = Options(broker, version);
        pubOptions.MaxInflight = 16;
        await using var pub = await ConnectAsync(pubOptions);
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        const int count = 5000;

        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(i => pub.PublishAsync(topic, Bytes(i.ToString()), MqttQos.AtLeastOnce)));
        for (var i = 0; i < count; i++)
        {
            var m = await sub.ReadAsync();
            Assert.Equal(i.ToString(), m.Text());
            await sub.AcknowledgeAsync(m);
        }
        await publishing;
        Assert.Equal(0, pub.InflightCount);
    }
}
