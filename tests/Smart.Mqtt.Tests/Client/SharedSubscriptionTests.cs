using System.Collections.Concurrent;
using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

[Collection(BrokerCollection.Name)]
public sealed class SharedSubscriptionTests(MosquittoFixture broker)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Shared_group_of_two_receives_every_message_exactly_once_between_them(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        var group = "$share/bridge/" + topic + "/+";
        await using var a = await ConnectAsync(Options(broker, version));
        await using var b = await ConnectAsync(Options(broker, version));
        await a.SubscribeAsync(group, MqttQos.AtLeastOnce);
        await b.SubscribeAsync(group, MqttQos.AtLeastOnce);
        const int count = 4000;
        var seen = new ConcurrentDictionary<string, int>();
        var perConsumer = new int[2];
        using var cts = new CancellationTokenSource(TestTimeout);
        var consumers = new[] { Consume(a, 0), Consume(b, 1) };

        await using (var pub = await ConnectAsync(Options(broker, version)))
            for (var i = 0; i < count; i++) await pub.PublishAsync($"{topic}/d{i % 10}", Bytes(i.ToString()), MqttQos.AtLeastOnce);

        await Eventually.UntilAsync(() => seen.Count == count, TestTimeout, $"{count} distinct messages (have {seen.Count})");
        Assert.All(seen, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(count, perConsumer[0] + perConsumer[1]);
        Assert.True(perConsumer[0] > count / 10 && perConsumer[1] > count / 10, $"load split {perConsumer[0]} / {perConsumer[1]}");
        await cts.CancelAsync();
        await Task.WhenAll(consumers).ContinueWith(_ => { });

        async Task Consume(MqttClient client, int index)
        {
            await foreach (var m in client.Messages.ReadAllAsync(cts.Token))
            {
                seen.AddOrUpdate(m.Text(), 1, (_, n) => n + 1);
                Interlocked.Increment(ref perConsumer[index]);
                await client.AcknowledgeAsync(m);
            }
        }
    }
}
