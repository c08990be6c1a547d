using System.Text;
using Microsoft.Extensions.Options;
using Smart.Core;
using Smart.Detection;
using Smart.Host.Telemetry;
using Smart.Mqtt;

namespace Smart.Host.Bridge;

/// <summary>
/// The per-message hot path: decode → validate → enrich → points + detection. Rejected messages become dead
/// letters and are acknowledged with their batch (so they never loop, and acks stay in receive order).
/// Detection is at-least-once, like storage: a message is acknowledged only after its batch is durable and its alerts
/// are incidents, so after a crash the broker redelivers it and the detectors (restored from their last save) see it
/// again. A repeated alert updates the device's open incident of that type instead of opening another one.
/// </summary>
internal sealed partial class MessageHandler(
    MessageDecoder decoder, DetectionEngine detection, DeadLetterStore deadLetters, SeqTracker seq, MinuteRollups rollups, DeviceStatusBoard status,
    LiveTelemetry live, BridgeMetrics metrics, IOptions<BridgeOptions> options, TimeProvider clock, ILogger<MessageHandler> logger)
{
    private readonly double _scoreThreshold = options.Value.AnomalyScoreWriteThreshold;

    public void Handle(MqttApplicationMessage message, BridgeBatch batch)
    {
        Interlocked.Increment(ref metrics.Received);
        batch.ToAcknowledge.Add(message);
        var now = clock.GetUtcNow();
        if (!decoder.TryDecode(message.Topic, message.Payload.Span, now, out var m, out var rejection))
        {
            deadLetters.Add(message.Topic, message.Payload.Span, rejection, now);
            return;
        }
        var fresh = m!.Seq is not { } s || seq.Observe(m.Device.Id, s);
        PointEncoder.Write(batch.Lines, m);
        batch.Stored++;
        batch.Timestamps.Add(m.TimestampMs);
        if (m.Channel == TopicChannel.Telemetry && !rollups.Add(m, fresh, now.ToUnixTimeMilliseconds(), batch.Rollups, batch.Late))
            batch.Late.Add(m.Device.Id, m.TimestampMs, m.TimestampMs);
        live.Record(m);
        Collect(Detect(m), batch);
    }

    private DetectionResult Detect(DecodedMessage m)
    {
        var d = m.Device;
        switch (m.Channel)
        {
            case TopicChannel.Telemetry:
                status.Seen(d.Id, m.TimestampMs);
                return detection.Process(new ReadingInput(d.Id, d.Kind, d.BuildingId, m.TimestampMs, Metrics(m), TextField(m, "state")));
            case TopicChannel.Event:
                status.Seen(d.Id, m.TimestampMs);
                return detection.ProcessEvent(new EventInput(d.Id, d.Kind, d.BuildingId, m.TimestampMs, m.EventType!, Metrics(m)));
            default:
                status.SetOnline(d.Id, m.Online == true, m.TimestampMs);
                detection.ProcessStatus(d.Id, d.Kind, d.BuildingId, m.TimestampMs, m.Online == true);
                return DetectionResult.Empty;
        }
    }

    private void Collect(DetectionResult result, BridgeBatch batch)
    {
        foreach (var score in result.Scores)
            if (score.Score >= _scoreThreshold) PointEncoder.Write(batch.Lines, score);
        if (result.Alerts.Count > 0)
        {
            batch.Alerts.AddRange(result.Alerts);
            Interlocked.Add(ref metrics.Alerts, result.Alerts.Count);
        }
        batch.Commands.AddRange(result.Commands);
    }

    private static List<Metric> Metrics(DecodedMessage m)
    {
        var list = new List<Metric>(m.Fields.Count + 1);
        foreach (var f in m.Fields)
            if (f.Type != FieldType.Text) list.Add(new Metric(f.Name, f.AsMetric));
        if (m.Port is { } port) list.Add(new Metric("port", port));
        return list;
    }

    private static string? TextField(DecodedMessage m, string name)
    {
        foreach (var f in m.Fields) if (f.Name == name) return f.Text;
        return null;
    }

    public async Task SendCommandAsync(MqttClient client, DeviceCommand command)
    {
        var topic = DeviceTopic.Format(command.Kind, command.DeviceId, TopicChannel.Command);
        try
        {
            await client.PublishAsync(topic, Encoding.UTF8.GetBytes(command.PayloadJson), MqttQos.AtLeastOnce);
            Interlocked.Increment(ref metrics.Commands);
            LogCommand(command.DeviceId, command.PayloadJson, command.Reason);
        }
        catch (MqttException e)
        {
            LogCommandFailed(e, command.DeviceId, command.PayloadJson);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sent {DeviceId} command {Payload}: {Reason}")]
    private partial void LogCommand(string deviceId, string payload, string reason);

    [LoggerMessage(LogLevel.Error, "Could not send {DeviceId} command {Payload}")]
    private partial void LogCommandFailed(Exception e, string deviceId, string payload);
}
