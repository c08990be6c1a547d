using Smart.Core.Incidents;
namespace Smart.Detection.Correlation;

/// <summary>Layer 3: fire alarms from several devices of one building within minutes confirm a fire
/// (a single detector is most often a nuisance alarm: cooking, steam, dust).</summary>
internal sealed class FireCorrelator(CorrelationOptions options)
{
    private static readonly HashSet<string> FireTypes =
        [IncidentTypes.FireSmoke, IncidentTypes.FireHeat, IncidentTypes.FireDeviceAlarm, IncidentTypes.FireAlarmButton];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, long>> _recent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _confirmedMs = new(StringComparer.Ordinal);

    /// <summary>Records a fire alert; returns a <c>fire.confirmed</c> alert when it completes a confirmation.</summary>
    public DetectionAlert? Observe(DetectionAlert alert)
    {
        if (!FireTypes.Contains(alert.IncidentType)) return null;
        lock (_lock)
        {
            if (!_recent.TryGetValue(alert.BuildingId, out var devices)) _recent[alert.BuildingId] = devices = new(StringComparer.Ordinal);
            devices[alert.DeviceId] = alert.TimestampMs;
            foreach (var (id, ts) in devices.ToList())
                if (alert.TimestampMs - ts > options.FireWindowMs) devices.Remove(id);
            if (devices.Count < options.FireMinDevices) return null;
            if (_confirmedMs.TryGetValue(alert.BuildingId, out var last) && alert.TimestampMs - last < options.FireConfirmedHoldoffMs) return null;
            _confirmedMs[alert.BuildingId] = alert.TimestampMs;
            var ids = string.Join(", ", devices.Keys.Order(StringComparer.Ordinal));
            return alert with
            {
                IncidentType = IncidentTypes.FireConfirmed,
                Severity = IncidentTypes.DefaultSeverity(IncidentTypes.FireConfirmed),
                Metric = "devices",
                Value = devices.Count,
                Reason = $"同一楼栋 {devices.Count} 个探测器 {options.FireWindowMs / 60_000} 分钟内报警，确认火情 / {devices.Count} detectors in one building alarmed within {options.FireWindowMs / 60_000} min: fire confirmed ({ids})",
                RelatedDeviceIds = devices.Keys.Where(id => id != alert.DeviceId).Order(StringComparer.Ordinal).ToList(),
            };
        }
    }

    public void Write(BinaryWriter w)
    {
        lock (_lock)
        {
            w.Write(_recent.Count);
            foreach (var (b, devices) in _recent)
            {
                w.Write(b); w.Write(devices.Count);
                foreach (var (id, ts) in devices) { w.Write(id); w.Write(ts); }
            }
            w.Write(_confirmedMs.Count);
            foreach (var (b, ts) in _confirmedMs) { w.Write(b); w.Write(ts); }
        }
    }

    public void Read(BinaryReader r)
    {
        lock (_lock)
        {
            _recent.Clear(); _confirmedMs.Clear();
            for (int i = 0, n = r.ReadInt32(); i < n; i++)
            {
                var devices = new Dictionary<string, long>(StringComparer.Ordinal);
                _recent[r.ReadString()] = devices;
                for (int j = 0, m = r.ReadInt32(); j < m; j++) devices[r.ReadString()] = r.ReadInt64();
            }
            for (int i = 0, n = r.ReadInt32(); i < n; i++) _confirmedMs[r.ReadString()] = r.ReadInt64();
        }
    }
}
