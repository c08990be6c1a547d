using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

[Collection(BrokerCollection.Name)]
public sealed class ConnectionTests(MosquittoFixture broker)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Idle_client_stays_connected_across_several_keep_alive_periods(MqttProtocolVersion version)
    {
        // mosquitto drops a client silent for 1.5 × keep-alive (MQTT 5 §3.1.2.10); only PINGREQs keep this one alive.
        var options = Options(broker, version);
        options.KeepAlive = TimeSpan.FromSeconds(1);
        options.AutoReconnect = false;
        await using var client = await ConnectAsync(options);
        var states = new List<MqttConnectionState>();
        client.StateChanged += s => { lock (states) states.Add(s); };

        await Task.Delay(TimeSpan.FromSeconds(3.5)); // the property under test is "nothing happens for 3.5 keep-alives"

        Assert.True(client.IsConnected, string.Join("; ", states));
        Assert.Empty(states);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Will_message_fires_when_the_connection_drops(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var watcher = await ConnectAsync(Options(broker, version));
        await watcher.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        var options = Options(broker, version);
        options.Will = new MqttWill(topic, Bytes("{\"online\":false}"), MqttQos.AtLeastOnce);
        options.AutoReconnect = false;
        await using var device = await ConnectAsync(options);

        device.DropConnection(); // socket closed without DISCONNECT, as a network failure would

        var will = await watcher.ReadAsync();
        Assert.Equal("{\"online\":false}", will.Text());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Clean_disconnect_does_not_send_the_will(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var watcher = await ConnectAsync(Options(broker, version));
        await watcher.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        var options = Options(broker, version);
        options.Will = new MqttWill(topic, Bytes("gone"), MqttQos.AtLeastOnce);
        await using (var device = await ConnectAsync(options)) await device.DisconnectAsync();
        await watcher.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Connect_to_a_closed_port_fails_with_a_communication_error()
    {
        var options = Options(broker, MqttProtocolVersion.V500);
        options.Port = Ports.Free();
        await using var client = new MqttClient(options);
        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());
        Assert.Contains(options.Port.ToString(), ex.Message);
    }

    [Fact]
    public async Task Operations_before_connect_fail_clearly()
    {
        await using var client = new MqttClient(Options(broker, MqttProtocolVersion.V500));
        await Assert.ThrowsAsync<MqttCommunicationException>(() => client.PublishAsync("a/b", Bytes("x")));
        await Assert.ThrowsAsync<MqttCommunicationException>(() => client.PublishAsync("a/b", Bytes("x"), MqttQos.AtLeastOnce));
        await Assert.ThrowsAsync<MqttCommunicationException>(() => client.SubscribeAsync("a/#", MqttQos.AtLeastOnce));
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/+", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync("a/#/b", MqttQos.AtLeastOnce));
    }

    [Fact]
    public async Task Connection_state_errors_come_through_the_task_not_as_synchronous_throws()
    {
        await using var client = new MqttClient(Options(broker, MqttProtocolVersion.V500));
        var qos0 = client.PublishAsync("a/b", Bytes("x"));
        var qos1 = client.PublishAsync("a/b", Bytes("x"), MqttQos.AtLeastOnce);
        await Assert.ThrowsAsync<MqttCommunicationException>(() => qos0);
        await Assert.ThrowsAsync<MqttCommunicationException>(() => qos1);
    }

    [Theory]
    [InlineData("mqtt://127.0.0.1:1884", "127.0.0.1", 1884, false, null, null)]
    [InlineData("mqtts://broker.local", "broker.local", 8883, true, null, null)]
    [InlineData("mqtt://bridge:p%40ss@localhost", "localhost", 1883, false, "bridge", "p@ss")]
    public void Options_parse_from_url(string url, string host, int port, bool tls, string? user, string? password)
    {
        var o = MqttClientOptions.FromUrl(url);
        Assert.Equal((host, port, tls, user, password), (o.Host, o.Port, o.Tls is not null, o.Username, o.Password));
    }
}
