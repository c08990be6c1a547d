using Smart.Core;
using Smart.Detection.Rules;
using Smart.Detection.Streaming;

namespace Smart.Detection.State;

/// <summary>Everything the engine remembers about one device; guarded by locking the instance.</summary>
internal sealed class DeviceState(string deviceId, DeviceKind kind, string buildingId)
{
    public string DeviceId { get; } = deviceId;
    public DeviceKind Kind { get; } = kind;
    public string BuildingId { get; set; } = buildingId;
    public long LastSeenMs { get; set; } = long.MinValue;
    /// <summary>EWMA of the reporting interval, for the silence detector.</summary>
    public double IntervalMs { get; set; }
    public long OfflineSinceMs { get; set; } = long.MinValue;
    public bool OfflineRaised { get; set; }
    public long LastSensorAnomalyMs { get; set; } = long.MinValue;
    public RuleState Rules { get; } = new();
    public AlertGate Gate { get; } = new();
    public Dictionary<string, MetricDetector> Metrics { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> HighRuns { get; } = new(StringComparer.Ordinal);

    public void Seen(long tsMs)
    {
        if (LastSeenMs != long.MinValue && tsMs > LastSeenMs)
        {
            var dt = tsMs - LastSeenMs;
            IntervalMs = IntervalMs == 0 ? dt : IntervalMs + 0.1 * (dt - IntervalMs);
        }
        LastSeenMs = Math.Max(LastSeenMs, tsMs);
        OfflineSinceMs = long.MinValue;
        OfflineRaised = false;
    }

    public void Write(BinaryWriter w)
    {
        w.Write(DeviceId); w.Write((int)Kind); w.Write(BuildingId);
        w.Write(LastSeenMs); w.Write(IntervalMs); w.Write(OfflineSinceMs); w.Write(OfflineRaised); w.Write(LastSensorAnomalyMs);
        Rules.Write(w);
        Gate.Write(w);
        w.Write(Metrics.Count);
        foreach (var (name, m) in Metrics) { w.Write(name); m.Write(w); }
        w.Write(HighRuns.Count);
        foreach (var (name, n) in HighRuns) { w.Write(name); w.Write(n); }
    }

    public static DeviceState Read(BinaryReader r, Func<string, double> resolution)
    {
        var s = new DeviceState(r.ReadString(), (DeviceKind)r.ReadInt32(), r.ReadString())
        {
            LastSeenMs = r.ReadInt64(), IntervalMs = r.ReadDouble(), OfflineSinceMs = r.ReadInt64(),
            OfflineRaised = r.ReadBoolean(), LastSensorAnomalyMs = r.ReadInt64(),
        };
        s.Rules.Read(r);
        s.Gate.Read(r);
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
        {
            var name = r.ReadString();
            var m = new MetricDetector(resolution: resolution(name));
            m.Read(r);
            s.Metrics[name] = m;
        }
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.HighRuns[r.ReadString()] = r.ReadInt32();
        return s;
    }
}
