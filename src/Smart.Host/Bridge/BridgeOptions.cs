using System.ComponentModel.DataAnnotations;

namespace Smart.Host.Bridge;

/// <summary><c>Bridge:*</c>: batching between MQTT and InfluxDB.</summary>
public sealed class BridgeOptions
{
    /// <summary>A batch is written when it holds this many messages …</summary>
    [Range(1, 65535)] public int MaxBatchMessages { get; set; } = 5000;
    /// <summary>… or when no more messages arrived within this time after its first one.</summary>
    [Range(0, 10_000)] public int LingerMs { get; set; } = 20;
    /// <summary>Batches being written at once (acknowledged strictly in order). 16, not 4: on the loaded 2-core box the
    /// ingest benchmark sustained 15k msgs/s with p99 2 s instead of 10k with p99 5–10 s (tests/Benchmarks/RESULTS.md).</summary>
    [Range(1, 64)] public int MaxBatchesInFlight { get; set; } = 16;
    /// <summary>Detector scores at or above this are written to the <c>anomaly</c> measurement (lower ones are normal and would only
    /// multiply the write volume). 0.9 ≈ 1.6σ from the expected value; 0.5 (≈ 0.7σ) wrote 0.37 anomaly points per reading of the load benchmark,
    /// which cost influxd more than the readings themselves (tests/Benchmarks/RESULTS.md, ingest 2026-11-22 03:00).</summary>
    [Range(0.0, 1.0)] public double AnomalyScoreWriteThreshold { get; set; } = 0.9;
    /// <summary>MQTT 5 session expiry of the bridge's persistent session: how long the broker keeps queueing for us while we are away.</summary>
    [Range(60, uint.MaxValue)] public uint SessionExpirySeconds { get; set; } = 7 * 24 * 3600;
    /// <summary>Upper bound of the InfluxDB disk spool; when it is full the bridge stops acknowledging (back-pressure to the broker).</summary>
    [Range(1L << 16, long.MaxValue)] public long SpoolMaxBytes { get; set; } = 1L << 30;
    /// <summary>Largest InfluxDB write request (bigger batches are split at line boundaries); the spool must hold at least 4.</summary>
    [Range(1 << 12, 64 << 20)] public int InfluxBatchMaxBytes { get; set; } = 1 << 20;
    /// <summary>InfluxDB write requests in flight at once (the writer's own bound, below <see cref="MaxBatchesInFlight"/>).</summary>
    [Range(1, 64)] public int InfluxMaxConcurrentWrites { get; set; } = 4;
    /// <summary>
    /// Registers synthetic fire detectors <c>load-00000</c> … (the ids firmware-sim's <c>load</c> mode gives devices beyond the
    /// registry) so load tests and the ingest benchmark can land readings from 10 000 devices. 0 in production.
    /// </summary>
    [Range(0, 1_000_000)] public int SyntheticLoadDevices { get; set; }
}

/// <summary>Where the bridge sends what the detectors raised; an incident must exist before the message is acknowledged.</summary>
public interface IAlertSink
{
    Task RaiseAsync(Smart.Detection.DetectionAlert alert, CancellationToken ct);
}
