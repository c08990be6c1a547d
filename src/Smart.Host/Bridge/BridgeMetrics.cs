using Smart.Host.Metrics;

namespace Smart.Host.Bridge;

/// <summary>The bridge's counters, exposed at <c>/metrics</c>.</summary>
public sealed class BridgeMetrics(DeadLetterStore deadLetters, SeqTracker seq, Smart.Host.Telemetry.TelemetryStore telemetry) : IMetricsSource
{
    public long Received;
    public long Stored;
    public long Acknowledged;
    public long Batches;
    public long Alerts;
    public long Commands;
    public long PersistRetries;
    public LatencyHistogram DurableLatency { get; } = new();

    public void Write(PrometheusText text)
    {
        text.Counter("smart_bridge_received_total", "MQTT messages received by the bridge", Interlocked.Read(ref Received))
            .Counter("smart_bridge_stored_total", "Messages stored as points", Interlocked.Read(ref Stored))
            .Counter("smart_bridge_acknowledged_total", "Messages acknowledged to the broker after they were durable", Interlocked.Read(ref Acknowledged))
            .Counter("smart_bridge_batches_total", "Batches written", Interlocked.Read(ref Batches))
            .Counter("smart_bridge_alerts_total", "Alerts raised by the detectors", Interlocked.Read(ref Alerts))
            .Counter("smart_bridge_commands_total", "Commands sent to devices", Interlocked.Read(ref Commands))
            .Counter("smart_bridge_persist_retries_total", "Batch persist attempts that failed and were retried", Interlocked.Read(ref PersistRetries))
            .Counter("smart_seq_duplicates_total", "Messages whose seq repeated the previous one", seq.Duplicates)
            .Counter("smart_seq_gaps_total", "Missing seq numbers observed", seq.Gaps)
            .Counter("smart_seq_reorders_total", "Messages older than the device's last seq", seq.Reorders)
            .Counter("smart_seq_reboots_total", "Device seq counters that restarted", seq.Reboots);
        DurableLatency.Write(text, "smart_bridge_durable_latency_ms", "Device ts to durable (InfluxDB or spool), stored readings, cumulative buckets in ms");
        foreach (var reason in RejectReasons.All)
            text.Counter("smart_bridge_rejected_total", "Messages refused, by reason", deadLetters.CountsByReason.GetValueOrDefault(reason), ("reason", reason));
        telemetry.WriteMetrics(text);
    }
}
