using Smart.Detection;
using Smart.Influx.LineProtocol;
using Smart.Mqtt;

namespace Smart.Host.Bridge;

/// <summary>
/// Messages received together: their points, what the detectors raised, and the messages to acknowledge once
/// all of it is durable. The line buffer is pooled and reused.
/// </summary>
internal sealed class BridgeBatch : IDisposable
{
    public LineProtocolWriter Lines { get; } = new(256 * 1024);
    /// <summary>1-minute rollups closed while this batch was filled (retention policy <c>rollup_1m</c>).</summary>
    public LineProtocolWriter Rollups { get; } = new(16 * 1024);
    /// <summary>Readings of this batch whose minutes the rollups could not count exactly: recomputed from the raw points.</summary>
    public Smart.Host.Telemetry.LateMinutes Late { get; } = new();
    /// <summary>Set by a rollup sweep: once this batch is durable, every reading before this time is in a written rollup or in <see cref="Late"/>.</summary>
    public long? RollupsCompleteBeforeMs { get; set; }
    public List<MqttApplicationMessage> ToAcknowledge { get; } = new(4096);
    public List<DetectionAlert> Alerts { get; } = [];
    public List<DeviceCommand> Commands { get; } = [];
    /// <summary>Device <c>ts</c> of each stored reading, for the publish → durable latency histogram.</summary>
    public List<long> Timestamps { get; } = new(4096);
    public long FirstReceivedTicks { get; set; }
    public int Stored { get; set; }

    /// <summary>Completes when the batch is durable (InfluxDB or spool) and its alerts are incidents.</summary>
    public Task Durable { get; set; } = Task.CompletedTask;

    public int Count => ToAcknowledge.Count;

    public void Reset()
    {
        Lines.Clear();
        Rollups.Clear();
        Late.Clear();
        RollupsCompleteBeforeMs = null;
        ToAcknowledge.Clear();
        Alerts.Clear();
        Commands.Clear();
        Timestamps.Clear();
        Stored = 0;
        Durable = Task.CompletedTask;
    }

    public void Dispose()
    {
        Lines.Dispose();
        Rollups.Dispose();
    }
}
