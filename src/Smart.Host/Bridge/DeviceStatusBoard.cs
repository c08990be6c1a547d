using System.Collections.Concurrent;
using Smart.Core;

namespace Smart.Host.Bridge;

/// <summary>Last seen time and online flag per device, from telemetry, events and retained status / will messages.</summary>
public sealed class DeviceStatusBoard
{
    private readonly ConcurrentDictionary<string, DeviceStatus> _status = new(StringComparer.Ordinal);

    public sealed class DeviceStatus
    {
        public long LastSeenMs;
        public bool Online;
    }

    public void Seen(string deviceId, long tsMs)
    {
        var s = _status.GetOrAdd(deviceId, _ => new DeviceStatus());
        if (tsMs > Volatile.Read(ref s.LastSeenMs)) Volatile.Write(ref s.LastSeenMs, tsMs);
        s.Online = true;
    }

    public void SetOnline(string deviceId, bool online, long tsMs)
    {
        var s = _status.GetOrAdd(deviceId, _ => new DeviceStatus());
        s.Online = online;
        if (online && tsMs > s.LastSeenMs) s.LastSeenMs = tsMs;
    }

    /// <summary>Whether the device is online and when it was last heard; a device that has only said it is offline was never heard (null, not 1970).</summary>
    public (bool Online, DateTimeOffset? LastSeen) Get(string deviceId) =>
        _status.TryGetValue(deviceId, out var s) ? (s.Online, s.LastSeenMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(s.LastSeenMs) : null) : (false, null);

    /// <summary>Online, under maintenance at <paramref name="now"/> and total counts per device kind (every kind, also one with
    /// no devices), retired devices left out (the admin page lists them apart).</summary>
    public Dictionary<string, KindCount> CountByKind(IEnumerable<Device> devices, DateTimeOffset now)
    {
        var counts = Enum.GetValues<DeviceKind>().ToDictionary(k => k.Name(), _ => new KindCount(), StringComparer.Ordinal);
        foreach (var d in devices)
        {
            if (d.Retired) continue;
            var c = counts[d.Kind.Name()];
            c.Total++;
            if (_status.TryGetValue(d.Id, out var s) && s.Online) c.Online++;
            if (d.Maintenance?.ActiveAt(now) == true) c.Maintenance++;
        }
        return counts;
    }

    public sealed class KindCount
    {
        public int Online { get; set; }
        public int Total { get; set; }
        /// <summary>Devices under maintenance (维护中): their alarms dispatch nobody.</summary>
        public int Maintenance { get; set; }
    }
}
