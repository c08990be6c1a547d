using System.Threading.Channels;
using Smart.Mqtt.Internal;
using Smart.Mqtt.Packets;

namespace Smart.Mqtt;

/// <summary>An MQTT 3.1.1 / 5.0 client: persistent sessions, manual acknowledgement, QoS 0/1/2 both ways,
/// automatic reconnect with session resumption. Thread-safe.</summary>
/// <example><code>
/// await using var client = new MqttClient(MqttClientOptions.FromUrl("mqtt://127.0.0.1:1883"));
/// await client.ConnectAsync(ct);
/// await client.SubscribeAsync("$share/bridge/smart/v1/+/+/telemetry", MqttQos.AtLeastOnce, ct);
/// await foreach (var m in client.Messages.ReadAllAsync(ct)) { Store(m); await client.AcknowledgeAsync(m, ct); }
/// </code></example>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly MqttSession _session;
    private readonly Channel<MqttApplicationMessage> _messages;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly object _stateLock = new();
    private TaskCompletionSource _connectedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource _lifetime = new();
    private volatile bool _stopping = true;
    private bool _disposed;

    public MqttClient(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _session = new MqttSession(options.MaxInflight);
        // Bounded: a slow consumer stops the reader loop, TCP pushes back and the broker queues (never our memory).
        _messages = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(options.MessageBufferCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false,
        });
    }

    public bool IsConnected => _session.Current is { IsReady: true, IsClosed: false };
    /// <summary>Session Present from the last CONNACK: false means the broker started a new session (MQTT 5 §3.2.2.1.1).</summary>
    public bool SessionPresent { get; private set; }
    /// <summary>Raised on Connected, Disconnected (with the reason) and Reconnecting. Handlers must not block.</summary>
    public event Action<MqttConnectionState>? StateChanged;
    /// <summary>Incoming application messages. QoS 1/2 are not acknowledged until <see cref="AcknowledgeAsync"/>.
    /// Completed by <see cref="DisposeAsync"/>.</summary>
    public ChannelReader<MqttApplicationMessage> Messages => _messages.Reader;
    /// <summary>Outgoing QoS 1/2 publishes not yet acknowledged by the broker.</summary>
    public int InflightCount => _session.Count;

    /// <summary>Connects (TCP/TLS, CONNECT, CONNACK). Throws <see cref="MqttConnectException"/> when refused,
    /// <see cref="MqttCommunicationException"/> when the broker is unreachable. Later losses reconnect automatically.</summary>
    public async Task ConnectAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _connectLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (IsConnected) return;
            _stopping = false;
            if (_lifetime.IsCancellationRequested) _lifetime = new CancellationTokenSource();
            await ConnectOnceAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            _stopping = true;
            throw;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Acknowledges a received message once the application has made it durable: PUBACK (QoS 1) or
    /// PUBREC (QoS 2; PUBREL/PUBCOMP follow automatically). Acks go out in receive order (MQTT 3.1.1 §4.6).
    /// No-op for QoS 0 and for a message from an earlier connection (the broker redelivers it).</summary>
    public ValueTask AcknowledgeAsync(MqttApplicationMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Connection?.Acknowledge(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends DISCONNECT (the broker discards the will), closes the connection and stops reconnecting.
    /// Unfinished QoS 1/2 publishes fail with <see cref="MqttCommunicationException"/>.</summary>
    public async Task DisconnectAsync(CancellationToken ct = default)
    {
        _stopping = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _connectLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_session.Current is { } connection)
            {
                await connection.DisconnectAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                _session.Deactivate(connection);
            }
            _session.FailAll(new MqttCommunicationException("The MQTT client was disconnected before the broker acknowledged this publish."));
            OpenGate();
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await DisconnectAsync().ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    private void Raise(MqttConnectionStatus status, Exception? reason = null) =>
        StateChanged?.Invoke(new MqttConnectionState(status, reason));

    /// <summary>Wakes everyone waiting for a connection (they re-check the state).</summary>
    private void OpenGate()
    {
        lock (_stateLock) _connectedGate.TrySetResult();
    }

    private void CloseGate()
    {
        lock (_stateLock)
            if (_connectedGate.Task.IsCompleted) _connectedGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
