using Smart.Detection.Rules;
using Smart.Core.Incidents;

namespace Smart.Detection;

public sealed partial class DetectionEngine
{
    /// <summary>The silence detector: call periodically (e.g. every 30 s) with the current time. Returns a
    /// <c>silence</c> score for every overdue device and one <c>device.offline</c> alert per outage.</summary>
    public DetectionResult CheckSilence(long nowMs)
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
                var saidOffline = state.OfflineSinceMs != long.MinValue && nowMs - state.OfflineSinceMs >= Options.OfflineGraceMs;
                if (silentMs < limitMs && !saidOffline) continue;
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
