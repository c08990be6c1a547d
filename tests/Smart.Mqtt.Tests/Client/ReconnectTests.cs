using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

/// <summary>Broker restarts and crashes: each test owns its broker.</summary>
public sealed class ReconnectTests : IAsyncLifetime
{
    private readonly MosquittoFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    /// <summary>A client whose session outlives its connection (clean start off, 10 min expiry).</summary>
    private MqttClientOptions Persistent(MqttProtocolVersion version)
    {
        var options = Options(_broker, version, NewId());
        options.CleanStart = false;
        options.SessionExpirySeconds = 600;
        return options;
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Client_reconnects_after_broker_restart_and_resumes_its_session(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        var options = Persistent(version);
        await using var sub = await ConnectAsync(options);
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        var connected = 0;
        sub.StateChanged += s => { if (s.Status == MqttConnectionStatus.Connected) Interlocked.Increment(ref connected); };

        await _broker.RestartAsync();
        await Eventually.UntilAsync(() => sub.IsConnected && connected > 0, TestTimeout, "reconnect");
        Assert.True(sub.SessionPresent);

        await using var pub = await ConnectAsync(Options(_broker, version));
        await pub.PublishAsync(topic, Bytes("after restart"), MqttQos.AtLeastOnce);
        Assert.Equal("after restart", (await sub.ReadAsync()).Text());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Subscriptions_are_restored_when_the_broker_lost_the_session(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Options(_broker, version)); // clean session: nothing persisted
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);

        await _broker.RestartAsync();
        await Eventually.UntilAsync(() => sub.IsConnected, TestTimeout, "reconnect");
        Assert.False(sub.SessionPresent);

        await using var pub = await ConnectAsync(Options(_broker, version));
        await pub.PublishAsync(topic, Bytes("resubscribed"), MqttQos.AtLeastOnce);
        Assert.Equal("resubscribed", (await sub.ReadAsync()).Text());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Keep_alive_detects_a_broker_killed_with_sigkill(MqttProtocolVersion version)
    {
        var options = Options(_broker, version);
        options.KeepAlive = TimeSpan.FromSeconds(1);
        options.AutoReconnect = false;
        await using var client = await ConnectAsync(options);
        var lost = new TaskCompletionSource<Exception?>();
        client.StateChanged += s => { if (s.Status == MqttConnectionStatus.Disconnected) lost.TrySetResult(s.Reason); };

        _broker.Kill();

        var reason = await lost.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<MqttCommunicationException>(reason);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttQos.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQos.AtLeastOnce)]
    [InlineData(MqttProtocolVersion.V311, MqttQos.ExactlyOnce)]
    [InlineData(MqttProtocolVersion.V500, MqttQos.ExactlyOnce)]
    public async Task Publishes_in_flight_during_a_broker_restart_all_complete_and_nothing_is_lost(MqttProtocolVersion version, MqttQos qos)
    {
        var topic = NewTopic();
        await using var sub = await ConnectAsync(Persistent(version));
        await sub.SubscribeAsync(topic, qos);
        var pubOptions = Persistent(version);
        pubOptions.MaxInflight = 50;
        await using var pub = await ConnectAsync(pubOptions);
        const int count = 3000;
        var acked = 0;

        var publishing = Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await pub.PublishAsync(topic, Bytes(i.ToString()), qos);
            Interlocked.Increment(ref acked);
        }));
        await Eventually.UntilAsync(() => Volatile.Read(ref acked) > 300, TestTimeout, "first acks");
        await _broker.RestartAsync();
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));

        var seen = new Dictionary<string, int>();
        var unflaggedRepeats = 0;
        while (seen.Count < count)
        {
            var m = await sub.ReadAsync();
            var n = seen[m.Text()] = seen.GetValueOrDefault(m.Text()) + 1;
            if (n > 1 && !m.Duplicate) unflaggedRepeats++;
            await sub.AcknowledgeAsync(m);
        }
        Assert.Equal(count, seen.Count);
        // Messages the subscriber had received but not acknowledged when the broker went down come again, flagged DUP
        // (manual ack: that is the point). For QoS 2 nothing acknowledged is ever repeated without the flag.
        if (qos == MqttQos.ExactlyOnce) Assert.Equal(0, unflaggedRepeats);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Message_not_acked_when_the_connection_dropped_is_redelivered_on_the_new_connection(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        var options = Persistent(version);
        await using var sub = await ConnectAsync(options);
        await sub.SubscribeAsync(topic, MqttQos.AtLeastOnce);
        await using var pub = await ConnectAsync(Options(_broker, version));
        await pub.PublishAsync(topic, Bytes("durable?"), MqttQos.AtLeastOnce);
        var first = await sub.ReadAsync();

        sub.DropConnection(); // network failure before the application made it durable
        await Eventually.UntilAsync(() => sub.IsConnected, TestTimeout, "reconnect");
        await sub.AcknowledgeAsync(first); // stale: belongs to the dead connection, must be a no-op

        var again = await sub.ReadAsync();
        Assert.Equal("durable?", again.Text());
        Assert.True(again.Duplicate);
        await sub.AcknowledgeAsync(again);
        await sub.AssertNoMessageAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Keep_alive_detects_a_frozen_broker_that_keeps_the_socket_open()
    {
        // SIGSTOP: the process is alive and the kernel keeps the TCP connection, but nothing answers — only the
        // keep-alive (PINGREQ without PINGRESP for 1.5 × keep-alive, MQTT 5 §3.1.2.10) can notice.
        var options = Options(_broker, MqttProtocolVersion.V500);
        options.KeepAlive = TimeSpan.FromSeconds(1);
        options.AutoReconnect = false;
        await using var client = await ConnectAsync(options);
        var lost = new TaskCompletionSource<Exception?>();
        client.StateChanged += s => { if (s.Status == MqttConnectionStatus.Disconnected) lost.TrySetResult(s.Reason); };
        Signal("STOP");
        try
        {
            var reason = await lost.Task.WaitAsync(TimeSpan.FromSeconds(6));
            Assert.Contains("keep-alive", reason!.Message);
        }
        finally
        {
            Signal("CONT");
        }
    }

    [Fact]
    public async Task DisconnectAsync_fails_publishes_the_broker_never_acknowledged()
    {
        var options = Options(_broker, MqttProtocolVersion.V500);
        await using var client = await ConnectAsync(options);
        Signal("STOP");
        try
        {
            var pending = client.PublishAsync("frozen/topic", Bytes("x"), MqttQos.AtLeastOnce);
            await client.DisconnectAsync();
            var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => pending);
            Assert.Contains("before the broker acknowledged", ex.Message);
            Assert.Equal(0, client.InflightCount);
        }
        finally
        {
            Signal("CONT");
        }
    }

    private void Signal(string name)
    {
        using var kill = System.Diagnostics.Process.Start("/bin/kill", ["-" + name, _broker.Pid.ToString()]);
        kill.WaitForExit(5000);
        Assert.Equal(0, kill.ExitCode);
    }
}
