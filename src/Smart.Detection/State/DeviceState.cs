using Smart.Core;

namespace Smart.Detection.State;

/// <summary>Everything the engine remembers about one device; guarded by locking the instance.</summary>
internal sealed class DeviceState(string deviceId, DeviceKind kind, string buildingId) : PortState
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
    /// <summary>A charging station's ports 1…<see cref="MaxPorts"/> (see <see cref="PortState"/>): port 2's normal
    /// reading must not reset port 1's over-current count or clear its over-temperature.</summary>
    public Dictionary<int, PortState> Ports { get; } = [];

    /// <summary>At most this many ports get their own state (a station has 2–10); other numbers share port 0's.</summary>
    public const int MaxPorts = 16;

    public PortState Channel(int port)
    {
        if (port <= 0 || port > MaxPorts) return this;
        if (!Ports.TryGetValue(port, out var c)) Ports[port] = c = new PortState();
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
        w.Write(Ports.Count);
        foreach (var (port, c) in Ports) { w.Write(port); c.Rules.Write(w); c.Gate.Write(w); }
        w.Write(Metrics.Count + Ports.Values.Sum(c => c.Metrics.Count));
        WriteMetrics(w, 0, this);
        foreach (var (port, c) in Ports) WriteMetrics(w, port, c);
    }

    private static void WriteMetrics(BinaryWriter w, int port, PortState channel)
    {
        foreach (var (name, slot) in channel.Metrics)
        {
            w.Write(KeyOf(name, port));
            slot.Write(w);
            w.Write(slot.HighRun);
            slot.Repeats.Write(w);
        }
    }

    /// <param name="version">State format version: 1 had no per-port state, 2 no repetition trackers, 1–3 kept the
    /// detectors, high-score runs and repetition trackers in three tables by detector key (4: one slot per metric), 1–4
    /// kept 32 samples of rule history (5: 64), 1–5 not the latest reading's time (6).</param>
    public static DeviceState Read(BinaryReader r, Func<string, double> resolution, int version)
    {
        var s = new DeviceState(r.ReadString(), (DeviceKind)r.ReadInt32(), r.ReadString())
        {
            LastSeenMs = r.ReadInt64(), IntervalMs = r.ReadDouble(), OfflineSinceMs = r.ReadInt64(),
            OfflineRaised = r.ReadBoolean(), LastSensorAnomalyMs = r.ReadInt64(),
        };
        s.Rules.Read(r, version);
        s.Gate.Read(r);
        if (version < 4)
        {
            ReadVersion3Metrics(s, r, resolution, version);
            return s;
        }
        ReadPorts(s, r, version);
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
        {
            var slot = s.SlotOf(r.ReadString(), resolution);
            slot.Read(r);
            slot.HighRun = r.ReadInt32();
            slot.Repeats = RepeatTracker.Read(r);
        }
        return s;
    }

    private static void ReadVersion3Metrics(DeviceState s, BinaryReader r, Func<string, double> resolution, int version)
    {
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.SlotOf(r.ReadString(), resolution).Read(r);
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.SlotOf(r.ReadString(), resolution).HighRun = r.ReadInt32();
        if (version < 2) return;
        ReadPorts(s, r, version);
        if (version < 3) return;
        for (int i = 0, n = r.ReadInt32(); i < n; i++) s.SlotOf(r.ReadString(), resolution).Repeats = RepeatTracker.Read(r);
    }

    private static void ReadPorts(DeviceState s, BinaryReader r, int version)
    {
        for (int i = 0, n = r.ReadInt32(); i < n; i++)
        {
            var c = s.Channel(r.ReadInt32());
            c.Rules.Read(r, version);
            c.Gate.Read(r);
        }
    }

    /// <summary>The slot of a detector key (<see cref="KeyOf"/>), created fresh when absent.</summary>
    private MetricSlot SlotOf(string key, Func<string, double> resolution)
    {
        var at = key.IndexOf('@');
        var (metric, port) = at >= 0 && int.TryParse(key.AsSpan(at + 1), System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? (key[..at], p) : (key, 0);
        var metrics = Channel(port).Metrics;
        if (!metrics.TryGetValue(metric, out var slot))
            metrics[metric] = slot = new MetricSlot(resolution(metric));
        return slot;
    }

    /// <summary>Detector key of a metric, as state files and stuck reasons name it: per port for multi-port devices (<c>temp_c@2</c>).</summary>
    public static string KeyOf(string metric, int port) => port is > 0 and <= MaxPorts ? string.Concat(metric, "@", PortNames[port]) : metric;

    private static readonly string[] PortNames = Enumerable.Range(0, MaxPorts + 1).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
