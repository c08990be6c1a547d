using System.Reflection;
using System.Threading.Channels;
using Smart.Mqtt;

namespace FirmwareSim.Transport;

/// <summary>The production link: one <see cref="MqttClient"/> per link, reconnect left to the firmware (AutoReconnect off).</summary>
internal sealed class SmartMqttLinkFactory : IMqttLinkFactory
{
    public IMqttLink Create(LinkOptions options) => new SmartMqttLink(options);
}

internal sealed class SmartMqttLink : IMqttLink
{
    private readonly MqttClient _client;
    private readonly Channel<LinkMessage> _incoming = Channel.CreateUnbounded<LinkMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private Task? _pump;

    public SmartMqttLink(LinkOptions o)
    {
        var options = MqttClientOptions.FromUrl(o.BrokerUrl);
        options.ClientId = o.ClientId;
        options.Username = o.Username;
        options.Password = o.Password;
        options.AutoReconnect = false; // firmware reconnects itself, with its own backoff and buffer
        options.MaxInflight = o.MaxInflight;
        options.CleanStart = !o.PersistentSession;
        options.SessionExpirySeconds = o.PersistentSession ? 3600u : 0u; // commands queued while briefly offline still arrive
        if (o.WillTopic is not null) options.Will = new MqttWill(o.WillTopic, o.WillPayload ?? [], MqttQos.AtLeastOnce, Retain: true);
        _client = new MqttClient(options);
    }

    public bool IsConnected => _client.IsConnected;
    public ChannelReader<LinkMessage> Incoming => _incoming.Reader;

    public async Task ConnectAsync(CancellationToken ct)
    {
        try
        {
            await _client.ConnectAsync(ct).ConfigureAwait(false);
        }
        catch (MqttException e)
        {
            throw new MqttLinkException($"Connecting to the broker failed: {e.Message}", connectionLost: true, e);
        }
        _pump ??= PumpAsync();
    }

    public async Task SubscribeAsync(string topicFilter, CancellationToken ct)
    {
        try
        {
            await _client.SubscribeAsync(topicFilter, MqttQos.AtLeastOnce, ct).ConfigureAwait(false);
        }
        catch (MqttSubscribeException e)
        {
            throw new MqttLinkException($"The broker refused the subscription to {topicFilter}: {e.Message}", connectionLost: false, e);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            throw new MqttLinkException(e.Message, connectionLost: true, e);
        }
    }

    public Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool atLeastOnce, bool retain, CancellationToken ct)
    {
        Task task;
        try
        {
            // The client's fast path may throw synchronously (not connected) rather than return a faulted task.
            task = _client.PublishAsync(topic, payload, atLeastOnce ? MqttQos.AtLeastOnce : MqttQos.AtMostOnce, retain, ct);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            task = Task.FromException(e);
        }
        return task.IsCompletedSuccessfully ? task : Translate(task, topic);
    }

    private static async Task Translate(Task publish, string topic)
    {
        try
        {
            await publish.ConfigureAwait(false);
        }
        catch (MqttPublishException e)
        {
            throw new MqttLinkException($"The broker refused a publish to {topic}: {e.Message}", connectionLost: false, e);
        }
        catch (Exception e) when (e is MqttException or ObjectDisposedException)
        {
            throw new MqttLinkException(e.Message, connectionLost: true, e);
        }
    }

    public async Task DisconnectAsync(CancellationToken ct)
    {
        try { await _client.DisconnectAsync(ct).ConfigureAwait(false); }
        catch (MqttException e) { throw new MqttLinkException(e.Message, connectionLost: true, e); }
    }

    /// <summary>
    /// Smart.Mqtt has no public "drop without DISCONNECT" yet; its test hook <c>DropConnection</c> does exactly what a
    /// power loss does to the socket, so the broker publishes the will. Without it we fall back to a clean disconnect
    /// (no will; the host then sees the device go silent instead).
    /// </summary>
    public async ValueTask AbortAsync()
    {
        if (DropConnection is { } drop && _client.IsConnected) drop.Invoke(_client, null);
        else if (_client.IsConnected)
        {
            try { await _client.DisconnectAsync().ConfigureAwait(false); }
            catch (MqttException) { }
        }
    }

    private static readonly MethodInfo? DropConnection =
        typeof(MqttClient).GetMethod("DropConnection", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes);

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var m in _client.Messages.ReadAllAsync().ConfigureAwait(false))
            {
                await _incoming.Writer.WriteAsync(new LinkMessage(m.Topic, m.Payload.ToArray())).ConfigureAwait(false);
                await _client.AcknowledgeAsync(m).ConfigureAwait(false); // a command is acted on as soon as it is read
            }
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync().ConfigureAwait(false);
        if (_pump is not null) await _pump.ConfigureAwait(false);
    }
}
