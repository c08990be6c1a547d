using System.Collections.Concurrent;
using System.Text.Json;
using Smart.Mqtt;

namespace FirmwareSim.Tests.Broker;

/// <summary>A test subscriber (persistent QoS 1 session) that records everything it receives.</summary>
internal sealed class Observer : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private Task? _pump;

    public ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> Received { get; } = new();

    private Observer(MqttClient client) => _client = client;

    public static async Task<Observer> StartAsync(SecuredMosquittoFixture broker, string filter = "smart/v1/#")
    {
        var options = MqttClientOptions.FromUrl(broker.Url);
        options.ClientId = $"observer-{Guid.NewGuid():N}";
        options.Username = SecuredMosquittoFixture.Observer;
        options.Password = SecuredMosquittoFixture.ObserverPassword;
        options.CleanStart = false;
        options.SessionExpirySeconds = 600;
        options.ReconnectMinDelay = TimeSpan.FromMilliseconds(100);
        options.ReconnectMaxDelay = TimeSpan.FromMilliseconds(500);
        var o = new Observer(new MqttClient(options));
        await o._client.ConnectAsync();
        await o._client.SubscribeAsync(filter, MqttQos.AtLeastOnce);
        o._pump = o.PumpAsync();
        return o;
    }

    public Task PublishAsync(string topic, string json) =>
        _client.PublishAsync(topic, System.Text.Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce);

    public IEnumerable<JsonElement> Json(string topic) =>
        Received.Where(m => m.Topic == topic).Select(m => JsonDocument.Parse(m.Payload).RootElement);

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var m in _client.Messages.ReadAllAsync(_stop.Token))
            {
                Received.Enqueue((m.Topic, m.Payload.ToArray(), m.Retain));
                await _client.AcknowledgeAsync(m);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pump is not null) await _pump;
        await _client.DisposeAsync();
    }
}
