using System.ComponentModel.DataAnnotations;

namespace Smart.Host.Bridge;

/// <summary><c>Bridge:*</c>: batching between MQTT and InfluxDB.</summary>
public sealed class BridgeOptions
{
    /// <summary>A batch is written when it holds this many messages …</summary>
    [Range(1, 65535)] public int MaxBatchMessages { get; set; } = 5000;
    /// <summary>… or when no more messages arrived within this time after its first one.</summary>
    [Range(0, 10_000)] public int LingerMs { get; set; } = 20;
    /// <summary>Batches being written at once (acknowledged strictly in order).</summary>
    [Range(1, 64)] public int MaxBatchesInFlight { get; set; } = 4;
    /// <summary>Detector scores at or above this are written to the <c>anomaly</c> measurement (lower ones are normal and would only multiply the write volume).</summary>
    [Range(0.0, 1.0)] public double AnomalyScoreWriteThreshold { get; set; } = 0.5;
    /// <summary>MQTT 5 session expiry of the bridge's persistent session: how long the broker keeps queueing for us while we are away.</summary>
    [Range(60, uint.MaxValue)] public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;
}

/// <summary>Where the bridge sends what the detectors raised; an incident must exist before the message is acknowledged.</summary>
public interface IAlertSink
{
    Task RaiseAsync(Smart.Detection.DetectionAlert alert, CancellationToken ct);
}
