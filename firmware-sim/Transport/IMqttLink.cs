using System.Threading.Channels;

namespace FirmwareSim.Transport;

/// <summary>
/// The simulator's seam over an MQTT client connection: what device firmware needs and nothing more, so the
/// traffic logic does not depend on one client library and the pure tests need no broker.
/// </summary>
internal interface IMqttLink : IAsyncDisposable
{
    bool IsConnected { get; }
    /// <summary>Incoming application messages (commands); each is acknowledged by the link after it is read.</summary>
    ChannelReader<LinkMessage> Incoming { get; }
    /// <exception cref="MqttLinkException">The broker refused or could not be reached.</exception>
    Task ConnectAsync(CancellationToken ct);
    Task SubscribeAsync(string topicFilter, CancellationToken ct);
    /// <summary>QoS 0 completes when written, QoS 1 when PUBACK arrives.</summary>
    /// <exception cref="MqttLinkException">Lost connection (<see cref="MqttLinkException.ConnectionLost"/>) or a refused message.</exception>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool atLeastOnce, bool retain, CancellationToken ct);
    /// <summary>Clean DISCONNECT: the broker discards the will.</summary>
    Task DisconnectAsync(CancellationToken ct);
    /// <summary>Drops the TCP connection without DISCONNECT, as a power loss does: the broker publishes the will.</summary>
    ValueTask AbortAsync();
}

internal sealed record LinkMessage(string Topic, ReadOnlyMemory<byte> Payload);

internal sealed record LinkOptions(string BrokerUrl, string ClientId, string? Username, string? Password,
    string? WillTopic = null, byte[]? WillPayload = null, bool PersistentSession = false, int MaxInflight = 1000);

internal interface IMqttLinkFactory
{
    IMqttLink Create(LinkOptions options);
}

/// <summary>A failure of the link; <see cref="ConnectionLost"/> tells the firmware to reconnect and retry, otherwise the broker refused this one message.</summary>
internal sealed class MqttLinkException(string message, bool connectionLost, Exception? inner = null) : Exception(message, inner)
{
    public bool ConnectionLost { get; } = connectionLost;
}
