using System.IO.Pipelines;
using System.Threading.Channels;
using Smart.Mqtt.Formatter;
using Smart.Mqtt.Packets;
using Smart.Mqtt.Transport;

namespace Smart.Mqtt.Internal;

/// <summary>One network connection: a reader loop (the only reader), a writer loop (the only writer, see
/// <see cref="MqttWriteBuffer"/>) and a keep-alive loop. It ends exactly once, with a reason, via <see cref="Abort"/>.</summary>
internal sealed partial class MqttConnection(MqttClientOptions options, MqttSession session, ChannelWriter<MqttApplicationMessage> messages)
{
    private readonly MqttWriteBuffer _out = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource<MqttConnAckPacket> _connAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<ushort, TaskCompletionSource<MqttSubAckPacket>> _requests = [];
    private readonly Queue<MqttApplicationMessage> _unacked = new();
    private Stream? _stream;
    private long _lastReceivedTicks = Environment.TickCount64;
    private int _aborted;
    private bool _deliveryBlocked;

    public MqttProtocolVersion Version { get; } = options.ProtocolVersion;
    /// <summary>Set by <see cref="MqttSession.Activate"/> once restored: new publishes may go out.</summary>
    public bool IsReady { get; set; }
    public bool IsClosed => Volatile.Read(ref _aborted) != 0;
    /// <summary>Completes (never faults) when the connection has ended; the result is the reason, null if requested.</summary>
    public Task<Exception?> Closed => _closed.Task;
    private long KeepAliveMs { get; set; } = (long)options.KeepAlive.TotalMilliseconds;

