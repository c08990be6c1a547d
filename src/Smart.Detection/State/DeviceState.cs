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
    /// <summary>Exact-repetition stuck trackers by detector key (<see cref="KeyOf"/>).</summary>
    public Dictionary<string, RepeatTracker> Repeats { get; } = new(StringComparer.Ordinal);

    /// <summary>A charging station reports each port in its own message (DESIGN §5 <c>port</c>): persistence counters,
    /// temperature history, charge start and alert levels are per port, or port 2's normal reading would reset port
    /// 1's over-current count and clear its over-temperature. Port 0 (no port) uses <see cref="Rules"/>/<see cref="Gate"/>.</summary>
    public Dictionary<int, (RuleState Rules, AlertGate Gate)> Ports { get; } = [];

    /// <summary>At most this many ports get their own state (a station has 2–10); other numbers share port 0's.</summary>
    public const int MaxPorts = 16;

    public (RuleState Rules, AlertGate Gate) Channel(int port)
    {
        if (port <= 0 || port > MaxPorts) return (Rules, Gate);
        if (!Ports.TryGetValue(port, out var c)) Ports[port] = c = (new RuleState(), new AlertGate());
        return c;
    }

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
        w.Write(Ports.Count);
        foreach (var (port, c) in Ports) { w.Write(port); c.Rules.Write(w); c.Gate.Write(w); }
        w.Write(Repeats.Count);
        foreach (var (name, t) in Repeats) { w.Write(name); t.Write(w); }
    }

    /// <param name="version">State format version: 1 had no per-port state, 2 no repetition trackers.</param>
    public static DeviceState Read(BinaryReader r, Func<string, double> resolution, int version)
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
            var m = new MetricDetector(resolution: resolution(MetricOf(name)));
            m.Read(r);
            s.Metrics[name] = m;
        }
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.HighRuns[r.ReadString()] = r.ReadInt32();
        if (version < 2) return s;
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
        {
            var c = s.Channel(r.ReadInt32());
            c.Rules.Read(r);
            c.Gate.Read(r);
        }
        if (version < 3) return s;
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.Repeats[r.ReadString()] = RepeatTracker.Read(r);
        return s;
    }

    /// <summary>Detector key of a metric: per port for multi-port devices (<c>temp_c@2</c>).</summary>
    public static string KeyOf(string metric, int port) => port is > 0 and <= MaxPorts ? string.Concat(metric, "@", PortNames[port]) : metric;

    public static string MetricOf(string key) => key.IndexOf('@') is >= 0 and var at ? key[..at] : key;

    private static readonly string[] PortNames = Enumerable.Range(0, MaxPorts + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
