using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Smart.Host.Infrastructure;
using Smart.Host.Telemetry;
using Smart.Mqtt;

namespace Smart.Host.Bridge;

/// <summary>
/// MQTT → InfluxDB + detection (DESIGN §2). One receive loop decodes, detects and batches; batches are persisted
/// concurrently and acknowledged strictly in order, each message only once its batch is durable and its alerts are
/// incidents. Bounded stages give back-pressure all the way to the broker, which queues for our persistent session.
/// </summary>
internal sealed partial class BridgeService(
    Endpoints endpoints, IOptions<MqttOptions> mqtt, IOptions<BridgeOptions> options, MessageHandler handler, MinuteRollups rollups,
    TelemetryStore telemetry, DeviceDirectory devices, IAlertSink alerts, BridgeMetrics metrics, BrokerListening listening, TimeProvider clock,
    ILogger<BridgeService> logger) : BackgroundService
{
    /// <summary>How often an idle receive loop wakes to write the rollups of series that went quiet.</summary>
    private const int IdleSweepMs = 5_000;
    private readonly ConcurrentBag<BridgeBatch> _pool = [];
    private long _sweptMinute;
    private MqttClient? _client;

    /// <summary>True while connected to the broker with the subscription in place.</summary>
    public bool IsConsuming => _client?.IsConnected ?? false;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await telemetry.Ready.WaitAsync(stoppingToken);
        RegisterSyntheticLoadDevices();
        await using var client = _client = new MqttClient(ClientOptions());
        client.StateChanged += listening.Observe;
        await ConnectAsync(client, stoppingToken);
        var inflight = Channel.CreateBounded<BridgeBatch>(new BoundedChannelOptions(options.Value.MaxBatchesInFlight) { SingleReader = true, SingleWriter = true });
        // The acker runs on after stoppingToken fires: it drains what is in flight, so a clean stop loses nothing.
        var acker = AcknowledgeInOrderAsync(client, inflight.Reader);
        try
        {
            await ReceiveAsync(client, inflight.Writer, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            inflight.Writer.TryComplete();
            await acker;
            await client.DisconnectAsync(CancellationToken.None);
        }
    }

    private MqttClientOptions ClientOptions()
    {
        var o = MqttClientOptions.FromUrl(endpoints.MqttUrl);
        o.ClientId = mqtt.Value.ClientId;
        o.Username = endpoints.MqttUsername ?? o.Username;
        o.Password = endpoints.MqttPassword ?? o.Password;
        o.ProtocolVersion = MqttProtocolVersion.V500;
        o.CleanStart = false;
        o.SessionExpirySeconds = options.Value.SessionExpirySeconds;
        o.AutoReconnect = true;
        return o;
    }

    private async Task ConnectAsync(MqttClient client, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await client.ConnectAsync(ct);
                await client.SubscribeAsync($"$share/{mqtt.Value.SharedGroup}/smart/v1/+/+/+", MqttQos.AtLeastOnce, ct);
                LogConnected(endpoints.MqttUrl, client.SessionPresent);
                return;
            }
            catch (MqttException e) when (!ct.IsCancellationRequested)
            {
                LogConnectFailed(endpoints.MqttUrl, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task ReceiveAsync(MqttClient client, ChannelWriter<BridgeBatch> inflight, CancellationToken ct)
    {
        var reader = client.Messages;
        var o = options.Value;
        var batch = Rent();
        while (true)
        {
            if (reader.TryRead(out var message))
            {
                if (batch.Count == 0) batch.FirstReceivedTicks = Environment.TickCount64;
                handler.Handle(message, batch);
                if (batch.Count >= o.MaxBatchMessages) batch = await SealAsync(batch, inflight, ct);
                continue;
            }
            if (batch.Count > 0)
            {
                var lingerLeft = o.LingerMs - (Environment.TickCount64 - batch.FirstReceivedTicks);
                if (lingerLeft > 0 && await WaitAsync(reader, lingerLeft, ct)) continue;
                batch = await SealAsync(batch, inflight, ct);
                continue;
            }
            if (await WaitAsync(reader, IdleSweepMs, ct)) continue;
            if (reader.Completion.IsCompleted) return;
            SweepRollups(batch);
            if (batch.Rollups.Length > 0 || !batch.Late.IsEmpty) batch = await SealAsync(batch, inflight, ct);
        }
    }

    /// <summary>Once per wall-clock minute: the rollups of series that got no reading for a while go with this batch.</summary>
    private void SweepRollups(BridgeBatch batch)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now / 60_000 == _sweptMinute) return;
        _sweptMinute = now / 60_000;
        rollups.Sweep(now, batch.Rollups, batch.Late);
        batch.RollupsCompleteBeforeMs = now - MinuteRollups.IdleCloseMs - 60_000;
    }

    private static async Task<bool> WaitAsync(ChannelReader<MqttApplicationMessage> reader, long ms, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromMilliseconds(ms));
        try { return await reader.WaitToReadAsync(cts.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return false; }
    }

    private async Task<BridgeBatch> SealAsync(BridgeBatch batch, ChannelWriter<BridgeBatch> inflight, CancellationToken ct)
    {
        SweepRollups(batch);
        batch.Durable = PersistAsync(batch);
        await inflight.WriteAsync(batch, ct);
        return Rent();
    }

    /// <summary>Points to InfluxDB (or the spool), then alerts to incidents; retried until done or the host stops.</summary>
    private async Task PersistAsync(BridgeBatch batch)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        var (pointsDone, rollupsDone) = (false, false);
        var alertsDone = 0;
        while (true)
        {
            try
            {
                if (!pointsDone && batch.Lines.Length > 0) await telemetry.Writer.WriteAsync(batch.Lines.WrittenMemory);
                pointsDone = true;
                if (!rollupsDone) await telemetry.WriteRollupsAsync(batch.Rollups.WrittenMemory, batch.Late, batch.RollupsCompleteBeforeMs);
                rollupsDone = true;
                for (; alertsDone < batch.Alerts.Count; alertsDone++) await alerts.RaiseAsync(batch.Alerts[alertsDone], CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Interlocked.Increment(ref metrics.PersistRetries);
                LogPersistFailed(e, delay.TotalSeconds);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task AcknowledgeInOrderAsync(MqttClient client, ChannelReader<BridgeBatch> inflight)
    {
        await foreach (var batch in inflight.ReadAllAsync())
        {
            await batch.Durable;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var ts in batch.Timestamps) metrics.DurableLatency.Observe(now - ts);
            // Commands (cut_power) are at the broker before the readings that caused them are acknowledged: a crash in
            // between leaves those readings unacknowledged, so they come back and are judged again.
            foreach (var command in batch.Commands) await handler.SendCommandAsync(client, command);
            foreach (var m in batch.ToAcknowledge) await client.AcknowledgeAsync(m);
            Interlocked.Add(ref metrics.Acknowledged, batch.Count);
            Interlocked.Add(ref metrics.Stored, batch.Stored);
            Interlocked.Increment(ref metrics.Batches);
            batch.Reset();
            _pool.Add(batch);
        }
    }

    private void RegisterSyntheticLoadDevices()
    {
        var n = options.Value.SyntheticLoadDevices;
        for (var i = 0; i < n; i++)
            devices.Upsert(new Smart.Core.Device($"load-{i:D5}", Smart.Core.DeviceKind.Fire, "load", "load", "load", "load"));
        if (n > 0) LogSynthetic(n);
    }

    private BridgeBatch Rent() => _pool.TryTake(out var b) ? b : new BridgeBatch();

    [LoggerMessage(LogLevel.Warning, "Registered {Count} synthetic load devices load-00000… (Bridge:SyntheticLoadDevices; for load tests only)")]
    private partial void LogSynthetic(int count);

    [LoggerMessage(LogLevel.Information, "Bridge consuming from {Url} (session present: {SessionPresent})")]
    private partial void LogConnected(string url, bool sessionPresent);

    [LoggerMessage(LogLevel.Warning, "Cannot connect to the broker at {Url}: {Error}. Retrying in {Seconds:0.#} s")]
    private partial void LogConnectFailed(string url, string error, double seconds);

    [LoggerMessage(LogLevel.Error, "Could not persist a batch; it stays unacknowledged and is retried in {Seconds:0.#} s")]
    private partial void LogPersistFailed(Exception e, double seconds);
}