    /// <summary>TCP (+TLS), CONNECT, CONNACK. Throws <see cref="MqttConnectException"/> on refusal.</summary>
    public async Task<MqttConnAckPacket> OpenAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            _stream = await MqttTransport.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
            Send(MqttConnectPacketFactory.Create(options));
            _ = RunWriterAsync(_stream);
            _ = RunReaderAsync(_stream);
            var ack = await _connAck.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            ThrowIfRefused(ack);
            ApplyConnAck(ack);
            _ = RunKeepAliveAsync();
            return ack;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var ex = new MqttCommunicationException($"Connecting to the MQTT broker at {options.Host}:{options.Port} timed out after {options.ConnectTimeout.TotalSeconds:0.#} s (ConnectTimeout).");
            Abort(ex);
            throw ex;
        }
        catch (Exception ex)
        {
            Abort(ex);
            throw;
        }
    }

    private void ThrowIfRefused(MqttConnAckPacket ack)
    {
        var code = Version == MqttProtocolVersion.V500 ? (MqttReasonCode)ack.ReasonCode : MqttReasonCodes.FromV311ConnAck(ack.ReasonCode);
        if (Version == MqttProtocolVersion.V500 ? ack.ReasonCode >= 0x80 : ack.ReasonCode != 0)
            throw new MqttConnectException(code, MqttProperties.Text(ack.Properties, MqttPropertyId.ReasonString));
    }

    private void ApplyConnAck(MqttConnAckPacket ack)
    {
        if (MqttProperties.Number(ack.Properties, MqttPropertyId.ServerKeepAlive) is { } serverKeepAlive)
            KeepAliveMs = serverKeepAlive * 1000L; // MQTT 5 §3.2.2.3.14: the server's value wins
        var max = MqttProperties.Number(ack.Properties, MqttPropertyId.MaximumPacketSize);
        session.MaxOutgoingPacketBytes = max is null ? int.MaxValue : (int)Math.Min(max.Value, int.MaxValue);
        var receiveMax = MqttProperties.Number(ack.Properties, MqttPropertyId.ReceiveMaximum) ?? 65535;
        session.SetLimit((int)Math.Min(options.MaxInflight, receiveMax));
    }

    /// <summary>Ends the connection once: records the reason, stops the loops, fails pending requests.</summary>
    public void Abort(Exception? reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        IsReady = false;
        _cts.Cancel();
        try { _stream?.Dispose(); }
        catch (IOException) { } // closing a broken TLS stream may throw; the connection is gone either way
        _out.Fail();
        var failure = reason ?? new MqttCommunicationException("The MQTT connection was closed.");
        _connAck.TrySetException(failure);
        List<TaskCompletionSource<MqttSubAckPacket>> pending;
        lock (_requests)
        {
            pending = [.. _requests.Values];
            _requests.Clear();
        }
        foreach (var r in pending) r.TrySetException(failure);
        _closed.TrySetResult(reason);
    }

    /// <summary>Clean close: DISCONNECT (so the broker discards the will), flush, close.</summary>
    public async Task DisconnectAsync(TimeSpan timeout)
    {
        if (IsClosed) return;
        IsReady = false;
        Send(new MqttReasonPacket(MqttPacketType.Disconnect));
        try { await _out.FlushAsync(timeout).ConfigureAwait(false); }
        catch (TimeoutException) { } // the broker stopped reading; closing the socket is all that is left
        Abort(null);
    }

    private async Task RunWriterAsync(Stream stream)
    {
        try
        {
            await _out.RunAsync(stream, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_cts.IsCancellationRequested)
        {
            Abort(MqttTransport.Translate(ex, "writing"));
        }
        catch (OperationCanceledException) { } // aborted elsewhere
    }

    private async Task RunReaderAsync(Stream stream)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        try
        {
            await ReadPacketsAsync(reader).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_cts.IsCancellationRequested)
        {
            Abort(MqttTransport.Translate(ex, "reading"));
        }
        catch (OperationCanceledException) { } // aborted elsewhere
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadPacketsAsync(PipeReader reader)
    {
        while (true)
        {
            var result = await reader.ReadAsync(_cts.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);
            var buffer = result.Buffer;
            try
            {
                while (MqttPacketDecoder.TryDecode(ref buffer, Version, options.MaxPacketBytes, out var packet))
                {
                    if (packet is MqttPublishPacket publish && !TryDeliver(publish)) await DeliverSlowAsync(publish.Message).ConfigureAwait(false);
                    else if (packet is not MqttPublishPacket) Handle(packet!);
                }
                if (result.IsCompleted)
                    throw buffer.IsEmpty
                        ? new MqttCommunicationException($"The MQTT broker at {options.Host}:{options.Port} closed the connection.")
                        : new MqttProtocolException("The MQTT broker closed the connection in the middle of a packet.");
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>The application's buffer is full: wait (TCP backpressure). The broker cannot be judged dead meanwhile.</summary>
    private async Task DeliverSlowAsync(MqttApplicationMessage message)
    {
        Volatile.Write(ref _deliveryBlocked, true);
        try
        {
            await messages.WriteAsync(message, _cts.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // the client was disposed; the message is not acknowledged, so the broker keeps it
        }
        finally
        {
            Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);
            Volatile.Write(ref _deliveryBlocked, false);
        }
    }

    private async Task RunKeepAliveAsync()
    {
        var keepAlive = KeepAliveMs;
        if (keepAlive <= 0) return;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive / 4, 50, 1000));
        var lastPing = 0L;
        try
        {
            while (!IsClosed)
            {
                await Task.Delay(tick, _cts.Token).ConfigureAwait(false);
                var now = Environment.TickCount64;
                var silentMs = Volatile.Read(ref _deliveryBlocked) ? 0 : now - Volatile.Read(ref _lastReceivedTicks);
                if (silentMs > keepAlive * 3 / 2) // MQTT 5 §3.1.2.10: one and a half times the keep-alive
                {
                    Abort(new MqttCommunicationException($"MQTT keep-alive timeout: nothing received from the broker at {options.Host}:{options.Port} for {silentMs / 1000.0:0.#} s (keep-alive {keepAlive / 1000.0:0.#} s). The broker is dead or unreachable."));
                    return;
                }
                var idle = now - _out.LastWriteTicks >= keepAlive / 2 || silentMs >= keepAlive / 2;
                if (idle && now - lastPing >= keepAlive / 2)
                {
                    lastPing = now;
                    Send(MqttPingPacket.Request);
                }
            }
        }
        catch (OperationCanceledException) { } // connection ended
    }
}
