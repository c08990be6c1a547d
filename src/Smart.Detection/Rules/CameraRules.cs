using static Smart.Detection.Rules.FireRules;
using Smart.Core.Incidents;

namespace Smart.Detection.Rules;

/// <summary>Layer 1 for 高空抛物 cameras (telemetry part; falling objects arrive as events, see <see cref="EventRules"/>).</summary>
internal static class CameraRules
{
    public static void Evaluate(CameraRuleOptions o, RuleState s, ReadingInput r, List<RuleHit> hits)
    {
        if (r.TryGet("lens_blocked", out var blocked))
        {
            var n = s.Consecutive("blocked", blocked >= 0.5);
            if (n >= o.BlockedPersistenceReadings)
                hits.Add(RuleHit.Of(IncidentTypes.CameraBlocked, "lens_blocked", blocked, F($"镜头遮挡（连续 {n} 次）/ lens blocked for {n} readings")));
        }
    }
}
