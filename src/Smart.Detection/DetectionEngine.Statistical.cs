using System.Runtime.InteropServices;
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
    private List<AnomalyScore> ScoreMetrics(DeviceState state, PortState channel, ReadingInput r, List<RuleHit> hits, int port)
    {
        var o = Options.Statistical;
        var scores = new List<AnomalyScore>(r.Metrics.Count);
        foreach (var m in r.Metrics)
        {
            if (o.SkipMetrics.Contains(m.Name) || !double.IsFinite(m.Value)) continue;
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(channel.Metrics, m.Name, out _);
            slot ??= new MetricSlot(o.Resolution.GetValueOrDefault(m.Name));
            var d = slot.Update(r.TimestampMs, m.Value, o.StuckReadings, o.StuckMinMs);
            // Formatting a reason for every normal reading would cost more than the detectors; only notable ones get one.
            var reason = d.Score >= ReasonScore ? d.Reason : NormalReason;
            scores.Add(new AnomalyScore(state.DeviceId, state.Kind, m.Name, d.Detector, d.Score, m.Value, d.Expected, r.TimestampMs, reason));
            var repeated = RepeatsStuck(ref slot.Repeats, m.Name, port, r, m.Value);
            if (d.Stuck || repeated is not null)
                hits.Add(RuleHit.Of(IncidentTypes.SensorStuck, m.Name, m.Value, d.Stuck ? $"{m.Name}: {d.Reason}" : repeated!));
            var run = slot.HighRun = d.Score >= o.IncidentScore && !d.Stuck ? slot.HighRun + 1 : 0;
            if (run >= o.IncidentReadings && hits.Count == 0 && SensorAnomalyAllowed(state, r.TimestampMs))
            {
                state.LastSensorAnomalyMs = r.TimestampMs;
                hits.Add(RuleHit.Of(IncidentTypes.SensorAnomaly, m.Name, m.Value,
                    $"{m.Name} 连续 {run} 次异常（期望 {d.Expected:0.##}）/ {m.Name} anomalous for {run} readings (expected {d.Expected:0.##}): {d.Reason}"));
            }
        }
        return scores;
    }

    /// <summary>The exact-repetition stuck check (<see cref="RepeatTracker"/>); a reason when the metric is stuck.</summary>
    private string? RepeatsStuck(ref RepeatTracker tracker, string metric, int port, ReadingInput r, double value)
    {
        if (!tracker.Update(r.TimestampMs, value, r.State, Options.Statistical)) return null;
        var minutes = (r.TimestampMs - tracker.RunStartMs) / 60_000.0;
        var key = DeviceState.KeyOf(metric, port);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{key} 连续 {tracker.Run + 1} 次读数完全相同（{value}，{minutes:0} 分钟；平时仅 {tracker.RepeatShare:P0} 重复）/ {key} repeated {value} exactly {tracker.Run + 1} times over {minutes:0} min (normally {tracker.RepeatShare:P0} of readings repeat): sensor stuck");
    }

    private bool SensorAnomalyAllowed(DeviceState state, long tsMs) =>
        state.LastSensorAnomalyMs == long.MinValue || tsMs - state.LastSensorAnomalyMs >= Options.Statistical.IncidentHoldoffMs;
}
