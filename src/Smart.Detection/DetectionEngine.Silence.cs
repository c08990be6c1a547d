using Smart.Detection.Rules;
using Smart.Core;
using Smart.Core.Incidents;
using Smart.Detection.State;

namespace Smart.Detection;

public sealed partial class DetectionEngine
{
    /// <summary>The silence detector: call periodically (e.g. every 30 s) with the current time. Returns a
    /// <c>silence</c> score for every overdue device and one <c>device.offline</c> alert per outage.</summary>
    /// <param name="nowMs">The current time.</param>
    /// <param name="listeningSinceMs">Since when the caller has been receiving the devices' messages without a break (its
    /// broker session connected). A device is only judged silent for the time it could have been heard: a host that was
    /// down, or cut off from its broker, for longer than the offline limit would otherwise report every device offline
    /// the moment it listens again, before the devices' next reports (or the broker's queue) reach it.</param>
    public DetectionResult CheckSilence(long nowMs, long listeningSinceMs = long.MinValue)
    {
        List<AnomalyScore>? scores = null;
        List<DetectionAlert>? alerts = null;
        foreach (var state in _devices.Values)
        {
            lock (state)
            {
                if (state.LastSeenMs == long.MinValue && state.OfflineSinceMs == long.MinValue) continue;
                var limitMs = Math.Max(Options.OfflineMinMs, Options.OfflineIntervals * state.IntervalMs);
                var silentMs = state.LastSeenMs == long.MinValue ? 0 : nowMs - state.LastSeenMs;
                var unheardMs = state.LastSeenMs == long.MinValue ? 0 : nowMs - Math.Max(state.LastSeenMs, listeningSinceMs);
                var saidOffline = state.OfflineSinceMs != long.MinValue && nowMs - Math.Max(state.OfflineSinceMs, listeningSinceMs) >= Options.OfflineGraceMs;
                if (unheardMs < limitMs && !saidOffline) continue;
                var reason = saidOffline
                    ? "设备上报离线 / device reported offline (will message)"
                    : FireRules.F($"设备 {silentMs / 60_000.0:0.#} 分钟无数据 / no data for {silentMs / 60_000.0:0.#} min (usually every {state.IntervalMs / 1000:0} s)");
                (scores ??= []).Add(new AnomalyScore(state.DeviceId, state.Kind, "silence_s", "silence", 1.0, silentMs / 1000.0, state.IntervalMs / 1000.0, nowMs, reason));
                if (state.OfflineRaised) continue;
                state.OfflineRaised = true;
                (alerts ??= []).Add(OfflineAlert(state, nowMs, silentMs / 1000.0, reason));
            }
        }
        return scores is null ? DetectionResult.Empty : new DetectionResult(scores, alerts ?? [], []);
    }

    /// <summary>A building's outage: its first device (whose incident the others join), when the last one joined, and how
    /// many devices are in it.</summary>
    private sealed class BuildingOutage(DeviceState first, long ms)
    {
        public DeviceState First { get; } = first;
        public long LastMs { get; set; } = ms;
        public int Devices { get; set; } = 1;
    }

    /// <summary>The device's own <c>device.offline</c> alert, or, when another device of its building went offline within
    /// <see cref="DetectionOptions.OutageWindowMs"/> and is still offline, an alert on that device's incident naming this
    /// one (P2 from <see cref="DetectionOptions.OutageMajorDevices"/> devices). Outages are not saved with the state: after
    /// a restart an outage under way starts a second incident.</summary>
    private DetectionAlert OfflineAlert(DeviceState state, long nowMs, double silentS, string reason)
    {
        lock (_outages)
        {
            foreach (var building in _outages.Where(o => nowMs - o.Value.LastMs > Options.OutageWindowMs).Select(o => o.Key).ToList()) _outages.Remove(building);
            if (_outages.TryGetValue(state.BuildingId, out var outage) && outage.First != state && outage.First.OfflineRaised)
            {
                outage.LastMs = nowMs;
                var n = ++outage.Devices;
                var minutes = Options.OutageWindowMs / 60_000;
                return new DetectionAlert(outage.First.DeviceId, outage.First.Kind, state.BuildingId, IncidentTypes.DeviceOffline,
                    n >= Options.OutageMajorDevices ? Severity.P2 : IncidentTypes.DefaultSeverity(IncidentTypes.DeviceOffline), "devices", n,
                    FireRules.F($"同一楼栋 {n} 台设备相继离线（间隔不超过 {minutes} 分钟），疑似停电或网络中断；最新 {state.DeviceId}：{reason} / {n} devices of one building went offline within {minutes} min of each other (power or network outage?); latest {state.DeviceId}: {reason}"),
                    nowMs, [state.DeviceId]);
            }
            _outages[state.BuildingId] = new BuildingOutage(state, nowMs);
            return new DetectionAlert(state.DeviceId, state.Kind, state.BuildingId, IncidentTypes.DeviceOffline,
                IncidentTypes.DefaultSeverity(IncidentTypes.DeviceOffline), "silence_s", silentS, reason, nowMs);
        }
    }
}
