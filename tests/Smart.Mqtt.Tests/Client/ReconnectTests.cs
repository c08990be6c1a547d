using Smart.Testing;
using static Smart.Mqtt.Tests.TestClients;

namespace Smart.Mqtt.Tests.Client;

/// <summary>Broker restarts and crashes: each test owns its broker.</summary>
public sealed class ReconnectTests : IAsyncLifetime
{
    private readonly MosquittoFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Client_reconnects_after_broker_restart_and_resumes_its_session(MqttProtocolVersion version)
    {
        var topic = NewTopic();
        var options = Options(_broker, version, NewId());
        options.CleanStart = false;
        options.SessionExpirySeconds = 600;
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
}
