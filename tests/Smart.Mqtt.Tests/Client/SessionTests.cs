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

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Acks_leave_in_receive_order_so_an_ack_behind_an_unacked_message_waits(MqttProtocolVersion version)
    {
        var id = NewId();
        var topic = NewTopic();
        await using (var sub = await ConnectAsync(Persistent(version, id)))
        {
            await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
            await using (var pub = await ConnectAsync(Options(broker, version)))
                foreach (var text in new[] { "first", "second", "third" }) await pub.PublishAsync(topic, Bytes(text), MqttQos.AtLeastOnce);
            var first = await sub.ReadAsync();
            var second = await sub.ReadAsync();
            var third = await sub.ReadAsync();
            await sub.AcknowledgeAsync(second); // held back: "first" is not acknowledged yet (MQTT 3.1.1 §4.6)
            await sub.AcknowledgeAsync(third);
            Assert.Equal("first", first.Text());
            await sub.DisconnectAsync();
        }

        await using var again = await ConnectAsync(Persistent(version, id));
        var redelivered = new[] { await again.ReadAsync(), await again.ReadAsync(), await again.ReadAsync() };
        Assert.Equal(["first", "second", "third"], redelivered.Select(m => m.Text()));
        foreach (var m in redelivered.Reverse()) await again.AcknowledgeAsync(m); // out of order: all go once "first" is acked
        await again.DisconnectAsync();
        await using var last = await ConnectAsync(Persistent(version, id));
        await last.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Unsubscribed_filter_receives_nothing(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Options(broker, version));
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        await sub.UnsubscribeAsync(topic);
        await using var pub = await ConnectAsync(Options(broker, version));
        await pub.PublishAsync(topic, Bytes("x"), MqttQos.AtLeastOnce);
        await sub.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Concurrent_publishers_on_one_client_lose_nothing(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Options(broker, version));
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        await using var pub = await ConnectAsync(Options(broker, version));
        const int threads = 8, each = 500;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
                await pub.PublishAsync(topic, Bytes($"{t}:{i}"), i % 2 == 0 ? MqttQos.AtLeastOnce : MqttQos.ExactlyOnce);
        })));
        var seen = new HashSet<string>();
        var lastPerThread = new int[threads];
        Array.Fill(lastPerThread, -1);
        while (seen.Count < threads * each)
        {
            var m = await sub.ReadAsync();
            Assert.True(seen.Add(m.Text()), $"duplicate {m.Text()}");
            var parts = m.Text().Split(':');
            var (t, i) = (int.Parse(parts[0]), int.Parse(parts[1]));
            Assert.True(i > lastPerThread[t], $"thread {t}: {i} after {lastPerThread[t]}"); // per-publisher order kept
            lastPerThread[t] = i;
            await sub.AcknowledgeAsync(m);
        }
    }
}
