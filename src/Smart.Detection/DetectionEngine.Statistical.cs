using Smart.Detection.Rules;
using Smart.Detection.State;
using Smart.Detection.Streaming;
using Smart.Core.Incidents;

namespace Smart.Detection;

public sealed partial class DetectionEngine
{
    private const double ReasonScore = 0.99;
    private const string NormalReason = "正常 / normal";

    /// <summary>Layer 2: one score per numeric metric (always returned, for InfluxDB); a stuck metric becomes
    /// <c>sensor.stuck</c>, and only a long run of near-certain scores on a device with no layer-1 finding becomes
    /// <c>sensor.anomaly</c> (rare by design: operators must trust what reaches them).</summary>
    private List<AnomalyScore> ScoreMetrics(DeviceState state, ReadingInput r, List<RuleHit> hits, int port)
    {
        var o = Options.Statistical;
        var scores = new List<AnomalyScore>(r.Metrics.Count);
        foreach (var m in r.Metrics)
        {
            if (o.SkipMetrics.Contains(m.Name) || !double.IsFinite(m.Value)) continue;
            var key = DeviceState.KeyOf(m.Name, port);
            if (!state.Metrics.TryGetValue(key, out var detector)) state.Metrics[key] = detector = new MetricDetector(resolution: o.Resolution.GetValueOrDefault(m.Name));
            var d = detector.Update(r.TimestampMs, m.Value, o.StuckReadings, o.StuckMinMs);
            // Formatting a reason for every normal reading would cost more than the detectors; only notable ones get one.
            var reason = d.Score >= ReasonScore ? d.Reason : NormalReason;
            scores.Add(new AnomalyScore(state.DeviceId, state.Kind, m.Name, d.Detector, d.Score, m.Value, d.Expected, r.TimestampMs, reason));
            if (d.Stuck)
                hits.Add(RuleHit.Of(IncidentTypes.SensorStuck, m.Name, m.Value, $"{m.Name}: {d.Reason}"));
            var run = d.Score >= o.IncidentScore && !d.Stuck ? state.HighRuns.GetValueOrDefault(key) + 1 : 0;
            if (run == 0) state.HighRuns.Remove(key); else state.HighRuns[key] = run;
            if (run >= o.IncidentReadings && hits.Count == 0 && SensorAnomalyAllowed(state, r.TimestampMs))
            {
                state.LastSensorAnomalyMs = r.TimestampMs;
                hits.Add(RuleHit.Of(IncidentTypes.SensorAnomaly, m.Name, m.Value,
                    $"{m.Name} 连续 {run} 次异常（期望 {d.Expected:0.##}）/ {m.Name} anomalous for {run} readings (expected {d.Expected:0.##}): {d.Reason}"));
            }
        }
        return scores;
    }

    private bool SensorAnomalyAllowed(DeviceState state, long tsMs) =>
        state.LastSensorAnomalyMs == long.MinValue || tsMs - state.LastSensorAnomalyMs >= Options.Statistical.IncidentHoldoffMs;
}
