using Smart.Host.Bridge;
using Smart.Mqtt;
using Smart.Testing;

namespace Smart.Host.Tests.Bridge;

public sealed class BrokerListeningTests : IAsyncLifetime
{
    private readonly MosquittoFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();
    public Task DisposeAsync() => _broker.DisposeAsync();

    private sealed class HandClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Listening_starts_when_the_session_connects_and_starts_afresh_after_the_broker_comes_back()
    {
        var clock = new HandClock(DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000));
        var listening = new BrokerListening(clock);
        var states = new List<MqttConnectionStatus>();
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = _broker.Host, Port = _broker.Port, ClientId = "bridge-under-test", ProtocolVersion = MqttProtocolVersion.V500,
            CleanStart = false, SessionExpirySeconds = 3600, AutoReconnect = true,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(300),
        });
        client.StateChanged += listening.Observe;
        client.StateChanged += s => { lock (states) states.Add(s.Status); };
        Assert.Null(listening.SinceMs);

        await client.ConnectAsync();
        Assert.Equal(1_790_000_000_000, listening.SinceMs);

        clock.Now = clock.Now.AddMinutes(30); // the broker is away "for half an hour"
        await _broker.StopAsync();
        await Eventually.UntilAsync(() => { lock (states) return states.Contains(MqttConnectionStatus.Disconnected); }, TimeSpan.FromSeconds(20), "the drop noticed");
        await _broker.StartAsync();
        await Eventually.UntilAsync(() => client.IsConnected, TimeSpan.FromSeconds(20), "reconnected");
        Assert.Equal(1_790_000_000_000 + 30 * 60_000, listening.SinceMs);
    }
}
