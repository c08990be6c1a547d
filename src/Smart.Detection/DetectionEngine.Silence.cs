using Smart.Detection.Rules;
using Smart.Core.Incidents;

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
                (alerts ??= []).Add(new DetectionAlert(state.DeviceId, state.Kind, state.BuildingId, IncidentTypes.DeviceOffline,
                    IncidentTypes.DefaultSeverity(IncidentTypes.DeviceOffline), "silence_s", silentMs / 1000.0, reason, nowMs));
            }
        }
        return scores is null ? DetectionResult.Empty : new DetectionResult(scores, alerts ?? [], []);
    }
}
